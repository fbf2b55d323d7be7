/**
 * What a small set of rows can and cannot show. GitHub Models prompt files usually carry a handful
 * of rows; these numbers let the tools say so plainly instead of presenting a 3-row score as fact.
 *
 * The gate's paired test on pass/fail rows is McNemar's exact test on the rows that changed: when
 * k rows change and all in one direction, p = 2 · 0.5^k. So a change is significant at confidence
 * c only when at least k* = the smallest k with 2 · 0.5^k < 1 − c rows moved (6 at 95%); with
 * fewer rows than that, no drop (and no gain) can be detected at all.
 */
import { normalQuantile } from './stats.js'

/** Rows below this count get the note. */
export const SMALL_SET_ROWS = 30

/** The fewest rows that must all move one way for a paired change to be significant. */
export function minRowsForSignificance(confidence: number): number {
  const alpha = 1 - confidence
  let k = 1
  while (2 * 0.5 ** k >= alpha && k < 64) k++
  return k
}

/** Half-width, in points, of a score's normal-approximation interval at its widest (p = ½). */
export function worstHalfWidthPoints(n: number, confidence: number): number {
  const z = normalQuantile(1 - (1 - confidence) / 2)
  return Math.round(100 * z * Math.sqrt(0.25 / Math.max(1, n)))
}

/** What a small set of rows can show, as every report view states it (TaskEvalResult.smallSet). */
export interface SmallSetFacts {
  /** Rows scored. */
  rows: number
  /** Half-width, in points, of the score's interval at its widest (p = ½). */
  halfWidthPoints: number
  confidence: number
  /** Rows that must all move one way for a paired change to be significant. */
  minRowsMoved: number
  /** The smallest drop it could detect, in points; null when no drop can be detected at all. */
  detectableDropPoints: number | null
  /** The plain sentence, as logged and rendered. */
  text: string
}

/** What `n` rows can show, or undefined when the set is not small. */
export function smallSetFacts(
  task: string,
  n: number,
  confidence: number
): SmallSetFacts | undefined {
  if (n >= SMALL_SET_ROWS || n === 0) return undefined
  const k = minRowsForSignificance(confidence)
  const level = `${Math.round(confidence * 100)}%`
  const halfWidthPoints = worstHalfWidthPoints(n, confidence)
  const width = `a score is known to about ±${halfWidthPoints} points (${level})`
  const detectableDropPoints = n < k ? null : Math.round((100 * k) / n)
  const detect =
    detectableDropPoints === null
      ? `no drop can be shown to be more than noise: that takes at least ${k} rows that all got worse`
      : `the smallest drop it could detect is ${k} of ${n} rows all getting worse (${detectableDropPoints} points)`
  return {
    rows: n,
    halfWidthPoints,
    confidence,
    minRowsMoved: k,
    detectableDropPoints,
    text: `${task} has only ${n} row${n === 1 ? '' : 's'}: ${width}, and ${detect}; add rows for a firmer answer`
  }
}

/** A plain sentence on what `n` rows can show, or undefined when the set is not small. */
export function smallSetNote(task: string, n: number, confidence: number): string | undefined {
  return smallSetFacts(task, n, confidence)?.text
}

/**
 * Why an optimized prompt could not be confirmed on the held-out rows, or undefined when there
 * are enough: it says how many rows would do at the task's test fraction.
 */
export function heldOutShortfall(
  task: string,
  testRows: number,
  testFraction: number,
  confidence: number
): string | undefined {
  const k = minRowsForSignificance(confidence)
  if (testRows >= k) return undefined
  const total = testFraction > 0 ? Math.ceil(k / testFraction) : undefined
  return `${task} has ${testRows} held-out (test) row${testRows === 1 ? '' : 's'}; confirming a gain at ${Math.round(confidence * 100)}% confidence takes at least ${k}${total === undefined ? ' (give the task a test split)' : ` — about ${total} rows in all at the ${Math.round(testFraction * 100)}% test split`}`
}
