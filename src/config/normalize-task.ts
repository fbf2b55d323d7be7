/** Per-task normalisation: extract and metric defaults, split fractions, label checks. */
export { normalizeLabel } from './normalize-metric.js'
import type { PathIssue } from './schema-issues.js'
import type { RawTask } from './schema.js'
import { isGithubPromptFile } from './github-prompt-file.js'
import { normalizeChecks } from './normalize-checks.js'
import { normalizeMetric } from './normalize-metric.js'
import { normalizeResponseFormat } from './normalize-output.js'
import type { ExtractConfig, SplitConfig, TaskConfig } from './types.js'

/** Split used when a task gives no fractions. */
const DEFAULT_SPLIT = { train: 0.5, dev: 0.25, test: 0.25 } as const

/** One task of the file → TaskConfig; cross-key problems go to `issues`. */
export function normalizeTask(
  task: RawTask,
  index: number,
  seed: number,
  issues: PathIssue[]
): TaskConfig {
  const at = (...rest: Array<string | number>) => ['tasks', index, ...rest]
  if (task.metric !== undefined && task.checks !== undefined)
    issues.push({
      path: at('checks'),
      message:
        'expected either `metric:` (one check) or `checks:` (several), not both; move the metric into the checks'
    })
  if (task.pass !== undefined && task.checks === undefined)
    issues.push({
      path: at('pass'),
      message: 'expected `pass:` only with `checks:` (it says how several checks combine)'
    })
  const responseFormat = normalizeResponseFormat(
    task.response_format,
    at('response_format'),
    issues
  )
  const responseSchema = responseFormat?.type === 'json_schema' ? responseFormat.schema : undefined
  let data = task.data
  if (data === undefined) {
    if (isGithubPromptFile(task.prompt)) data = task.prompt
    else
      issues.push({
        path: at('data'),
        message:
          'required: expected the dataset file (only a GitHub Models prompt file, *.prompt.yml, carries its own rows in `testData:`)'
      })
  }
  const config: TaskConfig = {
    name: task.name,
    prompt: task.prompt,
    data: data ?? '',
    expected: task.expected,
    idField: task.id_field,
    extract: normalizeExtract(task.extract, at('extract'), issues),
    metric: normalizeMetric(task.metric ?? { type: 'exact' }, at('metric'), issues, responseSchema),
    split: normalizeSplit(task.split, seed, at('split'), issues),
    systemPrompt: task.system_prompt,
    limit: task.limit,
    ...(task.samples !== undefined && { samples: task.samples }),
    ...(task.aggregate !== undefined && { aggregate: task.aggregate })
  }
  if (task.checks !== undefined)
    config.checks = normalizeChecks(task.checks, task.pass ?? 'mean', at, issues, responseSchema)
  else if (task.metric === undefined && isGithubPromptFile(task.prompt))
    config.metricDefaulted = true
  if (responseFormat !== undefined) config.responseFormat = responseFormat
  return config
}

function normalizeExtract(
  raw: RawTask['extract'],
  path: Array<string | number>,
  issues: PathIssue[]
): ExtractConfig {
  // The choice metric finds the label in the whole reply itself, so raw is the right default.
  if (raw === undefined) return { type: 'raw' }
  switch (raw.type) {
    case 'tag':
      return { type: 'tag', tag: raw.tag }
    case 'regex': {
      const groups = captureGroups(raw.pattern)
      const group = raw.group ?? (groups > 0 ? 1 : 0)
      if (group > groups)
        issues.push({
          path: [...path, 'group'],
          message: `expected a group number <= ${groups} (the pattern has ${groups} capture group(s)), got ${group}`
        })
      return { type: 'regex', pattern: raw.pattern, group }
    }
    case 'json':
      return { type: 'json', path: raw.path }
    default:
      return { type: raw.type }
  }
}

function normalizeSplit(
  raw: RawTask['split'],
  seed: number,
  path: Array<string | number>,
  issues: PathIssue[]
): SplitConfig {
  const given = raw.train !== undefined || raw.dev !== undefined || raw.test !== undefined
  // Once any fraction is given, the others default to 0 (so `test: 1` means "all test").
  const fractions = given
    ? { train: raw.train ?? 0, dev: raw.dev ?? 0, test: raw.test ?? 0 }
    : { ...DEFAULT_SPLIT }
  const sum = fractions.train + fractions.dev + fractions.test
  if (raw.field === undefined && Math.abs(sum - 1) > 1e-9)
    issues.push({
      path,
      message: `expected train + dev + test to sum to 1, got ${round(sum)} (omitted fractions count as 0)`
    })
  return { ...fractions, seed: raw.seed ?? seed, field: raw.field }
}

/** Number of capture groups in a pattern (an alternation with the empty string always matches). */
function captureGroups(pattern: string): number {
  return (new RegExp(`${pattern}|`).exec('')?.length ?? 1) - 1
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6
}
