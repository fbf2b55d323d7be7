/**
 * The one choice of significance test for paired per-example scores, shared by the PR comparison
 * (./compare.ts) and the per-commit trend (./trend-tests.ts), so the two can never disagree on it.
 */
import { clusterMeans, isBinary, mcnemarExact, pairedPermutationTest } from './stats.js'

/** Which paired test decided, and its two-sided p-value. */
export interface PairedTestResult {
  test: 'mcnemar-exact' | 'paired-permutation' | 'none'
  pValue: number
}

/**
 * Paired test of `base[i]` → `head[i]`: `none` (p = 1) when every pair is equal (or there are no
 * pairs); McNemar's exact test on the discordant pairs when every score is 0 or 1; else a paired
 * sign-flip permutation test seeded with `seed`.
 */
export function pairedTest(base: number[], head: number[], seed: number): PairedTestResult {
  if (base.every((b, i) => b === head[i])) return { test: 'none', pValue: 1 }
  if (isBinary(base) && isBinary(head)) {
    let onlyBase = 0
    let onlyHead = 0
    base.forEach((b, i) => {
      const h = head[i] as number
      if (b > h) onlyBase++
      else if (h > b) onlyHead++
    })
    return { test: 'mcnemar-exact', pValue: mcnemarExact(onlyBase, onlyHead) }
  }
  return { test: 'paired-permutation', pValue: pairedPermutationTest(base, head, { seed }) }
}

/**
 * The paired test with the example as the unit when each example has k samples on each side: the
 * examples' sample means are compared by `pairedTest`. The sign-flip permutation swaps base and head
 * of a whole example (all its samples at once), which is the cluster-level permutation test; with
 * k = 1 and 0/1 scores the means are the scores and McNemar's exact test applies as before.
 */
export function pairedClusterTest(
  base: readonly (readonly number[])[],
  head: readonly (readonly number[])[],
  seed: number
): PairedTestResult {
  if (base.length !== head.length) {
    throw new Error(
      `paired statistics need samples of equal length (base ${base.length}, head ${head.length})`
    )
  }
  return pairedTest(clusterMeans(base), clusterMeans(head), seed)
}
