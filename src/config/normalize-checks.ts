/** `tasks[].checks` + `tasks[].pass` → ChecksConfig, with the rules that span a check's keys. */
import { normalizeMetric } from './normalize-metric.js'
import type { PathIssue } from './schema-issues.js'
import type { RawCheck, RawMetric } from './schema.js'
import type { CheckConfig, ChecksConfig, SchemaConfig } from './types.js'

type At = (...rest: Array<string | number>) => Array<string | number>

/**
 * Each check keeps its metric's own rules, plus: `not` needs a metric that passes or fails (a
 * judge needs `pass_at`; a macro-F1 score is an aggregate with no per-example pass); `pass: all`
 * needs per-example passes too (no macro-F1); `value` is for metrics that read the expected value
 * (regex ignores it). Names are unique; an unnamed check is called after its type, numbered by
 * position when the type repeats (`contains-2`).
 */
export function normalizeChecks(
  raw: readonly RawCheck[],
  pass: 'mean' | 'all',
  at: At,
  issues: PathIssue[],
  responseSchema?: SchemaConfig
): ChecksConfig {
  const typeCount = new Map<string, number>()
  for (const check of raw) typeCount.set(check.type, (typeCount.get(check.type) ?? 0) + 1)
  const seen = new Map<string, number>()
  const checks = raw.map((check, j): CheckConfig => {
    const { name, weight, not, value, ...rest } = check
    const path = at('checks', j)
    const metric = normalizeMetric(rest as RawMetric, path, issues, responseSchema)
    if (not && metric.type === 'judge' && metric.passAt === undefined)
      issues.push({
        path: [...path, 'not'],
        message:
          'expected `pass_at` on a judge check with `not: true` (a judge check passes or fails only against a pass threshold)'
      })
    if (metric.type === 'choice' && metric.score === 'macro_f1') {
      if (not)
        issues.push({
          path: [...path, 'not'],
          message:
            'expected no `not` on a macro_f1 check (macro-F1 is a score over all examples, with no pass per example); use score: accuracy'
        })
      if (pass === 'all')
        issues.push({
          path: [...path, 'score'],
          message:
            'expected score: accuracy with `pass: all` (macro-F1 is a score over all examples, with no pass per example)'
        })
    }
    if (value !== undefined && metric.type === 'regex')
      issues.push({
        path: [...path, 'value'],
        message:
          'expected no `value` on a regex check (it matches its `pattern` and ignores the expected value)'
      })
    const repeated = (typeCount.get(check.type) ?? 0) > 1
    const own = name ?? (repeated ? `${check.type}-${j + 1}` : check.type)
    const first = seen.get(own)
    if (first !== undefined)
      issues.push({
        path: [...path, name === undefined ? 'type' : 'name'],
        message: `expected a unique check name, but "${own}" is also checks[${first}]'s${name === undefined ? ' (give one of them a `name`)' : ''}`
      })
    else seen.set(own, j)
    return { name: own, weight, not, value, metric }
  })
  return { checks, pass }
}
