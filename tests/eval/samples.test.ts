import { describe, expect, it } from 'vitest'
import { aggregateSamples, flakinessOf, modeOf, summarizeSamples } from '../../src/eval/samples.js'
import type { ExampleResult, SampleResult } from '../../src/eval/types.js'

function sample(score: number, answer: string | null, checks?: number[]): SampleResult {
  return {
    output: `reply ${answer}`,
    answer,
    score,
    unreadable: answer === null,
    ...(checks && {
      checks: checks.map((s, i) => ({ name: `c${i}`, score: s, answer, unreadable: false }))
    })
  }
}

describe('aggregateSamples', () => {
  const samples = [sample(1, 'bug', [1, 1]), sample(0, 'billing', [0, 1]), sample(1, 'bug', [1, 0])]

  it('mean, pass@k and pass^k combine the scores and each check the same way', () => {
    const m = aggregateSamples(samples, 'mean')
    expect(m.score).toBeCloseTo(2 / 3, 12)
    expect(m.checks?.map((c) => c.score)).toEqual([2 / 3, 2 / 3])
    expect(m.answer).toBe('bug')
    expect(m.flakiness).toBeCloseTo(1 / 3, 12)
    expect(aggregateSamples(samples, 'pass@k').score).toBe(1)
    expect(aggregateSamples(samples, 'pass@k').checks?.map((c) => c.score)).toEqual([1, 1])
    expect(aggregateSamples(samples, 'pass^k').score).toBe(0)
    expect(aggregateSamples(samples, 'pass^k').checks?.map((c) => c.score)).toEqual([0, 0])
  })

  it('majority takes the first reply of the most common answer; unreadable replies do not vote', () => {
    const votes = [sample(0, null), sample(0, 'billing'), sample(1, 'bug'), sample(1, 'bug')]
    const result = aggregateSamples(votes, 'majority')
    expect(result.answer).toBe('bug')
    expect(result.output).toBe('reply bug')
    expect(result.score).toBe(1)
    // A tie goes to the answer given first.
    expect(aggregateSamples([sample(0, 'billing'), sample(1, 'bug')], 'majority').score).toBe(0)
  })
})

describe('flakiness', () => {
  it('is the share of samples off the most common score', () => {
    expect(flakinessOf([1, 1, 1])).toBe(0)
    expect(flakinessOf([1, 0, 1, 1])).toBe(0.25)
    expect(flakinessOf([1])).toBe(0)
    expect(modeOf([2, 3, 3, 2])).toBe(2)
  })

  it('summarises a task: flaky count, mean spread, flakiest first', () => {
    const example = (id: string, scores: number[]): ExampleResult => ({
      id,
      split: 'test',
      expected: 'x',
      output: 'x',
      answer: 'x',
      score: scores.reduce((a, b) => a + b, 0) / scores.length,
      unreadable: false,
      samples: scores.map((s) => sample(s, 'x')),
      flakiness: flakinessOf(scores)
    })
    const summary = summarizeSamples(
      [example('a', [1, 1, 1, 1]), example('b', [1, 0, 1, 1]), example('c', [1, 0, 0, 1])],
      4,
      'mean'
    )
    expect(summary.flaky).toBe(2)
    // Standard deviations 0, √(3/16), 1/2.
    expect(summary.spread).toBeCloseTo((0 + Math.sqrt(3 / 16) + 0.5) / 3, 12)
    expect(summary.flakiest.map((f) => f.id)).toEqual(['c', 'b'])
  })
})
