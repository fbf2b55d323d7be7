import type { ExtractConfig } from '../../config/types.js'
import { InputError } from '../../errors.js'
import { extractJsonValue } from '../extract.js'
import { jsonEqual, parseJsonPath, pickJsonPath } from '../json-find.js'
import type { Metric } from '../types.js'
import { meanOfScores, readScore, showValue, unreadableScore } from './shared.js'

/** The expected value as JSON: objects, arrays and scalars as they are; a string is parsed if it can be. */
function expectedJson(expected: unknown): unknown {
  if (typeof expected !== 'string') return expected
  try {
    return JSON.parse(expected) as unknown
  } catch {
    return expected
  }
}

/**
 * JSON match. The answer is parsed as JSON (none → unreadable). With `fields`, each listed field
 * (a path such as `a.b[0]`) must equal the expected value's field, structurally (key order aside;
 * strings compared exactly); without, the whole values must be equal. A field missing on both
 * sides counts as equal. Scores are 0 or 1: partial credit would break the paired 0/1 tests.
 */
export function createJsonMetric(fields: string[] | undefined, extract: ExtractConfig): Metric {
  const paths = fields?.map((field) => ({ field, steps: parseJsonPath(field) }))
  return {
    name: 'json',
    async score(reply, expected) {
      if (expected === undefined) {
        throw new InputError(`the json metric needs an expected value, got ${showValue(expected)}`)
      }
      const target = expectedJson(expected)
      const found = extractJsonValue(reply, extract)
      if (found === undefined) return unreadableScore()
      const answer = JSON.stringify(found.value) ?? 'null'
      const ok =
        paths === undefined || paths.length === 0
          ? jsonEqual(found.value, target)
          : paths.every(({ steps }) =>
              jsonEqual(pickJsonPath(found.value, steps), pickJsonPath(target, steps))
            )
      return readScore(answer, ok)
    },
    aggregate: meanOfScores
  }
}
