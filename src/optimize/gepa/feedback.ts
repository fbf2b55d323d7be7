/**
 * Per-example feedback for GEPA's reflection, from the example's result and its checks: what was
 * expected against what was given for short labels and numbers, "nothing readable", JSON fields
 * missing or wrong, the judge's critique. Long gold texts are never shown (they would be copied
 * into the prompt); only that the reply did not match.
 */
import type { Example } from '../../config/project-types.js'
import type { MetricConfig, TaskConfig } from '../../config/types.js'
import { fillGhTemplate } from '../../eval/metrics/gh-template.js'
import type { CheckScore, ExampleResult } from '../../eval/types.js'
import { expectedText } from '../failing-examples.js'

/** Longest expected value shown as is (a label, a number, a short answer). */
const SHOWN_CHARS = 40
/** Longest judge critique kept. */
const CRITIQUE_CHARS = 300

function flat(text: string, max: number): string {
  const one = text.replace(/\s+/g, ' ').trim()
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`
}

function asNumber(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN
  return Number.isFinite(n) ? n : undefined
}

function jsonObject(text: string | null): Record<string, unknown> | undefined {
  if (text === null) return undefined
  try {
    const parsed: unknown = JSON.parse(text)
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : undefined
  } catch {
    return undefined
  }
}

/** One miss described: expected vs given, without ever quoting a long gold text. */
function describeMiss(expected: unknown, answer: string | null, unreadable: boolean): string {
  if (unreadable || answer === null)
    return 'nothing readable: no answer could be read from the reply'
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected)) {
    const given = jsonObject(answer)
    if (given === undefined) return 'expected a JSON object; the answer is not one'
    const want = expected as Record<string, unknown>
    const missing = Object.keys(want).filter((k) => !(k in given))
    const wrong = Object.keys(want).filter(
      (k) => k in given && JSON.stringify(given[k]) !== JSON.stringify(want[k])
    )
    const parts: string[] = []
    if (missing.length > 0) parts.push(`fields missing: ${missing.join(', ')}`)
    if (wrong.length > 0) parts.push(`fields with a wrong value: ${wrong.join(', ')}`)
    return parts.length > 0 ? parts.join('; ') : 'the JSON answer does not match'
  }
  const want = asNumber(expected)
  const got = asNumber(answer)
  if (want !== undefined && got !== undefined) {
    return `expected the number ${want}, got ${got} (off by ${Math.abs(got - want)})`
  }
  const text = expectedText(expected)
  if (text.length <= SHOWN_CHARS && !text.includes('\n')) {
    return `expected ${JSON.stringify(text)}, got ${JSON.stringify(flat(answer, SHOWN_CHARS))}`
  }
  return 'the answer does not match the expected one (too long to show)'
}

/** What a miss is measured against, per metric type (exhaustive: a new metric needs a case). */
function missOf(
  metric: MetricConfig | undefined,
  example: Example,
  scored: { expected: unknown; answer: string | null; unreadable: boolean }
): string {
  const asExpected = (): string => describeMiss(scored.expected, scored.answer, scored.unreadable)
  if (metric === undefined) return asExpected()
  switch (metric.type) {
    case 'exact':
    case 'contains':
    case 'choice':
    case 'regex':
    case 'numeric':
    case 'json':
    case 'judge':
      return asExpected()
    case 'json_schema':
      // Scored against the schema, not the row's expected value; the rationale says where.
      return scored.unreadable || scored.answer === null
        ? 'nothing readable: the reply is not JSON'
        : 'the reply breaks the response schema'
    case 'gh-string': {
      const value = fillGhTemplate(metric.value, example.fields)
      const shown =
        value.length <= SHOWN_CHARS && !value.includes('\n')
          ? JSON.stringify(value)
          : "the evaluator's value (too long to show)"
      return `the reply does not satisfy ${metric.op} ${shown}`
    }
    case 'gh-llm':
    case 'gh-builtin':
      // Graded by a judge against its own prompt or rubric: its verdict is the feedback.
      return scored.unreadable || scored.answer === null
        ? "no grade could be read from the evaluator's reply"
        : `the evaluator graded it ${JSON.stringify(flat(scored.answer, SHOWN_CHARS))}`
  }
}

function checkLine(check: CheckScore, metric: MetricConfig | undefined, example: Example): string {
  const miss = missOf(metric, example, {
    expected: check.expected,
    answer: check.answer,
    unreadable: check.unreadable
  })
  const critique = check.rationale ? ` — judge: ${flat(check.rationale, CRITIQUE_CHARS)}` : ''
  return `check ${check.name} failed: ${miss}${critique}`
}

/** A check failed unless its metric passed it (GitHub Models evaluators) or it scored 1. */
function checkFailed(check: CheckScore): boolean {
  return check.passed !== undefined ? !check.passed : check.score < 1
}

/**
 * The feedback line for one scored row. With the task's config, each metric's miss is told its
 * own way (a schema, a GitHub Models evaluator); without it, against the expected value.
 */
export function exampleFeedback(
  example: Example,
  result: ExampleResult,
  task?: Pick<TaskConfig, 'metric' | 'checks'>
): string {
  if (result.error !== undefined || result.output === null) return 'the call failed; no reply'
  if (result.score >= 1) return 'correct'
  const score = `score ${result.score.toFixed(2)}`
  if (result.checks !== undefined && result.checks.length > 0) {
    const metrics = new Map(task?.checks?.checks.map((c) => [c.name, c.metric]))
    const failed = result.checks
      .filter(checkFailed)
      .map((c) => checkLine(c, metrics.get(c.name), example))
    return `wrong (${score}): ${failed.join('; ')}`
  }
  const miss = missOf(task?.metric, example, {
    expected: example.expected,
    answer: result.answer,
    unreadable: result.unreadable
  })
  const critique = result.rationale ? ` — judge: ${flat(result.rationale, CRITIQUE_CHARS)}` : ''
  return `wrong (${score}): ${miss}${critique}`
}
