import type { ExtractConfig } from '../../config/types.js'
import { InputError } from '../../errors.js'
import { extractAnswer } from '../extract.js'
import { findLastNumber, formatNumber, parseNumber } from '../normalize.js'
import type { Metric } from '../types.js'
import { meanOfScores, readScore, showValue, unreadableScore } from './shared.js'

/** Reads a number: the whole text as one number, else the last number written in it. */
function readNumber(value: unknown): number | null {
  const whole = parseNumber(value)
  if (whole !== null) return whole
  return typeof value === 'string' ? findLastNumber(value) : null
}

/**
 * Numeric match: |answer − expected| ≤ tolerance, or with `relative`, ≤ tolerance·|expected|
 * (so a relative check against 0 needs exactly 0). A tiny slack absorbs float noise (0.1 + 0.2
 * against 0.3 with tolerance 0). The answer is the extracted text read as a number, or the last
 * number in it; none → unreadable. An expected value that is not a number is an InputError.
 */
export function createNumericMetric(
  tolerance: number,
  relative: boolean,
  extract: ExtractConfig
): Metric {
  return {
    name: 'numeric',
    async score(reply, expected) {
      const target = readNumber(expected)
      if (target === null) {
        throw new InputError(
          `the numeric metric needs a number as the expected value, got ${showValue(expected)}`
        )
      }
      const text = extractAnswer(reply, extract)
      const value = text === null ? null : readNumber(text)
      if (value === null) return unreadableScore()
      const allowed = relative ? tolerance * Math.abs(target) : tolerance
      const slack = 1e-9 * Math.max(1, Math.abs(target))
      const ok = Math.abs(value - target) <= allowed + slack
      return readScore(formatNumber(value), ok)
    },
    aggregate: meanOfScores
  }
}
