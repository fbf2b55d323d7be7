import type { ExtractConfig } from '../../config/types.js'
import { InputError } from '../../errors.js'
import { extractAnswer } from '../extract.js'
import type { Metric } from '../types.js'
import { meanOfScores, readScore, unreadableScore } from './shared.js'

/**
 * The answer matches a pattern: 1 when it does, whatever the expected value (useful for format
 * checks such as "answers with a date"). The `g` and `y` flags are dropped: they make a pattern
 * stateful between examples.
 */
export function createRegexMetric(pattern: string, flags: string, extract: ExtractConfig): Metric {
  let re: RegExp
  try {
    re = new RegExp(pattern, flags.replace(/[gy]/g, ''))
  } catch (error) {
    throw new InputError(
      `the regex metric's pattern /${pattern}/${flags} is not a valid regular expression (${(error as Error).message})`
    )
  }
  return {
    name: 'regex',
    async score(reply) {
      const answer = extractAnswer(reply, extract)
      if (answer === null) return unreadableScore()
      return readScore(answer, re.test(answer))
    },
    aggregate: meanOfScores
  }
}
