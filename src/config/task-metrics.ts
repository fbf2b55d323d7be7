/** What a task scores with, whichever form its config uses (`metric:` or `checks:`). */
import type { MetricConfig, TaskConfig } from './types.js'

/** Every metric a task's examples are scored with: its checks' metrics, else its one metric. */
export function taskMetrics(task: TaskConfig): MetricConfig[] {
  return task.checks === undefined ? [task.metric] : task.checks.checks.map((c) => c.metric)
}

/** The task calls the judge model (a judge metric, or a judge check). */
export function usesJudge(task: TaskConfig): boolean {
  return taskMetrics(task).some((metric) => judgeCalls(metric) > 0)
}

/** Judge calls the metric makes per example. */
export function judgeCalls(metric: MetricConfig): number {
  switch (metric.type) {
    case 'judge':
    case 'gh-llm':
    case 'gh-builtin':
      return 1
    case 'exact':
    case 'contains':
    case 'choice':
    case 'numeric':
    case 'json':
    case 'regex':
    case 'json_schema':
    case 'gh-string':
      return 0
  }
}

/** The metric compares the reply with an expected value (a judge may grade without one). */
function readsExpected(metric: MetricConfig): 'needs' | 'optional' | 'ignores' {
  switch (metric.type) {
    case 'exact':
    case 'contains':
    case 'choice':
    case 'numeric':
    case 'json':
      return 'needs'
    case 'judge':
      return 'optional'
    // GitHub Models evaluators read the row's fields themselves, as gh does.
    case 'regex':
    case 'json_schema':
    case 'gh-string':
    case 'gh-llm':
    case 'gh-builtin':
      return 'ignores'
  }
}

/**
 * The metrics that read the row's expected field, and whether one of them needs it. The one
 * metric always reads it (as it always has; a judge may do without); a check reads it unless it
 * has its own `value` or its metric ignores it.
 */
export function expectedFieldUse(task: TaskConfig): { readers: MetricConfig[]; required: boolean } {
  if (task.checks === undefined)
    return {
      readers: [task.metric],
      required: task.metric.type !== 'judge' && task.metric.type !== 'json_schema'
    }
  const readers = task.checks.checks
    .filter((c) => c.value === undefined && readsExpected(c.metric) !== 'ignores')
    .map((c) => c.metric)
  return { readers, required: readers.some((m) => readsExpected(m) === 'needs') }
}
