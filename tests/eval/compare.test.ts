import { describe, expect, it } from 'vitest'
import { compareTaskResults } from '../../src/eval/compare.js'
import { renderMarkdown } from '../../src/report/markdown.js'
import { makeCompareReport } from '../report/fixtures.js'
import { binary, taskResult } from './fixtures.js'

const options = { level: 0.95, seed: 1 }

describe('compareTaskResults verdicts', () => {
  it('improved: 12 examples fixed, none broken (McNemar p = 2/4096)', () => {
    const base = taskResult(binary(30, 10))
    const head = taskResult(binary(30, 22))
    const c = compareTaskResults(base, head, options)
    expect(c.verdict).toBe('improved')
    expect(c.test).toBe('mcnemar-exact')
    expect(c.pValue).toBeCloseTo(2 / 4096, 15)
    expect(c.n).toBe(30)
    expect(c.delta.value).toBeCloseTo(12 / 30, 12)
    expect(c.delta.low).toBeGreaterThan(0)
    expect(c.base.value).toBeCloseTo(10 / 30, 12)
    expect(c.head.value).toBeCloseTo(22 / 30, 12)
  })

  it('regressed: the same change the other way', () => {
    const c = compareTaskResults(taskResult(binary(30, 22)), taskResult(binary(30, 10)), options)
    expect(c.verdict).toBe('regressed')
    expect(c.delta.value).toBeCloseTo(-12 / 30, 12)
    expect(c.delta.high).toBeLessThan(0)
  })

  it('within-noise: one example changed', () => {
    const c = compareTaskResults(taskResult(binary(30, 10)), taskResult(binary(30, 11)), options)
    expect(c.verdict).toBe('within-noise')
    expect(c.pValue).toBe(1)
  })

  it('within-noise: many flips both ways that cancel out', () => {
    const base = [...binary(10, 10), ...binary(10, 0), ...binary(10, 5)]
    const head = [...binary(10, 2), ...binary(10, 9), ...binary(10, 5)]
    const c = compareTaskResults(taskResult(base), taskResult(head), options)
    expect(c.delta.value).toBeCloseTo(1 / 30, 12)
    expect(c.verdict).toBe('within-noise')
    expect(c.pValue).toBeGreaterThan(0.05)
  })

  it('unchanged: every paired score equal', () => {
    const c = compareTaskResults(taskResult(binary(20, 7)), taskResult(binary(20, 7)), options)
    expect(c.verdict).toBe('unchanged')
    expect(c.test).toBe('none')
    expect(c.pValue).toBe(1)
    expect(c.flipped).toEqual([])
    expect([c.delta.value, c.delta.low, c.delta.high]).toEqual([0, 0, 0])
  })

  it('uses the paired permutation test for graded scores', () => {
    const base = Array.from({ length: 20 }, (_, i) => (i % 4) / 4)
    const head = base.map((v) => Math.min(1, v + 0.25))
    const c = compareTaskResults(taskResult(base), taskResult(head), options)
    expect(c.test).toBe('paired-permutation')
    expect(c.verdict).toBe('improved')
  })

  it('respects the level', () => {
    // 6 fixed, 0 broken: p = 2/64 = 0.03125, significant at 95% but not at 99%
    const base = taskResult(binary(20, 4))
    const head = taskResult(binary(20, 10))
    expect(compareTaskResults(base, head, { level: 0.95, seed: 1 }).verdict).toBe('improved')
    expect(compareTaskResults(base, head, { level: 0.99, seed: 1 }).verdict).toBe('within-noise')
  })

  it('is reproducible for a seed', () => {
    const base = taskResult(binary(40, 15))
    const head = taskResult([...binary(20, 5), ...binary(20, 20)])
    expect(compareTaskResults(base, head, options)).toEqual(compareTaskResults(base, head, options))
  })
})

describe('pairing', () => {
  it('pairs by id, only ids scored in both runs', () => {
    const base = taskResult([1, 0, 1, 0], { ids: ['a', 'b', 'c', 'd'], failed: ['d'] })
    const head = taskResult([0, 1, 1, 1], { ids: ['c', 'b', 'x', 'd'] })
    const c = compareTaskResults(base, head, options)
    // c: 1 → 0, b: 0 → 1; x is new, a is gone, d failed in base
    expect(c.n).toBe(2)
    expect(c.base.value).toBe(0.5)
    expect(c.head.value).toBe(0.5)
    expect(c.flipped.map((f) => [f.id, f.baseScore, f.headScore])).toEqual([
      ['c', 1, 0],
      ['b', 0, 1]
    ])
  })

  it('gives an unchanged, untested comparison when nothing pairs', () => {
    const c = compareTaskResults(taskResult([1]), taskResult([0], { ids: ['other'] }), options)
    expect([c.n, c.verdict, c.test, c.pValue]).toEqual([0, 'unchanged', 'none', 1])
  })
})

describe('flipped examples', () => {
  it('lists regressions first (worst first), then gains (largest first), capped', () => {
    const base = taskResult([1, 0, 0.5, 1, 0, 0.75], { ids: ['a', 'b', 'c', 'd', 'e', 'f'] })
    const head = taskResult([0.5, 1, 0, 0, 0.25, 0.75], { ids: ['a', 'b', 'c', 'd', 'e', 'f'] })
    const c = compareTaskResults(base, head, { ...options, maxFlipped: 4 })
    expect(c.flipped.map((f) => f.id)).toEqual(['d', 'a', 'c', 'b'])
    const first = c.flipped[0]
    expect(first).toMatchObject({ id: 'd', expected: 'answer d', baseScore: 1, headScore: 0 })
    expect(first?.baseOutput).toBe('reply d scored 1')
    expect(first?.headOutput).toBe('reply d scored 0')
  })

  it('caps at 10 by default', () => {
    const c = compareTaskResults(taskResult(binary(30, 0)), taskResult(binary(30, 30)), options)
    expect(c.flipped).toHaveLength(10)
  })
})

describe('promptDiff', () => {
  it('is empty when the prompts are equal or not given', () => {
    const r = taskResult([1])
    expect(compareTaskResults(r, r, options).promptDiff).toBe('')
    expect(
      compareTaskResults(r, r, { ...options, basePrompt: 'Same', headPrompt: 'Same' }).promptDiff
    ).toBe('')
  })

  it('diffs the user prompt, and labels both parts when the system prompt changed too', () => {
    const r = taskResult([1])
    const user = compareTaskResults(r, r, {
      ...options,
      basePrompt: 'Classify:\n{{ticket}}',
      headPrompt: 'Classify the ticket:\n{{ticket}}'
    }).promptDiff
    expect(user).toBe(
      ['@@ -1,2 +1,2 @@', '-Classify:', '+Classify the ticket:', ' {{ticket}}'].join('\n')
    )
    const both = compareTaskResults(r, r, {
      ...options,
      basePrompt: 'a',
      headPrompt: 'b',
      baseSystemPrompt: 'You help.',
      headSystemPrompt: 'You help carefully.'
    }).promptDiff
    expect(both).toContain('--- base system prompt')
    expect(both).toContain('+You help carefully.')
    expect(both).toContain('--- base user prompt')
    expect(both.indexOf('system prompt')).toBeLessThan(both.indexOf('user prompt'))
  })
})

describe('changed examples are counted before the list is cut (issue #18)', () => {
  it('25 flips: 15 worse and 10 better, 10 listed, the rest said', () => {
    // 40 examples: 15 go from right to wrong, 10 from wrong to right, 15 stay.
    const base = [...binary(15, 15), ...binary(10, 0), ...binary(15, 8)]
    const head = [...binary(15, 0), ...binary(10, 10), ...binary(15, 8)]
    const c = compareTaskResults(taskResult(base), taskResult(head), options)
    expect(c.flipped).toHaveLength(10)
    expect(c.changed).toEqual({ worse: 15, better: 10 })
    const report = makeCompareReport()
    report.comparison!.tasks = [c]
    const md = renderMarkdown(report)
    expect(md).toContain('(15 worse, 10 better)')
    expect(md).toContain('…and 15 more.')
  })
})
