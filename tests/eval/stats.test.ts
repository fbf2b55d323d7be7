import { describe, expect, it } from 'vitest'
import {
  bootstrapMeanInterval,
  isBinary,
  mcnemarExact,
  mean,
  normalQuantile,
  pairedBootstrapDeltaInterval,
  pairedPermutationTest,
  quantileSorted,
  wilsonInterval
} from '../../src/eval/stats.js'
import { createRandom } from '../../src/util/random.js'

function binarySample(n: number, p: number, seed: number): number[] {
  const random = createRandom(seed)
  return Array.from({ length: n }, () => (random.next() < p ? 1 : 0))
}

describe('mean, isBinary, quantiles', () => {
  it('computes basics', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5)
    expect(mean([])).toBe(0)
    expect(isBinary([0, 1, 1])).toBe(true)
    expect(isBinary([0, 0.5])).toBe(false)
    expect(quantileSorted([0, 10], 0.25)).toBe(2.5)
  })
})

describe('mcnemarExact', () => {
  it('matches known exact values', () => {
    expect(mcnemarExact(1, 9)).toBe(0.021484375)
    expect(mcnemarExact(9, 1)).toBe(0.021484375)
    expect(mcnemarExact(0, 5)).toBe(0.0625)
    expect(mcnemarExact(3, 3)).toBe(1)
    expect(mcnemarExact(0, 0)).toBe(1)
    // 2·(C(12,0)+C(12,1)+C(12,2))/4096 = 2·79/4096
    expect(mcnemarExact(2, 10)).toBeCloseTo(158 / 4096, 15)
  })

  it('stays finite and sensible for large counts (log-space path)', () => {
    // z ≈ 160/√1200 ≈ 4.62, two-sided normal p ≈ 3.9e-6
    const p = mcnemarExact(520, 680)
    expect(p).toBeGreaterThan(1e-6)
    expect(p).toBeLessThan(1e-5)
    expect(mcnemarExact(600, 601)).toBe(1)
  })

  it('rejects non-counts', () => {
    expect(() => mcnemarExact(-1, 2)).toThrow()
    expect(() => mcnemarExact(1.5, 2)).toThrow()
  })
})

describe('bootstrapMeanInterval', () => {
  const values = binarySample(60, 0.7, 1)

  it('is reproducible for a seed and contains the mean', () => {
    const a = bootstrapMeanInterval(values, { level: 0.95, seed: 42 })
    const b = bootstrapMeanInterval(values, { level: 0.95, seed: 42 })
    expect(a).toEqual(b)
    expect(a.value).toBe(mean(values))
    expect(a.low).toBeLessThan(a.value)
    expect(a.high).toBeGreaterThan(a.value)
    expect(a.level).toBe(0.95)
  })

  it('is close to the normal-theory width for a proportion', () => {
    const p = mean(values)
    const se = Math.sqrt((p * (1 - p)) / values.length)
    const ci = bootstrapMeanInterval(values, { level: 0.95, seed: 7, resamples: 4000 })
    expect(ci.high - ci.low).toBeGreaterThan(2 * 1.96 * se * 0.8)
    expect(ci.high - ci.low).toBeLessThan(2 * 1.96 * se * 1.2)
  })

  it('shrinks as n grows', () => {
    const small = bootstrapMeanInterval(binarySample(25, 0.5, 3), { level: 0.95, seed: 1 })
    const large = bootstrapMeanInterval(binarySample(400, 0.5, 3), { level: 0.95, seed: 1 })
    expect(large.high - large.low).toBeLessThan((small.high - small.low) / 2)
  })

  it('narrows with a lower level', () => {
    const wide = bootstrapMeanInterval(values, { level: 0.99, seed: 5 })
    const narrow = bootstrapMeanInterval(values, { level: 0.8, seed: 5 })
    expect(narrow.high - narrow.low).toBeLessThan(wide.high - wide.low)
  })

  it('gives a zero-width interval for equal values, one value, or none', () => {
    expect(bootstrapMeanInterval([1, 1, 1, 1], { level: 0.95, seed: 1 })).toEqual({
      value: 1,
      low: 1,
      high: 1,
      level: 0.95
    })
    expect(bootstrapMeanInterval([0.4], { level: 0.9, seed: 1 })).toEqual({
      value: 0.4,
      low: 0.4,
      high: 0.4,
      level: 0.9
    })
    expect(bootstrapMeanInterval([], { level: 0.95, seed: 1 }).value).toBe(0)
  })
})

describe('pairedBootstrapDeltaInterval', () => {
  it('estimates mean(head − base) and is tighter than unpaired intervals', () => {
    const base = binarySample(100, 0.6, 11)
    // head = base with 10 wrong answers fixed: a consistent +0.1 effect.
    let fixes = 0
    const head = base.map((v) => (v === 0 && fixes < 10 ? (fixes++, 1) : v))
    const delta = pairedBootstrapDeltaInterval(base, head, { level: 0.95, seed: 3 })
    expect(delta.value).toBeCloseTo(0.1, 12)
    expect(delta.low).toBeGreaterThan(0)
    const b = bootstrapMeanInterval(base, { level: 0.95, seed: 3 })
    expect(delta.high - delta.low).toBeLessThan(b.high - b.low)
  })

  it('is zero-width when nothing changed, and refuses unequal lengths', () => {
    const same = pairedBootstrapDeltaInterval([0, 1, 1], [0, 1, 1], { level: 0.95, seed: 1 })
    expect([same.value, same.low, same.high]).toEqual([0, 0, 0])
    expect(() => pairedBootstrapDeltaInterval([1], [1, 0], { level: 0.95, seed: 1 })).toThrow(
      /equal length/
    )
  })
})

describe('pairedPermutationTest', () => {
  it('enumerates exactly for small samples', () => {
    // five equal differences: only all-plus and all-minus are as extreme → 2/32
    expect(pairedPermutationTest([0, 0, 0, 0, 0], [1, 1, 1, 1, 1], { seed: 1 })).toBe(0.0625)
    // differences +0.5, -0.5: every assignment reaches |0| → 1
    expect(pairedPermutationTest([0, 0.5], [0.5, 0], { seed: 1 })).toBe(1)
    // differences 0.2 and 0.6: |sum| ≥ 0.8 only for ++ and -- → 2/4
    expect(pairedPermutationTest([0.1, 0.2], [0.3, 0.8], { seed: 1 })).toBe(0.5)
  })

  it('is 1 with no differences', () => {
    expect(pairedPermutationTest([0.3, 0.5], [0.3, 0.5], { seed: 1 })).toBe(1)
  })

  it('samples reproducibly for larger samples and finds a clear effect', () => {
    const base = Array.from({ length: 40 }, (_, i) => (i % 4) / 4)
    const head = base.map((v, i) => Math.min(1, v + (i % 5 === 0 ? 0 : 0.25)))
    const p1 = pairedPermutationTest(base, head, { seed: 9, resamples: 2000 })
    const p2 = pairedPermutationTest(base, head, { seed: 9, resamples: 2000 })
    expect(p1).toBe(p2)
    expect(p1).toBeLessThan(0.01)
    expect(p1).toBeGreaterThan(0)
  })
})

describe('normal quantile and Wilson interval', () => {
  it('matches known quantiles', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5)
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9)
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5)
    expect(normalQuantile(0.999)).toBeCloseTo(3.090232, 5)
  })

  it('matches a known Wilson interval', () => {
    // 8 of 10 at 95%: [0.4902, 0.9433]
    const w = wilsonInterval(8, 10, 0.95)
    expect(w.value).toBe(0.8)
    expect(w.low).toBeCloseTo(0.4902, 3)
    expect(w.high).toBeCloseTo(0.9433, 3)
    expect(wilsonInterval(0, 0, 0.95)).toEqual({ value: 0, low: 0, high: 1, level: 0.95 })
  })
})

describe('bootstrapStatistic', () => {
  it('bootstraps any statistic, reproducibly, around the whole-sample value', async () => {
    const { bootstrapStatistic } = await import('../../src/eval/stats.js')
    const items = Array.from({ length: 60 }, (_, i) => ({ score: i % 3 === 0 ? 0 : 1 }))
    const max = (s: readonly { score: number }[]): number => Math.max(...s.map((x) => x.score))
    const meanOf = (s: readonly { score: number }[]): number =>
      s.reduce((a, x) => a + x.score, 0) / s.length
    const a = bootstrapStatistic(items, meanOf, { level: 0.95, seed: 3 })
    const b = bootstrapStatistic(items, meanOf, { level: 0.95, seed: 3 })
    expect(a).toEqual(b)
    expect(a.value).toBeCloseTo(40 / 60, 12)
    expect(a.low).toBeLessThan(a.value)
    expect(a.high).toBeGreaterThan(a.value)
    // A statistic constant under resampling gives a zero-width interval.
    expect(bootstrapStatistic(items, max, { level: 0.95, seed: 3 })).toEqual({
      value: 1,
      low: 1,
      high: 1,
      level: 0.95
    })
  })
})
