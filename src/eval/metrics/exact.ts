import type { ExtractConfig } from '../../config/types.js'
import { extractAnswer } from '../extract.js'
import { normalizeText } from '../normalize.js'
import type { Metric } from '../types.js'
import { expectedTexts, meanOfScores, readScore, unreadableScore } from './shared.js'

/**
 * Exact match after normalisation (lowercase, no punctuation, collapsed whitespace; see
 * normalize.ts). A list as the expected value accepts any of its items.
 */
export function createExactMetric(extract: ExtractConfig): Metric {
  return {
    name: 'exact',
    async score(reply, expected) {
      const targets = expectedTexts(expected, 'exact').map(normalizeText)
      const answer = extractAnswer(reply, extract)
      if (answer === null) return unreadableScore()
      const folded = normalizeText(answer)
      return readScore(answer, targets.includes(folded))
    },
    aggregate: meanOfScores
  }
}
