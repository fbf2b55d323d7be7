/** Per-task normalisation: extract and metric defaults, split fractions, label checks. */
import type { PathIssue } from './schema-issues.js'
import type { RawTask } from './schema.js'
import type { ExtractConfig, MetricConfig, SplitConfig, TaskConfig } from './types.js'

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
  return {
    name: task.name,
    prompt: task.prompt,
    data: task.data,
    expected: task.expected,
    idField: task.id_field,
    extract: normalizeExtract(task.extract, at('extract'), issues),
    metric: normalizeMetric(task.metric, at('metric'), issues),
    split: normalizeSplit(task.split, seed, at('split'), issues),
    systemPrompt: task.system_prompt,
    limit: task.limit
  }
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

function normalizeMetric(
  raw: RawTask['metric'],
  path: Array<string | number>,
  issues: PathIssue[]
): MetricConfig {
  switch (raw.type) {
    case 'exact':
      return { type: 'exact' }
    case 'contains':
      return { type: 'contains', caseSensitive: raw.case_sensitive }
    case 'choice': {
      const seen = new Map<string, number>()
      raw.choices.forEach((choice, i) => {
        const key = normalizeLabel(choice)
        const first = seen.get(key)
        if (first !== undefined)
          issues.push({
            path: [...path, 'choices', i],
            message: `duplicate label "${choice}" (same as choices[${first}] ignoring case and spaces)`
          })
        else seen.set(key, i)
      })
      return { type: 'choice', choices: [...raw.choices], score: raw.score }
    }
    case 'regex':
      try {
        new RegExp(raw.pattern, raw.flags)
      } catch {
        issues.push({
          path: [...path, 'flags'],
          message: `invalid flags "${raw.flags}" for this pattern`
        })
      }
      return { type: 'regex', pattern: raw.pattern, flags: raw.flags }
    case 'numeric':
      return { type: 'numeric', tolerance: raw.tolerance, relative: raw.relative }
    case 'json':
      return { type: 'json', fields: raw.fields ? [...raw.fields] : undefined }
    case 'judge':
      if (raw.pass_at !== undefined && raw.pass_at > raw.scale)
        issues.push({
          path: [...path, 'pass_at'],
          message: `expected a number between 1 and scale (${raw.scale}), got ${raw.pass_at}`
        })
      return { type: 'judge', rubric: raw.rubric, scale: raw.scale, passAt: raw.pass_at }
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

/** How labels are compared when checking data against `choices`. */
export function normalizeLabel(label: string): string {
  return label.trim().toLowerCase()
}

/** Number of capture groups in a pattern (an alternation with the empty string always matches). */
function captureGroups(pattern: string): number {
  return (new RegExp(`${pattern}|`).exec('')?.length ?? 1) - 1
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6
}
