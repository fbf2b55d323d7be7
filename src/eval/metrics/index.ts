import type { ExtractConfig, MetricConfig, TaskConfig } from '../../config/types.js'
import type { Metric } from '../types.js'
import { createChecksMetric } from './checks.js'
import { createChoiceMetric } from './choice.js'
import { createContainsMetric } from './contains.js'
import { createExactMetric } from './exact.js'
import { createGhBuiltinMetric } from './gh-builtin.js'
import { createGhLlmMetric } from './gh-llm.js'
import { createGhStringMetric } from './gh-string.js'
import { createJsonMetric } from './json.js'
import { createJsonSchemaMetric } from './json-schema.js'
import { createJudgeMetric } from './judge.js'
import { createNumericMetric } from './numeric.js'
import { createRegexMetric } from './regex.js'

export { createLabelReader } from './labels.js'
export type { LabelReader } from './labels.js'
export { macroF1 } from './macro-f1.js'
export { readJudgeScore } from './judge.js'
export { buildJudgeMessages } from './judge-prompt.js'

/**
 * The metric a task's config asks for, reading answers with the task's extraction. Throws
 * InputError on a config the metric cannot work with (a bad pattern, an empty label set, a judge
 * scale below 2). The judge metric grades the whole reply and ignores the extraction.
 */
export function createMetric(
  metric: MetricConfig,
  extract: ExtractConfig,
  name: string = metric.type
): Metric {
  switch (metric.type) {
    case 'exact':
      return createExactMetric(extract)
    case 'contains':
      return createContainsMetric(metric.caseSensitive, extract)
    case 'regex':
      return createRegexMetric(metric.pattern, metric.flags, extract)
    case 'numeric':
      return createNumericMetric(metric.tolerance, metric.relative, extract)
    case 'json':
      return createJsonMetric(metric.fields, metric.credit, extract)
    case 'json_schema':
      return createJsonSchemaMetric(metric.schema, extract)
    case 'choice':
      return createChoiceMetric(metric.choices, metric.score, extract)
    case 'judge':
      return createJudgeMetric(metric.rubric, metric.scale, metric.passAt)
    case 'gh-string':
      return createGhStringMetric(metric.op, metric.value)
    case 'gh-llm':
      return createGhLlmMetric({ ...metric, name })
    case 'gh-builtin':
      return createGhBuiltinMetric(metric.builtin, name)
  }
}

/**
 * The metric a task is scored with: its one metric, or with `checks:`, the checks combined (see
 * checks.ts). Every check reads answers with the task's extraction.
 */
export function createTaskMetric(task: Pick<TaskConfig, 'metric' | 'checks' | 'extract'>): Metric {
  if (task.checks === undefined) return createMetric(task.metric, task.extract)
  const gh = task.checks.checks.every((c) => c.metric.type.startsWith('gh-'))
  return createChecksMetric(
    task.checks,
    task.checks.checks.map((check) => ({
      name: check.name,
      weight: check.weight,
      not: check.not,
      value: check.value,
      metric: createMetric(check.metric, task.extract, check.name)
    })),
    gh ? 'pass rate' : undefined
  )
}
