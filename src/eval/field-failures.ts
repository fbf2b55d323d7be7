import type { ExampleResult, FieldFailure } from './types.js'

/**
 * The fields of JSON replies that fail most: for each field scored on at least one example, how
 * many of those examples got it wrong; fields that never failed are left out. Most failures first,
 * then the higher failure rate, then config order. Undefined when no example has field results.
 */
export function fieldFailures(results: readonly ExampleResult[]): FieldFailure[] | undefined {
  const counts = new Map<string, FieldFailure>()
  for (const result of results) {
    if (result.fields === undefined) continue
    for (const [field, ok] of Object.entries(result.fields)) {
      let count = counts.get(field)
      if (count === undefined) {
        count = { field, failed: 0, n: 0 }
        counts.set(field, count)
      }
      count.n++
      if (!ok) count.failed++
    }
  }
  if (counts.size === 0) return undefined
  return [...counts.values()]
    .filter((count) => count.failed > 0)
    .map((count, order) => ({ count, order }))
    .sort(
      (a, b) =>
        b.count.failed - a.count.failed ||
        b.count.failed / b.count.n - a.count.failed / a.count.n ||
        a.order - b.order
    )
    .map(({ count }) => count)
}
