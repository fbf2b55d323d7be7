/**
 * Which model answers a task and which judges each of its checks. A GitHub Models prompt file
 * names its own target (`model`, with `modelParameters`) and each `llm` evaluator its own judge
 * (`modelId`); everything else uses the config's `models.target` and `models.judge`.
 */
import type { GithubPromptFile } from './github-prompt-file.js'
import type { Config, MetricConfig, ModelConfig, TaskConfig } from './types.js'

/**
 * A prompt file's `model` and `modelParameters` over `base` (the config's models.target), or
 * undefined when the file sets neither.
 */
export function promptFileTarget(
  file: Pick<GithubPromptFile, 'model' | 'modelParameters'>,
  base: ModelConfig
): ModelConfig | undefined {
  const params = file.modelParameters
  if (file.model === undefined && Object.values(params).every((v) => v === undefined))
    return undefined
  const target: ModelConfig = { ...base, model: file.model ?? base.model }
  if (params.temperature !== undefined) target.temperature = params.temperature
  const maxTokens = params.maxCompletionTokens ?? params.maxTokens
  if (maxTokens !== undefined) target.maxTokens = maxTokens
  if (params.topP !== undefined) target.params = { ...base.params, topP: params.topP }
  return target
}

/** The model that answers the task: its own (a prompt file's `model`), else models.target. */
export function taskTargetModel(task: TaskConfig, models: Config['models']): ModelConfig {
  return task.target ?? models.target
}

/**
 * The model that judges a metric: an `llm` evaluator's own `modelId` (with the judge's other
 * settings), else models.judge; undefined for a metric that calls no judge.
 */
export function metricJudgeModel(
  metric: MetricConfig,
  models: Config['models']
): ModelConfig | undefined {
  switch (metric.type) {
    case 'gh-llm':
      return metric.modelId === undefined
        ? models.judge
        : { ...models.judge, model: metric.modelId }
    case 'judge':
    case 'gh-builtin':
      return models.judge
    case 'exact':
    case 'contains':
    case 'choice':
    case 'numeric':
    case 'json':
    case 'regex':
    case 'json_schema':
    case 'gh-string':
      return undefined
  }
}
