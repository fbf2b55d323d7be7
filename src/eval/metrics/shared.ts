import { InputError } from '../../errors.js'
import type { ExampleScore } from '../types.js'
import { valueToText } from '../normalize.js'

/** The score of a reply with no readable answer: wrong, and counted apart. */
export function unreadableScore(rationale?: string): ExampleScore {
  const score: ExampleScore = { score: 0, answer: null, unreadable: true }
  if (rationale !== undefined) score.rationale = rationale
  return score
}

/** A readable answer's score. */
export function readScore(answer: string, correct: boolean | number): ExampleScore {
  const score = typeof correct === 'number' ? correct : correct ? 1 : 0
  return { score, answer, unreadable: false }
}

/** The mean per-example score: the aggregate of every metric except macro-F1 (0 when empty). */
export function meanOfScores(results: ReadonlyArray<{ score: number }>): number {
  if (results.length === 0) return 0
  let sum = 0
  for (const r of results) sum += r.score
  return sum / results.length
}

/**
 * The accepted expected texts: a list (e.g. several acceptable answers) means any of them, any
 * other value is one text. Throws InputError when there is none.
 */
export function expectedTexts(expected: unknown, metric: string): string[] {
  const values = Array.isArray(expected) ? expected : [expected]
  const texts = values.map(valueToText).filter((t) => t.trim() !== '')
  if (texts.length === 0) {
    throw new InputError(
      `the ${metric} metric needs an expected value, but the row's expected value is empty`
    )
  }
  return texts
}

/** A value shown in an error message, shortened. */
export function showValue(value: unknown): string {
  const text = value === undefined ? 'undefined' : (JSON.stringify(value) ?? String(value))
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}
