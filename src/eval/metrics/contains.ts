import type { ExtractConfig } from '../../config/types.js'
import { extractAnswer } from '../extract.js'
import { foldText } from '../normalize.js'
import type { Metric } from '../types.js'
import { expectedTexts, meanOfScores, readScore, unreadableScore } from './shared.js'

/**
 * The expected text occurs in the answer (a plain substring, after both are folded the same way:
 * punctuation stripped, whitespace collapsed, and lowercased unless `caseSensitive`). A list as
 * the expected value accepts any of its items.
 */
export function createContainsMetric(caseSensitive: boolean, extract: ExtractConfig): Metric {
  const fold = (text: string): string => foldText(text, { caseSensitive })
  return {
    name: 'contains',
    async score(reply, expected) {
      const needles = expectedTexts(expected, 'contains').map(fold)
      const answer = extractAnswer(reply, extract)
      if (answer === null) return unreadableScore()
      const haystack = fold(answer)
      const found = needles.some((needle) => needle !== '' && haystack.includes(needle))
      return readScore(answer, found)
    },
    aggregate: meanOfScores
  }
}
