import { describe, expect, it } from 'vitest'
import { compareTaskResults } from '../../src/eval/compare.js'
import { applyGate, formatP } from '../../src/eval/gate.js'
import type { TaskComparison } from '../../src/report/types.js'
import { taskResult } from './fixtures.js'

function comparison(base: number, head: number, pValue: number, task = 'triage'): TaskComparison {
  const estimate = (value: number) => ({ value, low: value, high: value, level: 0.95 })
  return {
    task,
    base: estimate(base),
    head: estimate(head),
    n: 100,
    delta: estimate(head - base),
    pValue,
    test: 'mcnemar-exact',
    verdict: 'within-noise',
    flipped: [],
    changed: { worse: 0, better: 0 },
    promptDiff: '',
    headOnly: 0,
    baseOnly: 0
  }
}

const noGate = {
  minScore: undefined,
  maxDrop: undefined,
  confidence: 0.95,
  source: 'config' as const,
  newTasks: 'warn' as const,
  sequential: true,
  firstLook: 50,
  lookEvery: 25
}

describe('applyGate', () => {
  it('passes with no checks when nothing is configured', () => {
    expect(applyGate([taskResult([0, 0])], [comparison(0.9, 0.1, 0)], noGate)).toEqual({
      passed: true,
      checks: [],
      rule: expect.stringContaining('gate from the config: no threshold, so no score fails it')
    })
  })

  it('checks min_score per task', () => {
    const gate = { ...noGate, minScore: 0.8 }
    const result = applyGate(
      [taskResult([1, 1, 1, 1, 1], { task: 'good' }), taskResult([1, 1, 1, 0], { task: 'bad' })],
      undefined,
      gate
    )
    expect(result.passed).toBe(false)
    expect(result.checks).toEqual([
      { task: 'good', kind: 'min_score', passed: true, message: '1.00 ≥ min_score 0.80' },
      { task: 'bad', kind: 'min_score', passed: false, message: '0.75 < min_score 0.80' }
    ])
  })

  it('passes a score equal to min_score and shows enough digits when close', () => {
    const gate = { ...noGate, minScore: 0.75 }
    expect(applyGate([taskResult([1, 1, 1, 0])], undefined, gate).passed).toBe(true)
    const close = taskResult([1])
    close.score = 0.7999
    const check = applyGate([close], undefined, { ...noGate, minScore: 0.8 }).checks[0]
    expect(check?.message).toBe('0.7999 < min_score 0.8000')
  })

  it('fails min_score when no example was scored', () => {
    const task = taskResult([1, 1], { failed: ['e1', 'e2'] })
    const check = applyGate([task], undefined, { ...noGate, minScore: 0.1 }).checks[0]
    expect(check?.passed).toBe(false)
    expect(check?.message).toContain('no example was scored (2 failed)')
  })

  it('fails a significant drop beyond max_drop', () => {
    const gate = { ...noGate, maxDrop: 0.02 }
    const result = applyGate([], [comparison(0.85, 0.8, 0.003)], gate)
    expect(result.passed).toBe(false)
    expect(result.checks[0]).toEqual({
      task: 'triage',
      kind: 'max_drop',
      passed: false,
      message: '0.85 → 0.80 drops 0.05, more than max_drop 0.02 (p=0.003)'
    })
  })

  it('passes a drop beyond max_drop that is within noise, and says so', () => {
    const gate = { ...noGate, maxDrop: 0.02 }
    const result = applyGate([], [comparison(0.85, 0.8, 0.21)], gate)
    expect(result.passed).toBe(true)
    expect(result.checks[0]?.message).toBe(
      '0.85 → 0.80 drops 0.05, more than max_drop 0.02 but within noise (p=0.21)'
    )
  })

  it('judges significance at the gate confidence', () => {
    const strict = { ...noGate, maxDrop: 0.02, confidence: 0.99 }
    expect(applyGate([], [comparison(0.85, 0.8, 0.03)], strict).passed).toBe(true)
    const loose = { ...noGate, maxDrop: 0.02, confidence: 0.9 }
    expect(applyGate([], [comparison(0.85, 0.8, 0.03)], loose).passed).toBe(false)
  })

  it('passes changes within max_drop, gains included', () => {
    const gate = { ...noGate, maxDrop: 0.05 }
    const result = applyGate(
      [],
      [comparison(0.85, 0.8, 0.0001), comparison(0.5, 0.6, 0.0001)],
      gate
    )
    expect(result.passed).toBe(true)
    expect(result.checks.map((c) => c.message)).toEqual([
      '0.85 → 0.80 (-0.05), within max_drop 0.05',
      '0.50 → 0.60 (+0.10), within max_drop 0.05'
    ])
  })

  it('makes no max_drop checks without comparisons', () => {
    expect(applyGate([taskResult([1])], undefined, { ...noGate, maxDrop: 0.01 }).checks).toEqual([])
  })

  it('combines both kinds: one failure fails the gate', () => {
    const gate = {
      minScore: 0.5,
      maxDrop: 0.02,
      confidence: 0.95,
      source: 'config' as const,
      newTasks: 'warn' as const,
      sequential: true,
      firstLook: 50,
      lookEvery: 25
    }
    const result = applyGate([taskResult([1, 1])], [comparison(0.9, 0.7, 0.001)], gate)
    expect(result.checks.map((c) => [c.kind, c.passed])).toEqual([
      ['min_score', true],
      ['max_drop', false]
    ])
    expect(result.passed).toBe(false)
  })
})

describe('formatP', () => {
  it('prints three significant digits and a floor', () => {
    expect(formatP(0.0123456)).toBe('p=0.0123')
    expect(formatP(1)).toBe('p=1')
    expect(formatP(0.0004)).toBe('p<0.001')
  })
})

describe('what the gate can see', () => {
  it('warns when max_drop is below the smallest detectable drop of 7 calm rows', () => {
    const base = taskResult([1, 1, 1, 0, 1, 1, 0])
    const head = taskResult([1, 1, 1, 0, 1, 1, 0])
    const c = compareTaskResults(base, head, { level: 0.95, seed: 1 })
    expect(c.detectableDrop).toBeCloseTo(0.5286, 4)
    const result = applyGate([head], [c], { ...noGate, maxDrop: 0.02 })
    expect(result.passed).toBe(true)
    expect(result.warnings).toEqual([
      'triage: with 7 rows this gate cannot see a drop smaller than 53 points (max_drop is 2); add rows or samples'
    ])
  })

  it('names the samples, and is silent once the rows can show the drop', () => {
    const withSamples = { ...comparison(0.8, 0.8, 1), n: 7, detectableDrop: 0.11, samples: 5 }
    expect(applyGate([], [withSamples], { ...noGate, maxDrop: 0.05 }).warnings).toEqual([
      'triage: with 7 rows of 5 samples each this gate cannot see a drop smaller than 11 points (max_drop is 5); add rows or samples'
    ])
    const enough = { ...withSamples, detectableDrop: 0.04 }
    expect(applyGate([], [enough], { ...noGate, maxDrop: 0.05 }).warnings).toBeUndefined()
  })
})
