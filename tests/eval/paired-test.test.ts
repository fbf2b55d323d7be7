import { describe, expect, it } from 'vitest'
import { pairedTest } from '../../src/eval/paired-test.js'
import { mcnemarExact, pairedPermutationTest } from '../../src/eval/stats.js'

describe('pairedTest', () => {
  it('runs no test when every pair is equal, or there are no pairs', () => {
    expect(pairedTest([1, 0, 0.5], [1, 0, 0.5], 7)).toEqual({ test: 'none', pValue: 1 })
    expect(pairedTest([], [], 7)).toEqual({ test: 'none', pValue: 1 })
  })

  it("uses McNemar's exact test on the discordant pairs of 0/1 scores", () => {
    const base = [1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0]
    const head = [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0]
    // 9 pairs lost, 1 gained, 2 equal.
    expect(pairedTest(base, head, 7)).toEqual({
      test: 'mcnemar-exact',
      pValue: mcnemarExact(9, 1)
    })
    expect(pairedTest(base, head, 7).pValue).toBe(0.021484375)
  })

  it('uses a seeded paired permutation test on graded scores', () => {
    const base = [0.2, 0.4, 0.5, 0.9, 0.1, 0.3]
    const head = [0.6, 0.8, 0.5, 1, 0.7, 0.9]
    const result = pairedTest(base, head, 11)
    expect(result.test).toBe('paired-permutation')
    expect(result.pValue).toBe(pairedPermutationTest(base, head, { seed: 11 }))
    expect(pairedTest(base, head, 11)).toEqual(result)
  })
})
