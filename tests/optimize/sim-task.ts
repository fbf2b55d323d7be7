/**
 * A synthetic task as a loaded task (40/30/30 train/dev/test) and a ScoreFn over the simulated target
 * (tag-extracted exact label), shared by the optimizers' simulated tests.
 */
import { plainPrompt } from '../../src/config/prompt.js'
import type { PromptParts } from '../../src/config/prompt.js'
import type { Example, LoadedTask } from '../../src/config/project-types.js'
import type { GepaConfig } from '../../src/config/types.js'
import { renderTemplate } from '../../src/config/template.js'
import { BudgetExceededError } from '../../src/errors.js'
import type { ExampleResult } from '../../src/eval/types.js'
import type { ChatMessage } from '../../src/llm/chat-model.js'
import type { ScoreFn } from '../../src/optimize/types.js'
import { createSimulatedTarget } from '../../src/simulate/index.js'
import { makeSyntheticTask, type SyntheticTask } from '../../src/simulate/tasks.js'

export function loadedTask(synthetic: SyntheticTask): LoadedTask {
  const n = synthetic.rows.length
  const examples: Example[] = synthetic.rows.map((row, i) => ({
    id: row.id,
    fields: { id: row.id, text: row.text },
    expected: row.label,
    split: i < n * 0.4 ? 'train' : i < n * 0.7 ? 'dev' : 'test',
    line: i + 1
  }))
  return {
    name: synthetic.name,
    config: {
      name: synthetic.name,
      prompt: `prompts/${synthetic.name}.md`,
      data: `evals/${synthetic.name}.jsonl`,
      expected: 'label',
      idField: 'id',
      extract: { type: 'tag', tag: 'answer' },
      metric: { type: 'choice', choices: synthetic.choices, score: 'accuracy' },
      split: { train: 0.4, dev: 0.3, test: 0.3, seed: 1, field: undefined },
      systemPrompt: undefined,
      limit: undefined
    },
    prompt: plainPrompt(undefined, {
      path: `prompts/${synthetic.name}.md`,
      text: synthetic.initialPrompt
    }),
    examples,
    dataHash: 'synthetic'
  }
}

/** Scores with the simulated target; an answer is right when its <answer> tag holds the label. */
export function simulatedScore(task: LoadedTask, seed: number, callCap = Infinity) {
  const target = createSimulatedTarget({ seed })
  const log = { calls: 0, splits: new Set<string>() }
  const score: ScoreFn = async (pair: PromptParts, examples, options) => {
    if (log.calls + examples.length > callCap) {
      throw new BudgetExceededError('calls', `call cap of ${callCap} reached`)
    }
    log.calls += examples.length
    return Promise.all(
      examples.map(async (ex): Promise<ExampleResult> => {
        log.splits.add(ex.split)
        const user = renderTemplate(pair.user, ex.fields, {
          file: 'prompts/task.md',
          rowId: ex.id
        })
        const messages: ChatMessage[] = [
          ...(pair.system === undefined ? [] : [{ role: 'system' as const, content: pair.system }]),
          { role: 'user', content: user }
        ]
        const reply = await target.complete({ messages }, { signal: options?.signal })
        const answer = /<answer>\s*([\s\S]*?)\s*<\/answer>/i.exec(reply.text)?.[1] ?? null
        const right = answer !== null && answer.toLowerCase() === String(ex.expected).toLowerCase()
        return {
          id: ex.id,
          split: ex.split,
          expected: ex.expected,
          output: reply.text,
          answer,
          score: right ? 1 : 0,
          unreadable: answer === null
        }
      })
    )
  }
  return { score, log }
}

/** GEPA's settings in the single-component tests (light preset, 40 dev rows, Pareto selection). */
export const GEPA_TEST_CONFIG: GepaConfig = {
  preset: 'light',
  minibatch: 3,
  confirm: 3,
  devRows: 40,
  maxCalls: undefined,
  selection: 'pareto',
  maxPromptChars: undefined,
  target: undefined,
  components: 'system',
  merge: true,
  mergeShare: 0.2
}

/** The 200-row triage task with seven traits that GEPA's single-component tests optimize. */
export function gepaTriage(): LoadedTask {
  return loadedTask(
    makeSyntheticTask({
      name: 'triage',
      kind: 'triage',
      size: 200,
      seed: 8,
      traits: ['sarcasm', 'negation', 'two-issues', 'hedging', 'rhetorical', 'caps', 'numeric']
    })
  )
}
