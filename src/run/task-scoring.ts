import type { Example, LoadedTask } from '../config/project-types.js'
import { withParts } from '../config/prompt.js'
import type { ChatPrompt, PromptParts } from '../config/prompt.js'
import { samplingOf } from '../config/samples.js'
import type { Sampling } from '../config/samples.js'
import { scoreExamples, summarizeTask } from '../eval/evaluate.js'
import type { ScoredExamples } from '../eval/evaluate.js'
import { createTaskMetric } from '../eval/metrics/index.js'
import type { ExampleResult, Metric, TaskEvalResult, TaskUsage } from '../eval/types.js'
import { smallSetFacts } from '../eval/small-set.js'
import { modelFor } from '../llm/chat-model.js'
import { toResponseFormat } from '../llm/response-format.js'
import { nameModels } from './name-models.js'
import type { RunServices } from './services.js'

/** What scoring one task's rows needs: its prompt, metric, sampling and the name the log shows. */
export interface TaskScoring {
  task: LoadedTask
  prompt: ChatPrompt
  metric: Metric
  sampling: Sampling
  /** "triage", or "triage (base)" when a run scores the task twice. */
  label: string
}

export interface TaskScoringOptions {
  label?: string | undefined
  /** Parts to use instead of the files' (the optimizer's candidates), put into the task's prompt. */
  promptsFor?: ((task: LoadedTask) => PromptParts) | undefined
  /** Sampling to use instead of the task's own (a comparison scores base with head's k). */
  samplingFor?: ((task: string) => Sampling | undefined) | undefined
}

export function prepareTask(
  services: Pick<RunServices, 'project'>,
  task: LoadedTask,
  options: TaskScoringOptions
): TaskScoring {
  const { project } = services
  const systemSource = { file: project.config.systemPrompt ?? '', index: undefined }
  const prompt = options.promptsFor
    ? withParts(task.prompt, options.promptsFor(task), systemSource)
    : task.prompt
  return {
    task,
    prompt,
    metric: createTaskMetric(task.config),
    sampling: options.samplingFor?.(task.name) ?? samplingOf(task.config, project.config.models),
    label: options.label ? `${task.name} (${options.label})` : task.name
  }
}

/** Scores some of a task's rows (all of them, or a batch of the sequential gate). */
export function scoreRows(
  services: RunServices,
  scoring: TaskScoring,
  examples: readonly Example[],
  progress: (done: number, total: number) => void = (done, total) =>
    services.logger.progress(`${scoring.label}: ${done}/${total} scored`)
): Promise<ScoredExamples> {
  return scoreExamples({
    prompt: scoring.prompt,
    examples,
    dataFile: scoring.task.config.data,
    target: modelFor(services.models.target, scoring.task.config.target),
    judge: services.models.judge,
    metric: scoring.metric,
    responseFormat: toResponseFormat(scoring.task.config.responseFormat),
    concurrency: services.concurrency,
    sampling: scoring.sampling,
    signal: services.signal,
    onExampleDone: progress
  })
}

/** The task's result from its scored rows, with the calls and tokens they used. */
export function summarizeRows(
  services: Pick<RunServices, 'project'>,
  scoring: TaskScoring,
  results: ExampleResult[],
  seed: number,
  usage: TaskUsage
): TaskEvalResult {
  const summary = summarizeTask({
    task: scoring.task.name,
    metric: scoring.metric,
    prompt: scoring.prompt,
    dataHash: scoring.task.dataHash,
    results,
    level: services.project.config.gate.confidence,
    seed,
    sampling: scoring.sampling
  })
  summary.usage = usage
  // Which model answered, and which judged each check (an llm evaluator's own modelId).
  nameModels(summary, scoring.task.config, services.project.config.models)
  // What a handful of rows can and cannot show, for every report view.
  const small = smallSetFacts(
    scoring.task.name,
    results.length,
    services.project.config.gate.confidence
  )
  if (small !== undefined) summary.smallSet = small
  return summary
}

/** Calls and tokens used between two readings of the ledger's totals. */
export function usageBetween(before: TaskUsage, after: TaskUsage): TaskUsage {
  return {
    calls: after.calls - before.calls,
    cachedCalls: after.cachedCalls - before.cachedCalls,
    inputTokens: after.inputTokens - before.inputTokens,
    outputTokens: after.outputTokens - before.outputTokens
  }
}

/** Adds two usages. */
export function addUsage(a: TaskUsage, b: TaskUsage): TaskUsage {
  return {
    calls: a.calls + b.calls,
    cachedCalls: a.cachedCalls + b.cachedCalls,
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens
  }
}
