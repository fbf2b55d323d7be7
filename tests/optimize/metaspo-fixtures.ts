/**
 * Fakes for MetaSPO tests. Each task's examples carry a trait (#plain, #update, #sarcasm, …); an
 * example is right iff it is plain or the system prompt or user prompt names its trait — unless the
 * system prompt says "sabotage" (then all are wrong) or the user prompt lost its {{text}} slot. The
 * scripted optimizer reads our meta-prompts by the contract tags and answers in their format.
 */
import { plainPrompt } from '../../src/config/prompt.js'
import type { Example, LoadedTask } from '../../src/config/project-types.js'
import type { MetaspoConfig } from '../../src/config/types.js'
import { BudgetExceededError } from '../../src/errors.js'
import type { ExampleResult } from '../../src/eval/types.js'
import type { ChatModel, ChatRequest, ChatResponse } from '../../src/llm/chat-model.js'
import type { TaskScoreFn } from '../../src/optimize/metaspo/types.js'
import type { PromptParts } from '../../src/config/prompt.js'
import { REQUEST_TAGS, askFor, taggedAll } from '../../src/simulate/contract.js'

export const USER_TEMPLATE = 'Classify the review.\nReview: {{text}}'

/** A task whose examples cycle through `traits` (with `plain` repeated `plainWeight` times). */
export function makeMetaTask(
  name: string,
  traits: readonly string[],
  perSplit = 20,
  plainWeight = 1
): LoadedTask {
  const cycle = [...Array.from({ length: plainWeight }, () => 'plain'), ...traits]
  const examples: Example[] = []
  let line = 1
  for (const split of ['train', 'dev', 'test'] as const) {
    for (let i = 0; i < perSplit; i++) {
      const trait = cycle[i % cycle.length] as string
      examples.push({
        id: `${split}-${i}`,
        fields: { text: `${name} review ${i} #${trait}`, trait },
        expected: i % 2 === 0 ? 'positive' : 'negative',
        split,
        line: line++
      })
    }
  }
  return {
    name,
    config: {
      name,
      prompt: `prompts/${name}.md`,
      data: `evals/${name}.jsonl`,
      expected: 'label',
      idField: 'id',
      extract: { type: 'tag', tag: 'answer' },
      metric: { type: 'choice', choices: ['positive', 'negative'], score: 'accuracy' },
      split: { train: 1 / 3, dev: 1 / 3, test: 1 / 3, seed: 1, field: undefined },
      systemPrompt: undefined,
      limit: undefined
    },
    prompt: plainPrompt(undefined, { path: `prompts/${name}.md`, text: USER_TEMPLATE }),
    examples,
    dataHash: name
  }
}

export const META_CONFIG: MetaspoConfig = {
  iterations: 2,
  userCandidates: 2,
  userTopK: 2,
  systemCandidates: 3,
  examplesPerTask: 2,
  holdout: [],
  racing: true
}

export interface MetaScoreLog {
  /** Evaluations asked for (pair × example). */
  examples: number
  splits: Set<string>
  /** Every (task, system, user, example id) scored, to catch repeats. */
  seen: string[]
}

/** The keyword score function described above; `limit` throws a budget stop past that many. */
export function makeMetaScore(options: { limit?: number } = {}): TaskScoreFn & {
  log: MetaScoreLog
} {
  const log: MetaScoreLog = { examples: 0, splits: new Set(), seen: [] }
  const factory =
    (task: LoadedTask) =>
    async (pair: PromptParts, examples: readonly Example[]): Promise<ExampleResult[]> => {
      if (options.limit !== undefined && log.examples + examples.length > options.limit) {
        throw new BudgetExceededError('calls', `call cap of ${options.limit} reached`)
      }
      log.examples += examples.length
      const system = (pair.system ?? '').toLowerCase()
      const text = `${system}\n${pair.user.toLowerCase()}`
      return examples.map((ex) => {
        log.splits.add(ex.split)
        log.seen.push(`${task.name}|${pair.system ?? ''}|${pair.user}|${ex.id}`)
        const trait = ex.fields.trait as string
        const right =
          !system.includes('sabotage') &&
          pair.user.includes('{{text}}') &&
          (trait === 'plain' || text.includes(trait))
        const expected = ex.expected as string
        const answer = right ? expected : expected === 'positive' ? 'negative' : 'positive'
        return {
          id: ex.id,
          split: ex.split,
          expected,
          output: `<answer>${answer}</answer>`,
          answer,
          score: right ? 1 : 0,
          unreadable: false
        }
      })
    }
  return Object.assign(factory, { log })
}

export interface ScriptCall {
  kind: string
  sampleIndex: number
  content: string
}

export interface Script {
  /** User rewrite: default adds "Watch for <trait>." on top of the prompt. */
  userRewrite?: (ctx: { trait: string; prompt: string; sampleIndex: number }) => string
  /** System rewrite: default appends "Watch for <trait>." to the system prompt. */
  systemRewrite?: (ctx: { trait: string; system: string; sampleIndex: number }) => string
  /** Paraphrase answer; default "Please: <prompt>" tagged. */
  paraphrase?: (ctx: { prompt: string; sampleIndex: number }) => string
}

/** The commonest #trait of the failing inputs in a request (ties: first seen). */
function commonestTrait(content: string): string {
  const counts = new Map<string, number>()
  for (const input of taggedAll(content, 'input')) {
    for (const m of input.matchAll(/#(\w+)/g)) {
      const t = m[1] as string
      counts.set(t, (counts.get(t) ?? 0) + 1)
    }
  }
  let best = 'nothing'
  let n = 0
  for (const [t, c] of counts) if (c > n) [best, n] = [t, c]
  return best
}

export function makeMetaOptimizer(script: Script = {}): ChatModel & { calls: ScriptCall[] } {
  const calls: ScriptCall[] = []
  const reply = (text: string): ChatResponse => ({
    text,
    usage: { inputTokens: 10, outputTokens: 10 },
    cached: false
  })
  return {
    model: 'scripted',
    role: 'optimizer',
    calls,
    async complete(request: ChatRequest): Promise<ChatResponse> {
      const content = request.messages.map((m) => m.content).join('\n')
      const kind = REQUEST_TAGS.find(([tag]) => content.includes(askFor(tag)))?.[1] ?? 'unknown'
      const sampleIndex = request.sampleIndex ?? 0
      calls.push({ kind, sampleIndex, content })
      const prompt = taggedAll(content, 'prompt')[0] ?? ''
      const system = taggedAll(content, 'system_prompt')[0] ?? ''
      if (kind === 'analysis') {
        return reply(
          `<analysis>The prompt never says how to handle ${commonestTrait(content)}.</analysis>`
        )
      }
      const trait = /handle (\w+)/.exec(taggedAll(content, 'analysis')[0] ?? '')?.[1] ?? 'nothing'
      if (kind === 'rewrite') {
        const write = script.userRewrite
        return reply(
          write
            ? write({ trait, prompt, sampleIndex })
            : `<improved_prompt>Watch for ${trait}.\n${prompt}</improved_prompt>`
        )
      }
      if (kind === 'system-rewrite') {
        const write = script.systemRewrite
        return reply(
          write
            ? write({ trait, system, sampleIndex })
            : `<improved_system_prompt>${system} Watch for ${trait}.</improved_system_prompt>`
        )
      }
      if (kind === 'paraphrase') {
        const write = script.paraphrase
        return reply(
          write ? write({ prompt, sampleIndex }) : `<paraphrase>Please: ${prompt}</paraphrase>`
        )
      }
      return reply('I do not understand.')
    }
  }
}
