import { createRandom } from '../util/random.js'
import type { ScoreEstimate } from './types.js'

/*
 * Small, pure statistics for scores in [0, 1]. Everything random is drawn from a seeded generator,
 * so the same inputs and seed give the same interval and p-value on every machine.
 */

/** Arithmetic mean; 0 for an empty list (reports need a number, and JSON has no NaN). */
export function mean(values: readonly number[]): number {
  if (values.length === 0) return 0
  let sum = 0
  for (const v of values) sum += v
  return sum / values.length
}

/** True when every value is 0 or 1 (so exact tests for paired proportions apply). */
export function isBinary(values: readonly number[]): boolean {
  return values.every((v) => v === 0 || v === 1)
}

/** Quantile of sorted values with linear interpolation between order statistics. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length
  if (n === 0) return 0
  const pos = Math.min(1, Math.max(0, q)) * (n - 1)
  const lo = Math.floor(pos)
  const hi = Math.min(n - 1, lo + 1)
  const a = sorted[lo] as number
  const b = sorted[hi] as number
  return a + (b - a) * (pos - lo)
}

export interface BootstrapOptions {
  /** Confidence level, e.g. 0.95. */
  level: number
  /** Number of resamples (default 2000). */
  resamples?: number
  seed: number
}

/**
 * Percentile-bootstrap interval of the mean: resample the values with replacement, take the
 * (1 − level)/2 and (1 + level)/2 quantiles of the resampled means. The interval is widened, if
 * need be, to hold the sample mean, so no rendering shows a point outside its own interval.
 * Fewer than two values, or all equal, give a zero-width interval.
 */
export function bootstrapMeanInterval(
  values: readonly number[],
  options: BootstrapOptions
): ScoreEstimate {
  const { level, seed } = options
  const resamples = Math.max(1, Math.floor(options.resamples ?? 2000))
  const n = values.length
  const value = mean(values)
  if (n < 2 || values.every((v) => v === values[0])) {
    return { value, low: value, high: value, level }
  }
  const random = createRandom(seed)
  const means = new Float64Array(resamples)
  for (let r = 0; r < resamples; r++) {
    let sum = 0
    for (let i = 0; i < n; i++) sum += values[random.int(n)] as number
    means[r] = sum / n
  }
  means.sort()
  const alpha = (1 - level) / 2
  const low = quantileSorted(means, alpha)
  const high = quantileSorted(means, 1 - alpha)
  return { value, low: Math.min(low, value), high: Math.max(high, value), level }
}

/**
 * Percentile-bootstrap interval of any statistic of a sample (e.g. macro-F1 over the examples):
 * the items are resampled with replacement and the statistic recomputed on each resample. The
 * interval is widened if needed to contain the statistic of the whole sample.
 */
export function bootstrapStatistic<T>(
  items: readonly T[],
  statistic: (sample: readonly T[]) => number,
  options: BootstrapOptions
): ScoreEstimate {
  const { level, seed } = options
  const resamples = Math.max(1, Math.floor(options.resamples ?? 2000))
  const n = items.length
  const value = n === 0 ? 0 : statistic(items)
  if (n < 2) return { value, low: value, high: value, level }
  const random = createRandom(seed)
  const stats = new Float64Array(resamples)
  const sample = new Array<T>(n)
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) sample[i] = items[random.int(n)] as T
    stats[r] = statistic(sample)
  }
  stats.sort()
  const alpha = (1 - level) / 2
  const low = quantileSorted(stats, alpha)
  const high = quantileSorted(stats, 1 - alpha)
  return { value, low: Math.min(low, value), high: Math.max(high, value), level }
}

function differences(base: readonly number[], head: readonly number[]): number[] {
  if (base.length !== head.length) {
    throw new Error(
      `paired statistics need samples of equal length (base ${base.length}, head ${head.length})`
    )
  }
  return head.map((h, i) => h - (base[i] as number))
}

/**
 * Paired-bootstrap interval of the delta mean(head − base): the per-example differences are
 * resampled together, which keeps the pairing and so is much tighter than two separate intervals.
 */
export function pairedBootstrapDeltaInterval(
  base: readonly number[],
  head: readonly number[],
  options: BootstrapOptions
): ScoreEstimate {
  return bootstrapMeanInterval(differences(base, head), options)
}

/**
 * Two-sided exact McNemar test on the discordant pairs: b examples right only in base, c right
 * only in head. Under no change each discordant pair is a fair coin, so p = 2·P(X ≤ min(b, c))
 * for X ~ Binomial(b + c, ½), capped at 1. p = 1 when there are no discordant pairs.
 */
export function mcnemarExact(b: number, c: number): number {
  if (!Number.isInteger(b) || !Number.isInteger(c) || b < 0 || c < 0) {
    throw new Error(`mcnemarExact needs counts, got b=${b}, c=${c}`)
  }
  const n = b + c
  if (n === 0) return 1
  const k = Math.min(b, c)
  let tail: number
  if (n <= 1000) {
    // 2^-n is exact in a double here, and each step multiplies by a ratio: no cancellation.
    let pmf = Math.pow(2, -n)
    tail = pmf
    for (let i = 0; i < k; i++) {
      pmf = (pmf * (n - i)) / (i + 1)
      tail += pmf
    }
  } else {
    // log space: 2^-n underflows beyond ~1074 pairs.
    let logPmf = -n * Math.LN2
    let logTail = logPmf
    for (let i = 0; i < k; i++) {
      logPmf += Math.log(n - i) - Math.log(i + 1)
      const hi = Math.max(logTail, logPmf)
      logTail = hi + Math.log(Math.exp(logTail - hi) + Math.exp(logPmf - hi))
    }
    tail = Math.exp(logTail)
  }
  return Math.min(1, 2 * tail)
}

export interface PermutationOptions {
  /** Random sign flips when exact enumeration is too large (default 10000). */
  resamples?: number
  seed: number
}

/** Above this many non-zero differences the test samples sign flips instead of enumerating. */
const EXACT_LIMIT = 16

/**
 * Two-sided paired permutation (sign-flip) test of mean(head − base) = 0. Under no change each
 * difference is as likely to have either sign. With at most 16 non-zero differences every sign
 * assignment is enumerated (an exact p); beyond that, `resamples` random flips are drawn and
 * p = (hits + 1)/(resamples + 1), which is never 0. p = 1 when all differences are 0.
 */
export function pairedPermutationTest(
  base: readonly number[],
  head: readonly number[],
  options: PermutationOptions
): number {
  const diffs = differences(base, head).filter((d) => d !== 0)
  const m = diffs.length
  if (m === 0) return 1
  const observed = Math.abs(diffs.reduce((s, d) => s + d, 0))
  // Sums are compared with a tolerance so float noise does not decide a tie.
  const eps = 1e-9 * Math.max(1, observed)
  if (m <= EXACT_LIMIT) {
    const total = 2 ** m
    let hits = 0
    for (let mask = 0; mask < total; mask++) {
      let sum = 0
      for (let i = 0; i < m; i++)
        sum += mask & (1 << i) ? -(diffs[i] as number) : (diffs[i] as number)
      if (Math.abs(sum) >= observed - eps) hits++
    }
    return hits / total
  }
  const resamples = Math.max(1, Math.floor(options.resamples ?? 10000))
  const random = createRandom(options.seed)
  let hits = 0
  for (let r = 0; r < resamples; r++) {
    let sum = 0
    for (const d of diffs) sum += random.next() < 0.5 ? -d : d
    if (Math.abs(sum) >= observed - eps) hits++
  }
  return (hits + 1) / (resamples + 1)
}

// Coefficients of Acklam's approximation (the denominators carry their constant term 1).
const CENTRAL_NUM = [
  -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
  2.506628277459239
]
const CENTRAL_DEN = [
  -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  1
]
const TAIL_NUM = [
  -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
  4.374664141464968, 2.938163982698783
]
const TAIL_DEN = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416, 1]

/**
 * Inverse of the standard normal CDF (Acklam's rational approximation, relative error < 1.2e-9).
 */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity
  if (p >= 1) return Infinity
  const horner = (coefficients: readonly number[], x: number): number =>
    coefficients.reduce((acc, k) => acc * x + k, 0)
  const low = 0.02425
  if (p < low || p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(Math.min(p, 1 - p)))
    const x = horner(TAIL_NUM, q) / horner(TAIL_DEN, q)
    return p < low ? x : -x
  }
  const q = p - 0.5
  const r = q * q
  return (horner(CENTRAL_NUM, r) * q) / horner(CENTRAL_DEN, r)
}

/**
 * The standard normal CDF Φ(x), from the complementary error function of Numerical Recipes
 * (W. H. Press et al., 2nd ed., §6.2, `erfcc`: a Chebyshev fit with fractional error < 1.2e-7).
 */
export function normalCdf(x: number): number {
  if (x === Infinity) return 1
  if (x === -Infinity) return 0
  const z = Math.abs(x) / Math.SQRT2
  const t = 1 / (1 + 0.5 * z)
  const poly =
    -1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t *
                          (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
  const erfc = t * Math.exp(-z * z + poly)
  return x >= 0 ? 1 - erfc / 2 : erfc / 2
}

/**
 * Wilson score interval for a proportion (successes out of n). Better behaved than the normal
 * approximation near 0 and 1 and for small n; n = 0 gives [0, 1] around 0.
 */
export function wilsonInterval(successes: number, n: number, level: number): ScoreEstimate {
  if (n <= 0) return { value: 0, low: 0, high: 1, level }
  const p = successes / n
  const z = normalQuantile(1 - (1 - level) / 2)
  const z2 = z * z
  const denom = 1 + z2 / n
  const centre = (p + z2 / (2 * n)) / denom
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom
  return { value: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half), level }
}

/** Each cluster's mean (an example's mean over its samples); an empty cluster is an error. */
export function clusterMeans(clusters: readonly (readonly number[])[]): number[] {
  return clusters.map((cluster, i) => {
    if (cluster.length === 0) throw new Error(`cluster ${i} has no values`)
    return mean(cluster)
  })
}

/**
 * Cluster-bootstrap interval of the mean score when each example (cluster) has k samples: the
 * examples are resampled with replacement, each carrying all its samples, and the statistic is the
 * mean of the examples' sample means. That is exactly the percentile bootstrap of the per-example
 * means, which is how it is computed. Samples that agree add nothing (k identical replies give the
 * interval of one reply); samples that disagree narrow it only through the example's mean — never as
 * if the n·k replies were independent rows (Davison & Hinkley 1997, §3.8, resampling clusters).
 */
export function clusterBootstrapInterval(
  clusters: readonly (readonly number[])[],
  options: BootstrapOptions
): ScoreEstimate {
  return bootstrapMeanInterval(clusterMeans(clusters), options)
}

/**
 * Paired cluster-bootstrap interval of mean(head) − mean(base): example i's base and head samples
 * are resampled together (one draw picks the example, with all its samples on both sides).
 */
export function pairedClusterDeltaInterval(
  base: readonly (readonly number[])[],
  head: readonly (readonly number[])[],
  options: BootstrapOptions
): ScoreEstimate {
  return pairedBootstrapDeltaInterval(clusterMeans(base), clusterMeans(head), options)
}

/** Unbiased sample variance (n − 1); 0 below two values. */
export function sampleVariance(values: readonly number[]): number {
  const n = values.length
  if (n < 2) return 0
  const m = mean(values)
  let sum = 0
  for (const v of values) sum += (v - m) * (v - m)
  return sum / (n - 1)
}
