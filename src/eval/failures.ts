/**
 * The distinct reasons calls failed at the provider, so a run that lost rows says why (connection
 * refused, a 500, a bad model name) with counts and one example each, not only "see the report".
 */
import type { ExampleResult } from './types.js'

/** One cause of failed examples: the provider's message, how many examples it hit, and one of them. */
export interface FailureCause {
  message: string
  count: number
  /** The first example (in dataset order) that failed this way. */
  exampleId: string
}

/** Causes shown before the rest are summed up as "other causes". */
export const MAX_FAILURE_CAUSES = 5

/** The same failure retried a different number of times is still the same cause. */
function causeOf(error: string): string {
  return error.replace(/\s*\(gave up after \d+ attempts?\)\s*$/, '').trim()
}

/** Failed examples grouped by cause, most frequent first (ties in order of first appearance). */
export function failureCauses(results: readonly ExampleResult[]): FailureCause[] {
  const byCause = new Map<string, FailureCause>()
  for (const result of results) {
    if (result.error === undefined) continue
    const message = causeOf(result.error)
    const known = byCause.get(message)
    if (known) known.count++
    else byCause.set(message, { message, count: 1, exampleId: result.id })
  }
  return [...byCause.values()].sort((a, b) => b.count - a.count)
}
