import { describe, expect, it } from 'vitest'
import { detectableDrop } from '../../src/eval/detectable-drop.js'
import { pairedClusterTest, pairedTest } from '../../src/eval/paired-test.js'
import {
  bootstrapMeanInterval,
  clusterBootstrapInterval,
  clusterMeans,
  mcnemarExact,
  pairedBootstrapDeltaInterval,
  pairedClusterDeltaInterval,
  sampleVariance
} from '../../src/eval/stats.js'
import { createRandom } from '../../src/util/random.js'

/** n examples, each with its own pass rate p_i ~ U(0, 1) and k 0/1 samples drawn from it. */
function clustered(n: number, k: number, seed: number): number[][] {
  const random = createRandom(seed)
  return Array.from({ length: n }, () => {
    const p = random.next()
    return Array.from({ length: k }, () => (random.next() < p ? 1 : 0))
  })
}

describe('clusterBootstrapInterval', () => {
  it('is the percentile bootstrap of the examples’ sample means on the same seed', () => {
    const clusters = clustered(40, 5, 3)
    const options = { level: 0.95, seed: 17 }
    const interval = clusterBootstrapInterval(clusters, options)
    expect(interval).toEqual(bootstrapMeanInterval(clusterMeans(clusters), options))
    expect(interval.value).toBeCloseTo(clusters.flat().reduce((s, v) => s + v, 0) / 200, 12)
    expect(interval).toEqual(clusterBootstrapInterval(clusters, options))
  })

  it('matches known values on a fixed seed', () => {
    const clusters = [
      [1, 1, 0],
      [0, 0, 0],
      [1, 1, 1],
      [1, 0, 1],
      [0, 1, 0],
      [1, 1, 1]
    ]
    const interval = clusterBootstrapInterval(clusters, { level: 0.9, seed: 1, resamples: 2000 })
    expect(interval.value).toBeCloseTo(11 / 18, 12)
    // The per-example means are 2/3, 0, 1, 2/3, 1/3, 1; the bootstrap draws multiples of 1/18.
    expect(Math.round(interval.low * 18)).toBe(7)
    expect(Math.round(interval.high * 18)).toBe(15)
  })

  it('does not narrow when the samples only repeat each other', () => {
    const once = clustered(30, 1, 5)
    const repeated = once.map(([v]) => Array.from({ length: 5 }, () => v as number))
    const options = { level: 0.95, seed: 9 }
    const single = clusterBootstrapInterval(once, options)
    expect(clusterBootstrapInterval(repeated, options)).toEqual(single)
    // Treating the 150 repeated replies as independent rows would claim a far narrower interval.
    const naive = bootstrapMeanInterval(repeated.flat(), options)
    expect(naive.high - naive.low).toBeLessThan((single.high - single.low) * 0.6)
  })

  it('narrows when the samples disagree, as averaging noise should', () => {
    const one = clustered(200, 1, 8)
    const five = clustered(200, 5, 8)
    const options = { level: 0.95, seed: 2 }
    const w1 = clusterBootstrapInterval(one, options)
    const w5 = clusterBootstrapInterval(five, options)
    expect(w5.high - w5.low).toBeLessThan(w1.high - w1.low)
  })

  it('refuses an example without samples', () => {
    expect(() => clusterBootstrapInterval([[1], []], { level: 0.95, seed: 1 })).toThrow(/cluster 1/)
  })
})

describe('pairedClusterDeltaInterval', () => {
  it('resamples an example with its samples on both sides together', () => {
    const base = clustered(50, 3, 11)
    const head = clustered(50, 3, 12)
    const options = { level: 0.95, seed: 4 }
    expect(pairedClusterDeltaInterval(base, head, options)).toEqual(
      pairedBootstrapDeltaInterval(clusterMeans(base), clusterMeans(head), options)
    )
  })
})

describe('pairedClusterTest', () => {
  it("is McNemar's exact test with one 0/1 sample per example", () => {
    const base = [1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0].map((v) => [v])
    const head = [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0].map((v) => [v])
    expect(pairedClusterTest(base, head, 7)).toEqual({
      test: 'mcnemar-exact',
      pValue: mcnemarExact(9, 1)
    })
  })

  it('flips whole examples: the exact sign-flip p-value of the sample means', () => {
    // Means: base 1, 1, ½, 1; head 0, ½, 0, 1 → differences −1, −½, −½, 0. Of the 2³ sign
    // assignments of the three non-zero differences, only all-minus and all-plus reach |sum| = 2.
    const base = [
      [1, 1],
      [1, 1],
      [1, 0],
      [1, 1]
    ]
    const head = [
      [0, 0],
      [1, 0],
      [0, 0],
      [1, 1]
    ]
    expect(pairedClusterTest(base, head, 3)).toEqual({ test: 'paired-permutation', pValue: 0.25 })
  })

  it('agrees with the paired test of the means on a fixed seed, and needs equal lengths', () => {
    const base = clustered(40, 5, 21)
    const head = clustered(40, 5, 22)
    const result = pairedClusterTest(base, head, 99)
    expect(result).toEqual(pairedTest(clusterMeans(base), clusterMeans(head), 99))
    expect(result.test).toBe('paired-permutation')
    expect(() => pairedClusterTest(base, head.slice(1), 1)).toThrow(/equal length/)
  })
})

describe('detectableDrop', () => {
  const calm = { differenceVariance: 0, withinVariance: 0, binary: true, confidence: 0.95 }

  it('is the floor c²/(k(n + c²)) for calm 0/1 scores: 7 rows of one sample hide 53 points', () => {
    expect(detectableDrop({ ...calm, n: 7, samples: 1 })).toBeCloseTo(0.52858, 4)
    expect(detectableDrop({ ...calm, n: 7, samples: 5 })).toBeCloseTo(0.52858 / 5, 4)
    expect(detectableDrop({ ...calm, n: 0, samples: 1 })).toBe(1)
  })

  it('is (z₀.₉₇₅ + z₀.₈)·σ/√n from the observed variance', () => {
    const drop = detectableDrop({ ...calm, n: 100, samples: 1, differenceVariance: 0.25 })
    expect(drop).toBeCloseTo((1.959964 + 0.841621) * 0.05, 5)
    // Sample noise counts even when the two sides happened to agree: 2·w/k.
    const noisy = detectableDrop({ ...calm, n: 100, samples: 2, withinVariance: 0.25 })
    expect(noisy).toBeCloseTo((1.959964 + 0.841621) * 0.05, 5)
    expect(detectableDrop({ ...calm, binary: false, n: 100, samples: 1 })).toBe(0)
    expect(detectableDrop({ ...calm, n: 2, samples: 1, differenceVariance: 4 })).toBe(1)
  })

  it('computes the unbiased sample variance', () => {
    expect(sampleVariance([1, 0, 1, 0])).toBeCloseTo(1 / 3, 12)
    expect(sampleVariance([1])).toBe(0)
  })
})
