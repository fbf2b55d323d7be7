/**
 * Fakes for APO tests: a task whose examples each carry a trait (#sarcasm, #negation, …), a score
 * function under which an example is right only when the prompt names its trait, and a scripted
 * optimizer that reads our meta-prompts (by the contract tags) and answers in their format.
 */
import { plainPrompt } from '../../src/config/prompt.js'
import type { Example, LoadedTask } from '../../src/config/project-types.js'
import type { ApoConfig } from '../../src/config/types.js'
import { BudgetExceededError } from '../../src/errors.js'
import type { ExampleResult } from '../../src/eval/types.js'
import type { ChatModel, ChatRequest, ChatResponse } from '../../src/llm/chat-model.js'
import type { PromptParts } from '../../src/config/prompt.js'
import type { ScoreFn } from '../../src/optimize/types.js'
import { REQUEST_TAGS, askFor, requestedCount, taggedAll } from '../../src/simulate/contract.js'

export const TRAITS = ['plain', 'sarcasm', 'negation', 'emoji'] as const

export function makeTask(perSplit = 40): LoadedTask {
  const examples: Example[] = []
  let line = 1
  for (const split of ['train', 'dev', 'test'] as const) {
    for (let i = 0; i < perSplit; i++) {
      const trait = TRAITS[i % TRAITS.length] as string
      const label = i % 3 === 0 ? 'negative' : 'positive'
      examples.push({
        id: `${split}-${i}`,
        fields: { text: `review ${i} #${trait}`, trait },
        expected: label,
        split,
        line: line++
      })
    }
  }
  return {
    name: 'sentiment',
    config: {
      name: 'sentiment',
      prompt: 'prompts/sentiment.md',
      data: 'evals/sentiment.jsonl',
      expected: 'label',
      idField: 'id',
      extract: { type: 'tag', tag: 'answer' },
      metric: { type: 'choice', choices: ['positive', 'negative'], score: 'accuracy' },
      split: { train: 1 / 3, dev: 1 / 3, test: 1 / 3, seed: 1, field: undefined },
      systemPrompt: undefined,
      limit: undefined
    },
    prompt: plainPrompt(undefined, { path: 'prompts/sentiment.md', text: START.user }),
    examples,
    dataHash: 'test'
  }
}

export const START: PromptParts = {
  system: undefined,
  user: 'Classify the sentiment of the review.\nReview: {{text}}'
}

export const CONFIG: ApoConfig = {
  rounds: 4,
  beam: 2,
  minibatch: 16,
  errorGroups: 2,
  errorsPerGroup: 3,
  paraphrases: 1,
  successorsPerParent: 4,
  bandit: 'ucb',
  selectionBudget: 160,
  explorationC: 2,
  pullSize: 4,
  settle: 0.5,
  target: 'user'
}

export interface ScoreLog {
  examples: number
  splits: Set<string>
}

/** Right iff the trait is plain or the edited prompt names it; `limit` throws a budget stop. */
export function makeScore(
  options: { edit?: 'user' | 'system'; limit?: number } = {}
): ScoreFn & { log: ScoreLog } {
  const log: ScoreLog = { examples: 0, splits: new Set() }
  const fn = async (pair: PromptParts, examples: readonly Example[]): Promise<ExampleResult[]> => {
    if (options.limit !== undefined && log.examples + examples.length > options.limit) {
      throw new BudgetExceededError('calls', `call cap of ${options.limit} reached`)
    }
    log.examples += examples.length
    const text = options.edit === 'system' ? (pair.system ?? '') : pair.user
    return examples.map((ex) => {
      log.splits.add(ex.split)
      const trait = ex.fields.trait as string
      const right = trait === 'plain' || text.toLowerCase().includes(trait)
      const answer = right
        ? (ex.expected as string)
        : ex.expected === 'positive'
          ? 'negative'
          : 'positive'
      return {
        id: ex.id,
        split: ex.split,
        expected: ex.expected,
        output: `<answer>${answer}</answer>`,
        answer,
        score: right ? 1 : 0,
        unreadable: false
      }
    })
  }
  return Object.assign(fn, { log })
}

export interface OptimizerCall {
  kind: string
  sampleIndex: number
  content: string
}

export type Behaviour = 'helpful' | 'useless' | 'untagged' | 'slot-dropping'

/**
 * A scripted optimizer. Critiques name the commonest #trait of the failing inputs; rewrites add
 * "Watch for <trait>." to the prompt; paraphrases prefix a numbered "Please:" and keep everything.
 */
export function makeOptimizer(behaviour: Behaviour = 'helpful'): ChatModel & {
  calls: OptimizerCall[]
} {
  const calls: OptimizerCall[] = []
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
      if (kind === 'critique' || kind === 'analysis') {
        const counts = new Map<string, number>()
        for (const input of taggedAll(content, 'input')) {
          for (const m of input.matchAll(/#(\w+)/g)) {
            const t = m[1] as string
            counts.set(t, (counts.get(t) ?? 0) + 1)
          }
        }
        const trait = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'nothing'
        if (kind === 'analysis') {
          return reply(`<analysis>The prompt never says how to handle ${trait}.</analysis>`)
        }
        const n = requestedCount(content, 'critique') ?? 1
        const items = Array.from(
          { length: n },
          () => `<critique>The prompt never says how to handle ${trait}.</critique>`
        )
        return reply(items.join('\n'))
      }
      if (kind === 'rewrite') {
        const critique =
          taggedAll(content, 'critique')[0] ?? taggedAll(content, 'analysis')[0] ?? ''
        const trait = /handle (\w+)/.exec(critique)?.[1] ?? 'nothing'
        if (behaviour === 'untagged') return reply(`Watch for ${trait}. ${prompt}`)
        if (behaviour === 'slot-dropping') {
          return reply(`<improved_prompt>Watch for ${trait}. Classify it.</improved_prompt>`)
        }
        if (behaviour === 'useless') {
          return reply(`<improved_prompt>Be careful. ${prompt}</improved_prompt>`)
        }
        return reply(`<improved_prompt>Watch for ${trait}. ${prompt}</improved_prompt>`)
      }
      if (kind === 'paraphrase') {
        return reply(`<paraphrase>Please (${sampleIndex + 1}): ${prompt}</paraphrase>`)
      }
      return reply('I do not understand.')
    }
  }
}
