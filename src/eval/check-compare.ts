import type { CheckComparison, Verdict } from './types.js'
import { pairedTest } from './paired-test.js'
import type { ExampleResult } from './types.js'

function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((sum, v) => sum + v, 0) / values.length
}

/**
 * Per-check breakdown of a paired comparison, for tasks with several checks: on the same paired
 * examples as the task's comparison, each check's mean score on base and head, the delta, and the
 * same paired test and verdict rule as the task (p < 1 − level decides; the delta's sign the
 * direction). Empty when the examples carry no checks or the two sides checked different things.
 */
export function compareChecks(
  pairs: ReadonlyArray<readonly [ExampleResult, ExampleResult]>,
  level: number,
  seedFor: (label: string) => number
): CheckComparison[] {
  const first = pairs[0]
  const names = first?.[1].checks?.map((c) => c.name) ?? []
  const sameChecks = (r: ExampleResult): boolean =>
    r.checks !== undefined &&
    r.checks.length === names.length &&
    r.checks.every((c, i) => c.name === names[i])
  if (names.length === 0 || !pairs.every(([b, h]) => sameChecks(b) && sameChecks(h))) return []
  return names.map((name, i): CheckComparison => {
    const base = pairs.map(([b]) => b.checks?.[i]?.score ?? 0)
    const head = pairs.map(([, h]) => h.checks?.[i]?.score ?? 0)
    const { test, pValue } = pairedTest(base, head, seedFor(`check:${name}`))
    const delta = mean(head) - mean(base)
    let verdict: Verdict
    if (test === 'none') verdict = 'unchanged'
    else if (pValue < 1 - level && delta > 0) verdict = 'improved'
    else if (pValue < 1 - level && delta < 0) verdict = 'regressed'
    else verdict = 'within-noise'
    return { name, base: mean(base), head: mean(head), delta, pValue, verdict }
  })
}
