import { fillCheckValue } from '../../config/check-values.js'
import type { ChecksConfig } from '../../config/types.js'
import type {
  AggregateInput,
  CheckScore,
  CheckSummary,
  ExampleScore,
  Metric,
  MetricContext
} from '../types.js'
import { meanOfScores } from './shared.js'

/** One check, ready to score: its metric and how it counts. */
export interface CheckMetric {
  name: string
  weight: number
  not: boolean
  value: unknown
  metric: Metric
}

/** Where a check's `value` is named when the row cannot fill it. */
const VALUE_FILE = 'check value'

async function scoreCheck(
  check: CheckMetric,
  reply: string,
  expected: unknown,
  context: MetricContext
): Promise<{ check: CheckScore; fields: ExampleScore['fields'] }> {
  const own =
    check.value === undefined
      ? undefined
      : fillCheckValue(check.value, context.fields ?? {}, {
          file: `${VALUE_FILE} of ${check.name}`,
          rowId: context.row?.id ?? '?',
          line: context.row?.line
        })
  const scored = await check.metric.score(reply, own ?? expected, context)
  // Negation flips pass and fail; an answer (or a judge's grade) that could not be read fails
  // either way.
  const unread = scored.unreadable || scored.judgeUnreadable === true
  const score = !check.not || unread ? scored.score : scored.score === 1 ? 0 : 1
  const passed =
    scored.passed === undefined
      ? undefined
      : check.not && !unread
        ? !scored.passed
        : unread
          ? false
          : scored.passed
  const result: CheckScore = {
    name: check.name,
    score,
    answer: scored.answer,
    unreadable: scored.unreadable
  }
  if (passed !== undefined) result.passed = passed
  if (scored.judgeUnreadable === true) result.judgeUnreadable = true
  if (scored.rationale !== undefined) result.rationale = scored.rationale
  if (own !== undefined) result.expected = own
  return { check: result, fields: scored.fields }
}

/** A check passes by its metric's own rule when it has one, else when it scores 1. */
export function checkPassed(check: Pick<CheckScore, 'score' | 'passed'>): boolean {
  return check.passed ?? check.score === 1
}

/** The example's combined score: the weighted mean of its checks, or 1 only when all pass. */
function combine(
  checks: readonly CheckMetric[],
  scores: readonly CheckScore[],
  pass: 'mean' | 'all'
): number {
  if (pass === 'all') return scores.every(checkPassed) ? 1 : 0
  let sum = 0
  let weights = 0
  checks.forEach((check, i) => {
    sum += check.weight * (scores[i]?.score ?? 0)
    weights += check.weight
  })
  return weights === 0 ? 0 : sum / weights
}

/** Each example's result for check i, as that check's own metric aggregates it. */
function rowsOf(results: readonly AggregateInput[], i: number): AggregateInput[] {
  return results.map((r) => {
    const c = r.checks?.[i]
    if (c === undefined) throw new Error(`unreachable: an example without check ${i}`)
    return { score: c.score, answer: c.answer, expected: 'expected' in c ? c.expected : r.expected }
  })
}

/** A negated check's aggregate is the mean of its flipped scores (macro-F1 cannot be negated). */
function checkAggregate(check: CheckMetric, rows: readonly AggregateInput[]): number {
  return check.not ? meanOfScores(rows) : check.metric.aggregate(rows)
}

/**
 * Several checks per example behind the one Metric interface (`tasks[].checks`). Each check scores
 * the reply with its own metric against its `value` (filled from the row) or the row's expected
 * value; `not` turns a pass (1) into 0 and anything else into 1, except an unreadable answer, which
 * fails either way. The example's score is the weighted mean of its check scores (`pass: mean`) or
 * 1 only when every check passes (`pass: all`); each check's result is kept on the example.
 *
 * The task score: with `pass: all`, the mean of the examples' scores. With `pass: mean`, the
 * weighted mean of the checks' own aggregates — which is the mean of the examples' scores when every
 * check is a per-example mean, and takes a macro_f1 check's macro-F1 as that check's part (a
 * macro-F1 is a score of the whole set, not of an example). Paired comparisons (the gate) use the
 * examples' scores, where a macro_f1 check counts as accuracy, as for a lone macro_f1 metric.
 */
export function createChecksMetric(
  config: ChecksConfig,
  checks: readonly CheckMetric[],
  /** The name reports show (GitHub Models evaluators: `pass rate`, as gh calls it). */
  label?: string
): Metric {
  const pass = config.pass
  const perExample =
    pass === 'all' || checks.every((c) => c.not || c.metric.aggregate === meanOfScores)
  const weights = checks.reduce((sum, c) => sum + c.weight, 0)
  const aggregate = perExample
    ? meanOfScores
    : (results: readonly AggregateInput[]): number => {
        let sum = 0
        checks.forEach((check, i) => {
          sum += check.weight * checkAggregate(check, rowsOf(results, i))
        })
        return sum / weights
      }
  return {
    name: label ?? (pass === 'all' ? 'all checks' : 'mean of checks'),
    async score(reply, expected, context): Promise<ExampleScore> {
      const scored = await Promise.all(checks.map((c) => scoreCheck(c, reply, expected, context)))
      const scores = scored.map((s) => s.check)
      // A json check's per-field results (the first such check's) feed "fields that fail most".
      const fields = scored.find((s) => s.fields !== undefined)?.fields
      const rationale = scores
        .filter((s) => s.rationale !== undefined && s.rationale !== '')
        .map((s) => `${s.name}: ${s.rationale}`)
        .join(' | ')
      const result: ExampleScore = {
        score: combine(checks, scores, pass),
        answer: scores.find((s) => s.answer !== null)?.answer ?? null,
        unreadable: scores.every((s) => s.unreadable),
        checks: scores
      }
      if (scores.some((s) => s.judgeUnreadable === true)) result.judgeUnreadable = true
      if (rationale !== '') result.rationale = rationale
      if (fields !== undefined) result.fields = fields
      return result
    },
    aggregate,
    summarizeChecks(results) {
      return checks.map((check, i): CheckSummary => {
        const rows = rowsOf(results, i)
        const own = results.map((r) => r.checks?.[i])
        return {
          name: check.name,
          metric: check.metric.name,
          weight: check.weight,
          not: check.not,
          score: rows.length === 0 ? 0 : checkAggregate(check, rows),
          passed: own.filter((c) => c !== undefined && checkPassed(c)).length,
          unreadable: own.filter((c) => c?.unreadable === true).length
        }
      })
    }
  }
}
