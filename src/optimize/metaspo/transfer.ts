/**
 * Does a meta-learned system prompt carry over to tasks it never saw? (MetaSPO's "unseen
 * generalization" protocol.) Each held-out task is scored under the default and the optimized system
 * prompt with several user prompts — the task's own and variants of it — on the same examples, so
 * every comparison is paired per (user prompt, example). The intervals resample examples (each
 * example's score averaged over the user prompts), the unit that was sampled; the user prompts are
 * fixed, as in the paper. Test-time adaptation lives in ./metaspo-adaptation.ts.
 */
import { partsOf } from '../../config/prompt.js'
import type { LoadedTask, SplitName } from '../../config/project-types.js'
import { templateSlots } from '../../config/template.js'
import { bootstrapMeanInterval, mean, pairedBootstrapDeltaInterval } from '../../eval/stats.js'
import type { ScoreEstimate } from '../../eval/types.js'
import { combineSignals } from '../../llm/abort.js'
import type { ChatModel } from '../../llm/chat-model.js'
import {
  CandidateRegistry,
  checkCandidate,
  emptyRejectCounts,
  type RejectCounts
} from '../candidate-guard.js'
import { paraphraseMessages } from '../meta-prompts.js'
import { META_TAGS } from '../meta-tags.js'
import type { TaskScoreFn } from './types.js'
import { allOrAbort } from '../parallel.js'
import { providerStop, stopFromError } from '../stop.js'
import { parseLastTagged } from '../tags.js'

export {
  compareTestTimeAdaptation,
  testTimeAdaptation,
  type AdaptationComparison,
  type AdaptationInput,
  type AdaptationPoint,
  type AdaptationResult
} from './adaptation.js'

export interface UserVariants {
  /** The task's own prompt first, then the accepted variants. */
  prompts: string[]
  variants: string[]
  rejected: RejectCounts
  optimizerCalls: number
}

/**
 * Up to `n` variants of the task's user prompt from the paraphrase meta-prompt, each passing the
 * guard (tag present, every {{slot}} kept, none added, not a duplicate). Asks `n` times, then once
 * more for each one rejected.
 */
export async function makeUserVariants(
  task: LoadedTask,
  optimizer: ChatModel,
  n: number,
  options: { prompt?: string; signal?: AbortSignal } = {}
): Promise<UserVariants> {
  const own = options.prompt ?? partsOf(task.prompt).user
  const slots = templateSlots(own)
  const registry = new CandidateRegistry()
  registry.claim(own, 'own')
  const out: UserVariants = {
    prompts: [own],
    variants: [],
    rejected: emptyRejectCounts(),
    optimizerCalls: 0
  }
  const messages = paraphraseMessages({ prompt: own, kind: 'user', slots })
  let next = 0
  for (const attempts of [n, n]) {
    const want = Math.min(attempts, n - out.variants.length)
    if (want <= 0) break
    const controller = new AbortController()
    const signal = combineSignals(options.signal, controller.signal)
    const first = next
    next += want
    const replies = await allOrAbort(
      Array.from({ length: want }, (_, i) => async () => {
        const reply = await optimizer.complete({ messages, sampleIndex: first + i }, { signal })
        return reply.text
      }),
      controller
    )
    out.optimizerCalls += replies.length
    replies.forEach((reply, i) => {
      const outcome = checkCandidate(parseLastTagged(reply, META_TAGS.paraphrase), {
        requiredSlots: slots
      })
      if (!outcome.ok) {
        out.rejected[outcome.reason]++
        return
      }
      if (registry.claim(outcome.prompt, `variant-${first + i}`) !== undefined) {
        out.rejected.duplicates++
        return
      }
      if (out.variants.length < n) out.variants.push(outcome.prompt)
    })
  }
  out.prompts.push(...out.variants)
  return out
}

export interface UnseenSystemScore {
  /** Mean over user prompts of the mean over examples. */
  mean: number
  perVariant: number[]
  /** Bootstrap interval over examples (scores averaged over user prompts). */
  interval: ScoreEstimate
}

export interface UnseenTaskResult {
  task: string
  variants: number
  examples: number
  default: UnseenSystemScore
  optimized: UnseenSystemScore
  /** optimized − default, paired bootstrap over examples. */
  delta: ScoreEstimate
  /** User prompts whose mean rose under the optimized system prompt. */
  improvedVariants: number
  /** Per (user prompt, example), user-prompt-major; the two lists are paired. */
  pairs: { default: number[]; optimized: number[] }
  /** Per example, averaged over the user prompts: what the intervals resample. */
  perExample: { default: number[]; optimized: number[] }
}

export interface UnseenResult {
  tasks: UnseenTaskResult[]
  /** Unweighted means over the tasks scored. */
  average: { default: number; optimized: number; delta: number }
  targetCalls: number
  stop: {
    reason: 'completed' | 'budget' | 'cancelled' | 'provider-error'
    message: string
    status?: number
  }
}

export interface UnseenInput {
  /** The held-out tasks. */
  tasks: readonly LoadedTask[]
  systems: { default: string | undefined; optimized: string | undefined }
  /** Per task: its own prompt and the variants (a task missing here uses its own prompt only). */
  userVariants: ReadonlyMap<string, readonly string[]>
  scoreFor: TaskScoreFn
  split?: SplitName
  confidence?: number
  seed?: number
  signal?: AbortSignal
}

function systemScore(
  perVariant: number[][],
  perExample: number[],
  level: number,
  seed: number
): UnseenSystemScore {
  const means = perVariant.map((v) => mean(v))
  return {
    mean: mean(means),
    perVariant: means,
    interval: bootstrapMeanInterval(perExample, { level, seed })
  }
}

/** Scores held-out tasks under both system prompts; stops cleanly on a budget stop or cancel. */
export async function unseenGeneralization(input: UnseenInput): Promise<UnseenResult> {
  const split = input.split ?? 'test'
  const level = input.confidence ?? 0.95
  const seed = input.seed ?? 0
  const out: UnseenResult = {
    tasks: [],
    average: { default: 0, optimized: 0, delta: 0 },
    targetCalls: 0,
    stop: { reason: 'completed', message: `scored ${input.tasks.length} unseen tasks` }
  }
  try {
    for (const task of input.tasks) {
      const examples = task.examples.filter((e) => e.split === split)
      const prompts = [...(input.userVariants.get(task.name) ?? [partsOf(task.prompt).user])]
      const score = input.scoreFor(task)
      const controller = new AbortController()
      const signal = combineSignals(input.signal, controller.signal)
      const run = (system: string | undefined) =>
        prompts.map((user) => async () => {
          out.targetCalls += examples.length
          const results = await score({ system, user }, examples, { signal })
          return results.map((r) => r.score)
        })
      const scored = await allOrAbort(
        [...run(input.systems.default), ...run(input.systems.optimized)],
        controller
      )
      const base = scored.slice(0, prompts.length)
      const head = scored.slice(prompts.length)
      const perExample = {
        default: examples.map((_, i) => mean(base.map((v) => v[i] ?? 0))),
        optimized: examples.map((_, i) => mean(head.map((v) => v[i] ?? 0)))
      }
      const def = systemScore(base, perExample.default, level, seed)
      const opt = systemScore(head, perExample.optimized, level, seed)
      out.tasks.push({
        task: task.name,
        variants: prompts.length,
        examples: examples.length,
        default: def,
        optimized: opt,
        delta: pairedBootstrapDeltaInterval(perExample.default, perExample.optimized, {
          level,
          seed
        }),
        improvedVariants: opt.perVariant.filter((v, i) => v > (def.perVariant[i] ?? 0)).length,
        pairs: { default: base.flat(), optimized: head.flat() },
        perExample
      })
    }
  } catch (error) {
    const stopped = stopFromError(error, input.signal) ?? providerStop(error)
    if (stopped === undefined) throw error
    out.stop = stopped
  }
  const d = mean(out.tasks.map((t) => t.default.mean))
  const o = mean(out.tasks.map((t) => t.optimized.mean))
  out.average = { default: d, optimized: o, delta: o - d }
  return out
}
