import type { ExtractConfig, JsonFieldConfig, JsonFieldMatch } from '../../config/types.js'
import { InputError } from '../../errors.js'
import { extractJsonValue } from '../extract.js'
import { jsonEqual, parseJsonPath, pickJsonPath } from '../json-find.js'
import { normalizeText, parseNumber, valueToText } from '../normalize.js'
import type { ExampleScore, FieldResults, Metric } from '../types.js'
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

/** Whether one field of the reply matches the expected field. Missing on both sides is a match. */
function fieldMatches(match: JsonFieldMatch, got: unknown, want: unknown, field: string): boolean {
  if (got === undefined || want === undefined) return got === want
  switch (match.type) {
    case 'exact':
      return jsonEqual(got, want)
    case 'text':
      return normalizeText(valueToText(got)) === normalizeText(valueToText(want))
    case 'numeric': {
      const target = parseNumber(want)
      if (target === null)
        throw new InputError(
          `the json metric's field "${field}" is compared as a number, but the expected value there is ${showValue(want)}`
        )
      const value = parseNumber(got)
      if (value === null) return false
      const allowed = match.relative ? match.tolerance * Math.abs(target) : match.tolerance
      const slack = 1e-9 * Math.max(1, Math.abs(target))
      return Math.abs(value - target) <= allowed + slack
    }
  }
}

/**
 * JSON match. The answer is parsed as JSON (none → unreadable). Without `fields` the whole values
 * must be equal (key order aside; strings exact). With `fields`, each listed field (a path such as
 * `a.b[0]`) is compared on its own — `exact` (structural), `text` (normalised case, spaces and
 * punctuation) or `numeric` (tolerance) — and recorded per example; the score is the share of
 * fields that match (`credit: partial`, so 4 of 5 scores 0.8) or 1 only when all do (`credit: all`).
 * Partial scores are fine for comparisons: paired tests fall back to a permutation test.
 */
export function createJsonMetric(
  fields: readonly JsonFieldConfig[] | undefined,
  credit: 'partial' | 'all',
  extract: ExtractConfig
): Metric {
  const paths = fields?.map((field) => ({ ...field, steps: parseJsonPath(field.path) }))
  return {
    name: 'json',
    async score(reply, expected): Promise<ExampleScore> {
      if (expected === undefined) {
        throw new InputError(`the json metric needs an expected value, got ${showValue(expected)}`)
      }
      const target = expectedJson(expected)
      const found = extractJsonValue(reply, extract)
      if (found === undefined) return unreadableScore()
      const answer = JSON.stringify(found.value) ?? 'null'
      if (paths === undefined || paths.length === 0)
        return readScore(answer, jsonEqual(found.value, target))
      const results: FieldResults = {}
      let matched = 0
      for (const { path, match, steps } of paths) {
        const ok = fieldMatches(
          match,
          pickJsonPath(found.value, steps),
          pickJsonPath(target, steps),
          path
        )
        results[path] = ok
        if (ok) matched++
      }
      const score = credit === 'partial' ? matched / paths.length : matched === paths.length ? 1 : 0
      return { ...readScore(answer, score), fields: results }
    },
    aggregate: meanOfScores
  }
}
