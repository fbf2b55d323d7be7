import { samplingOf } from '../config/samples.js'
import { stripControl } from '../report/sanitize.js'
import { judgeCalls, taskMetrics } from '../config/task-metrics.js'
import { metricJudgeModel, taskTargetModel } from '../config/task-models.js'
import { buildMessages } from '../eval/evaluate.js'
import { estimateCost, estimateMessagesTokens, sumEstimates } from '../llm/estimate.js'
import type { CostEstimate } from '../llm/estimate.js'
import { freeTierWarnings } from '../llm/github-models-limits.js'
import { formatTokens, formatUsd } from '../report/format.js'
import { examplesOf, selectTasks } from './select-tasks.js'
import type { RunServices } from './services.js'

/** Output tokens assumed per call when the model config sets no max_tokens. */
const ASSUMED_OUTPUT_TOKENS = 100

export interface EvalEstimate {
  /** Per task: its cost and the models it calls (target first, then each check's judge). */
  perTask: Array<{ task: string; models: string[] } & CostEstimate>
  total: CostEstimate
  text: string
}

/**
 * What `eval` would spend, without calling the model: k target calls per example (`samples: k`),
 * input tokens from the rendered messages (≈ 4 characters a token), output tokens at max_tokens (an
 * upper bound) or 100 when unset. Judge metrics add j judge calls per reply (`models.judge.samples`). Cached answers would make the
 * real run cheaper; the estimate assumes none.
 */
export function estimateEval(
  services: Pick<RunServices, 'project'>,
  options: {
    tasks: readonly string[]
    split: 'train' | 'dev' | 'test' | 'all'
    /** 2 for a base-vs-head comparison when nothing is cached (for the free-tier check). */
    sides?: number
  }
): EvalEstimate {
  const { config } = services.project
  const calls = new Map<string, number>()
  const perTask = selectTasks(services.project.tasks, options.tasks).map((task) => {
    const targetModel = taskTargetModel(task.config, config.models)
    const examples = examplesOf(task, options.split)
    let input = 0
    for (const example of examples) {
      input += estimateMessagesTokens(buildMessages(task.prompt, example))
    }
    const outputPerCall = targetModel.maxTokens ?? ASSUMED_OUTPUT_TOKENS
    const { samples: k, judge: judgeSampling } = samplingOf(task.config, config.models)
    const parts = [
      {
        model: targetModel.model,
        cost: estimateCost({
          calls: examples.length * k,
          inputTokens: input * k,
          outputTokens: outputPerCall * examples.length * k,
          model: targetModel.model,
          prices: config.provider.prices
        })
      }
    ]
    // j judge calls per reply (k per example) and judge check, on each check's own judge model.
    const j = judgeSampling.samples
    for (const metric of taskMetrics(task.config)) {
      const judged = judgeCalls(metric) * k
      const judge = metricJudgeModel(metric, config.models)
      if (judged === 0 || judge === undefined) continue
      parts.push({
        model: judge.model,
        cost: estimateCost({
          calls: examples.length * judged * j,
          inputTokens:
            (input + outputPerCall * examples.length + 200 * examples.length) * judged * j,
          outputTokens: (judge.maxTokens ?? ASSUMED_OUTPUT_TOKENS) * examples.length * judged * j,
          model: judge.model,
          prices: config.provider.prices
        })
      })
    }
    for (const part of parts)
      calls.set(part.model, (calls.get(part.model) ?? 0) + part.cost.calls * (options.sides ?? 1))
    const models = [...new Set(parts.map((p) => p.model))]
    return { task: task.name, models, ...sumEstimates(parts.map((p) => p.cost)) }
  })
  const total = sumEstimates(perTask)
  const simulated = config.provider.type === 'simulated'
  const lines = [
    `estimate for eval (${options.split}) — no calls made${simulated ? ' (simulated provider: free)' : ''}:`,
    ...perTask.map((t) => `  ${t.task}: ${describe(t, simulated)} — on ${t.models.join(', ')}`),
    `  total: ${describe(total, simulated)}`
  ]
  if (config.provider.type === 'github-models') lines.push(...freeTierWarnings(calls))
  // Task and model names come from the repository's files (a pull request's .prompt.yml): no
  // escape sequence of theirs reaches the terminal.
  return { perTask, total, text: stripControl(lines.join('\n')) }
}

export function describe(estimate: CostEstimate, simulated = false): string {
  const usd = simulated
    ? '$0.00'
    : estimate.usd === null
      ? 'price unknown'
      : `≈ ${formatUsd(estimate.usd)}`
  return `${estimate.calls} calls, ${formatTokens(estimate.inputTokens)} input + ${formatTokens(estimate.outputTokens)} output tokens, ${usd}`
}
