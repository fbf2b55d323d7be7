/**
 * The simulated provider as a MetaSPO test bed: synthetic tasks turned into LoadedTasks (seeded
 * train/dev/test split), scored through the real evaluation path (scoreExamples + the choice metric
 * on <answer> tags) against the simulated target.
 */
import { plainPrompt, withParts } from '../../src/config/prompt.js'
import type { Example, LoadedTask } from '../../src/config/project-types.js'
import { scoreExamples } from '../../src/eval/evaluate.js'
import { createMetric } from '../../src/eval/metrics/index.js'
import type { ChatModel } from '../../src/llm/chat-model.js'
import type { TaskScoreFn } from '../../src/optimize/metaspo/types.js'
import type { SyntheticTask } from '../../src/simulate/tasks.js'
import { createRandom } from '../../src/util/random.js'

/** A synthetic task as the loader would give it: `train`/`dev` shares, the rest test. */
export function loadSynthetic(task: SyntheticTask, train = 0.4, dev = 0.2): LoadedTask {
  const order = createRandom(`split:${task.name}`).shuffle(task.rows.map((_, i) => i))
  const splitOf = new Map<number, Example['split']>()
  order.forEach((row, rank) => {
    const at = rank / order.length
    splitOf.set(row, at < train ? 'train' : at < train + dev ? 'dev' : 'test')
  })
  const examples: Example[] = task.rows.map((row, i) => ({
    id: row.id,
    fields: { text: row.text },
    expected: row.label,
    split: splitOf.get(i) ?? 'test',
    line: i + 1
  }))
  const prompt = `prompts/${task.name}.md`
  return {
    name: task.name,
    config: {
      name: task.name,
      prompt,
      data: `evals/${task.name}.jsonl`,
      expected: 'label',
      idField: 'id',
      extract: { type: 'tag', tag: 'answer' },
      metric: { type: 'choice', choices: task.choices, score: 'accuracy' },
      split: { train, dev, test: 1 - train - dev, seed: 1, field: undefined },
      systemPrompt: undefined,
      limit: undefined
    },
    prompt: plainPrompt(undefined, { path: prompt, text: task.initialPrompt }),
    examples,
    dataHash: task.name
  }
}

/** Per-task score functions over the target; `calls` counts target calls made. */
export function simulatedScoreFor(target: ChatModel): TaskScoreFn & { calls: () => number } {
  let calls = 0
  const fn: TaskScoreFn = (task) => {
    const metric = createMetric(task.config.metric, task.config.extract)
    return async (pair, examples, options) => {
      calls += examples.length
      const out = await scoreExamples({
        prompt: withParts(task.prompt, pair),
        examples,
        dataFile: task.config.data,
        target,
        judge: undefined,
        metric,
        concurrency: 16,
        signal: options?.signal
      })
      if (out.stopped !== undefined) throw out.stopped
      return out.results
    }
  }
  return Object.assign(fn, { calls: () => calls })
}
