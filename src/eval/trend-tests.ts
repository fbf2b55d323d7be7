/**
 * The tests behind ./trend.ts: paired (McNemar exact, sign-flip permutation; see ./paired-test.ts)
 * on the example ids two records share, else unpaired z-tests on the per-example scores or on the
 * intervals.
 */
import type { HistoryRecord, HistoryTask } from './history-types.js'
import { hashString32 } from '../util/random.js'
import { pairedTest } from './paired-test.js'
import { isBinary, mean, normalQuantile } from './stats.js'
import type { TrendTest } from './trend.js'

const MAX_WORSENED = 10

// Coefficients of the Chebyshev fit of erfc in Numerical Recipes (fractional error < 1.2e-7).
const ERFC = [
  -1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587,
  -0.82215223, 0.17087277
]

/** Standard normal two-sided tail, 2·(1 − Φ(|z|)) = erfc(|z|/√2). */
function twoSidedNormalP(z: number): number {
  if (!Number.isFinite(z)) return Number.isNaN(z) ? 1 : 0
  const x = Math.abs(z) / Math.SQRT2
  const t = 1 / (1 + 0.5 * x)
  const poly = ERFC.reduceRight((acc, c) => c + t * acc, 0)
  return Math.min(1, t * Math.exp(-x * x + poly))
}

/** p of a z-test of `delta` with standard error `se`; a zero se decides by whether delta is 0. */
function zTest(delta: number, se: number): number {
  if (se > 0) return twoSidedNormalP(delta / se)
  return delta === 0 ? 1 : 0
}

function variance(values: readonly number[]): number {
  if (values.length < 2) return 0
  const m = mean(values)
  return values.reduce((s, v) => s + (v - m) ** 2, 0) / (values.length - 1)
}

export interface TestOutcome {
  paired: boolean
  n: number
  delta: number
  pValue: number
  test: TrendTest
  worsened: string[]
  worsenedCount: number
}

function pairedOutcome(pairs: Array<[string, number, number]>, seed: number): TestOutcome {
  const before = pairs.map(([, b]) => b)
  const after = pairs.map(([, , a]) => a)
  const delta = mean(after) - mean(before)
  const { test, pValue } = pairedTest(before, after, seed)
  const worse = pairs
    .map(([id, b, a], i) => ({ id, d: a - b, i }))
    .filter((x) => x.d < 0)
    .sort((x, y) => x.d - y.d || x.i - y.i)
  return {
    paired: true,
    n: pairs.length,
    delta,
    pValue,
    test,
    worsened: worse.slice(0, MAX_WORSENED).map((x) => x.id),
    worsenedCount: worse.length
  }
}

function unpairedOutcome(prev: HistoryTask, cur: HistoryTask): TestOutcome {
  const a = prev.examples?.scores ?? []
  const b = cur.examples?.scores ?? []
  const none = { paired: false, worsened: [], worsenedCount: 0 }
  if (a.length >= 2 && b.length >= 2) {
    const delta = mean(b) - mean(a)
    if (isBinary(a) && isBinary(b)) {
      const pooled =
        (a.reduce((s, v) => s + v, 0) + b.reduce((s, v) => s + v, 0)) / (a.length + b.length)
      const se = Math.sqrt(pooled * (1 - pooled) * (1 / a.length + 1 / b.length))
      return { ...none, n: b.length, delta, pValue: zTest(delta, se), test: 'two-proportion-z' }
    }
    const se = Math.sqrt(variance(a) / a.length + variance(b) / b.length)
    return { ...none, n: b.length, delta, pValue: zTest(delta, se), test: 'welch-z' }
  }
  const delta = cur.score - prev.score
  const seOf = (t: HistoryTask): number => {
    const level = t.interval.level > 0 && t.interval.level < 1 ? t.interval.level : 0.95
    const half = Math.max(0, t.interval.high - t.interval.low) / 2
    return half / normalQuantile(1 - (1 - level) / 2)
  }
  let se = Math.hypot(seOf(prev), seOf(cur))
  if (se === 0 && prev.n > 0 && cur.n > 0) {
    // Zero-width intervals (every example alike): fall back to the binomial standard error.
    const p = (prev.score * prev.n + cur.score * cur.n) / (prev.n + cur.n)
    se = Math.sqrt(Math.max(0, p * (1 - p)) * (1 / prev.n + 1 / cur.n))
  }
  return { ...none, n: cur.n, delta, pValue: zTest(delta, se), test: 'interval-z' }
}

/** A task's per-example scores by id (empty when the record kept none). */
export function exampleScores(task: HistoryTask): Map<string, number> {
  const map = new Map<string, number>()
  const ex = task.examples
  if (!ex) return map
  ex.ids.forEach((id, i) => {
    const s = ex.scores[i]
    if (s !== undefined) map.set(id, s)
  })
  return map
}

/**
 * The test of one task between two records: paired on their shared example ids when there are
 * enough of them, else unpaired.
 */
export function outcomeFor(
  prevRecord: HistoryRecord,
  curRecord: HistoryRecord,
  prev: HistoryTask,
  cur: HistoryTask
): TestOutcome {
  const before = exampleScores(prev)
  const pairs: Array<[string, number, number]> = []
  for (const [id, score] of exampleScores(cur)) {
    const b = before.get(id)
    if (b !== undefined) pairs.push([id, b, score])
  }
  const smaller = Math.min(before.size, cur.examples?.ids.length ?? 0)
  if (pairs.length >= 2 && pairs.length * 2 >= smaller) {
    const seed = hashString32(`${prevRecord.sha}:${curRecord.sha}:${cur.task}`)
    return pairedOutcome(pairs, seed)
  }
  return unpairedOutcome(prev, cur)
}
