/**
 * APO expansion of one beam prompt (ProTeGi's Expand): score it on a seeded train minibatch, sample
 * groups of its errors, ask for a critique of each group, rewrite the prompt against each critique,
 * and paraphrase each rewrite. A minibatch without errors gets no critiques (nothing would ground
 * them: the model would invent problems) but still gets paraphrases of the prompt itself.
 *
 * Calls run concurrently; every sampling decision comes from a generator forked by a label that
 * names the round, the parent and the decision, so the proposals (and their order) do not depend on
 * which call returns first.
 */
import type { LoadedTask } from '../../config/project-types.js'
import type { ApoConfig } from '../../config/types.js'
import type { ChatMessage, ChatModel } from '../../llm/chat-model.js'
import type { Random } from '../../util/random.js'
import { checkCandidate, type GuardOutcome, type SlotRules } from '../candidate-guard.js'
import { collectErrors, toFailingExample } from '../failing-examples.js'
import {
  critiqueMessages,
  paraphraseMessages,
  rewriteMessages,
  userAnalysisMessages,
  userRewriteMessages,
  type FailingExample
} from '../meta-prompts.js'
import { META_TAGS } from '../meta-tags.js'
import { allOrAbort } from '../parallel.js'
import { parseLastTagged, parseTagged } from '../tags.js'
import type { PromptParts } from '../../config/prompt.js'
import type { ScoreFn } from '../types.js'

export interface ExpandContext {
  task: LoadedTask
  edit: 'user' | 'system'
  start: PromptParts
  config: ApoConfig
  optimizer: ChatModel
  score: ScoreFn
  random: Random
  /** Aborted by the first failure of the round, so its sibling calls stop. */
  controller: AbortController
  /** The run's signal combined with the controller's: passed to every call. */
  signal: AbortSignal
  critiquesPerGroup: number
  /** The fixed messages around the edited part (few-shot turns), shown to the optimizer model. */
  conversation: string | undefined
  /**
   * `critique`: ProTeGi's critique → rewrite meta-prompts. `analysis`: MetaSPO's user analysis →
   * user rewrite (one analysis per error group; user prompts only).
   */
  feedback: 'critique' | 'analysis'
  /** Slot rules without `repairFrom` (set per parent). */
  rules: Omit<SlotRules, 'repairFrom'>
  repairSlots: boolean
  counters: { targetCalls: number; optimizerCalls: number }
}

/** One proposed successor, before dedup and the successor cap. */
export interface Proposal {
  origin: 'edit' | 'paraphrase'
  critique: string | null
  outcome: GuardOutcome
  /** Paraphrases: index (in the same parent's list) of the rewrite reworded; null → the parent. */
  source: number | null
}

export interface Expansion {
  parentId: string
  minibatch: number
  errors: number
  /** Critique replies without a usable <critique> item. */
  critiqueMissing: number
  proposals: Proposal[]
}

/** The parts with `text` as the edited part (an empty system prompt is none at all). */
export function pairWith(start: PromptParts, edit: 'user' | 'system', text: string): PromptParts {
  if (edit === 'user') return { system: start.system, user: text }
  return { system: text === '' ? undefined : text, user: start.user }
}

async function ask(ctx: ExpandContext, messages: ChatMessage[], sampleIndex: number) {
  ctx.counters.optimizerCalls++
  const reply = await ctx.optimizer.complete({ messages, sampleIndex }, { signal: ctx.signal })
  return reply.text
}

async function paraphrases(ctx: ExpandContext, text: string): Promise<GuardOutcome[]> {
  const rules: SlotRules = { ...ctx.rules, ...(ctx.repairSlots ? { repairFrom: text } : {}) }
  const messages = paraphraseMessages({
    prompt: text,
    conversation: ctx.conversation,
    kind: ctx.edit,
    slots: ctx.rules.requiredSlots
  })
  const tasks = Array.from({ length: ctx.config.paraphrases }, (_, i) => async () => {
    const reply = await ask(ctx, messages, i)
    return checkCandidate(parseLastTagged(reply, META_TAGS.paraphrase), rules)
  })
  return allOrAbort(tasks, ctx.controller)
}

/** The critiques (or MetaSPO-style analyses) of one error group; [] when none came back. */
async function feedbackFor(
  ctx: ExpandContext,
  prompt: string,
  examples: FailingExample[],
  group: number
): Promise<string[]> {
  if (ctx.feedback === 'analysis' && ctx.edit === 'user') {
    const reply = await ask(
      ctx,
      userAnalysisMessages({ prompt, examples, conversation: ctx.conversation }),
      group
    )
    const analysis = parseLastTagged(reply, META_TAGS.analysis)
    return analysis === undefined || analysis === '' ? [] : [analysis]
  }
  const count = ctx.critiquesPerGroup
  const reply = await ask(
    ctx,
    critiqueMessages({ prompt, kind: ctx.edit, examples, count, conversation: ctx.conversation }),
    group
  )
  return parseTagged(reply, META_TAGS.critique)
    .filter((c) => c !== '')
    .slice(0, count)
}

function rewriteRequest(
  ctx: ExpandContext,
  prompt: string,
  examples: FailingExample[],
  critique: string
): ChatMessage[] {
  const slots = ctx.rules.requiredSlots
  if (ctx.feedback === 'analysis' && ctx.edit === 'user') {
    return userRewriteMessages({
      prompt,
      examples,
      analysis: critique,
      slots,
      conversation: ctx.conversation
    })
  }
  return rewriteMessages({
    prompt,
    kind: ctx.edit,
    examples,
    critique,
    slots,
    conversation: ctx.conversation
  })
}

/** Expands one parent; `text` is its edited prompt. */
export async function expandParent(
  ctx: ExpandContext,
  parent: { id: string; text: string },
  round: number
): Promise<Expansion> {
  const { task, config } = ctx
  const pair = pairWith(ctx.start, ctx.edit, parent.text)
  const train = task.examples.filter((e) => e.split === 'train')
  const label = `round-${round}:${parent.id}`
  const minibatch = ctx.random.fork(`minibatch:${label}`).sample(train, config.minibatch)
  ctx.counters.targetCalls += minibatch.length
  const results = await ctx.score(pair, minibatch, { signal: ctx.signal })
  const errors = collectErrors(minibatch, results)
  const expansion: Expansion = {
    parentId: parent.id,
    minibatch: minibatch.length,
    errors: errors.length,
    critiqueMissing: 0,
    proposals: []
  }

  if (errors.length === 0) {
    for (const outcome of await paraphrases(ctx, parent.text)) {
      expansion.proposals.push({ origin: 'paraphrase', critique: null, outcome, source: null })
    }
    return expansion
  }

  const repairRules: SlotRules = {
    ...ctx.rules,
    ...(ctx.repairSlots ? { repairFrom: parent.text } : {})
  }
  const groups = Array.from({ length: config.errorGroups }, (_, g) => async () => {
    const sampled = ctx.random
      .fork(`errors:${label}:group-${g}`)
      .sample(errors, config.errorsPerGroup)
      .map((e) => toFailingExample(e, pair.user, task))
    const critiques = await feedbackFor(ctx, parent.text, sampled, g)
    const branches = critiques.map((critique) => async () => {
      const reply = await ask(ctx, rewriteRequest(ctx, parent.text, sampled, critique), 0)
      const rewrite = checkCandidate(parseLastTagged(reply, META_TAGS.improvedPrompt), repairRules)
      const reworded = rewrite.ok ? await paraphrases(ctx, rewrite.prompt) : []
      return { critique, rewrite, reworded }
    })
    return { missing: critiques.length === 0, edits: await allOrAbort(branches, ctx.controller) }
  })

  for (const group of await allOrAbort(groups, ctx.controller)) {
    if (group.missing) expansion.critiqueMissing++
    for (const edit of group.edits) {
      const source = expansion.proposals.length
      expansion.proposals.push({
        origin: 'edit',
        critique: edit.critique,
        outcome: edit.rewrite,
        source: null
      })
      for (const outcome of edit.reworded) {
        expansion.proposals.push({ origin: 'paraphrase', critique: null, outcome, source })
      }
    }
  }
  return expansion
}
