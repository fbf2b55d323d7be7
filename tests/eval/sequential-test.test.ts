/**
 * The sequential gate's test (eval/sequential-test.ts): the betting confidence sequence of
 * Waudby-Smith & Ramdas (2023) evaluated at −max_drop, checked against values worked out by hand,
 * against fixed seeds, and for its promise — at the boundary it rejects at most α of the time
 * however often it looks.
 */
import { describe, expect, it } from 'vitest'
import { lookSchedule, sequentialTest } from '../../src/eval/sequential-test.js'
import { sequentialOutcome } from '../../src/eval/sequential-outcome.js'
import { createRandom } from '../../src/util/random.js'

const GATE = { maxDrop: 0.1, confidence: 0.95 }

/** n draws of −1, 0, +1 with P(−1) = down, P(+1) = up, from a seeded generator. */
function draws(seed: number, n: number, down: number, up: number): number[] {
  const random = createRandom(seed)
  return Array.from({ length: n }, () => {
    const u = random.next()
    return u < down ? -1 : u < down + up ? 1 : 0
  })
}

/** The first look at which the test decides, and what it decides. */
function firstDecision(differences: readonly number[], every = 1): [number, string] {
  for (const rows of lookSchedule(differences.length, every, every)) {
    const { decision } = sequentialTest({ ...GATE, differences: differences.slice(0, rows) })
    if (decision !== 'undecided') return [rows, decision]
  }
  return [differences.length, 'undecided']
}

describe('sequentialTest', () => {
  it('bets as worked out by hand on two rows of no change', () => {
    // Row 1: μ̂ = 0, σ̂² = 1, gap μ̂ − m = 0.1, bet 0.1 / 1.01; row 2: σ̂² = 1/2, bet 0.1 / 0.51.
    const expected = Math.log1p((0.1 / 1.01) * 0.1) + Math.log1p((0.1 / 0.51) * 0.1)
    const result = sequentialTest({ ...GATE, differences: [0, 0] })
    expect(result.logCapitalAbove).toBeCloseTo(expected, 12)
    expect(result.logCapitalAbove).toBeCloseTo(0.0292703823, 9)
    // Nothing is staked on "below" while the running mean is above −max_drop.
    expect(result.logCapitalBelow).toBe(0)
    expect(result.decision).toBe('undecided')
  })

  it('settles a certain regression after 12 rows and no change after 71', () => {
    // log(2/α) = log 40 ≈ 3.689 is the evidence the hedged capital needs.
    const worse = sequentialTest({ ...GATE, differences: new Array<number>(12).fill(-1) })
    expect(worse.decision).toBe('regressed')
    expect(worse.logCapitalBelow).toBeCloseTo(3.7723922624, 8)
    expect(sequentialTest({ ...GATE, differences: new Array<number>(11).fill(-1) }).decision).toBe(
      'undecided'
    )
    const same = sequentialTest({ ...GATE, differences: new Array<number>(71).fill(0) })
    expect(same.decision).toBe('not-regressed')
    expect(same.logCapitalAbove).toBeCloseTo(3.7106774356, 8)
    expect(sequentialTest({ ...GATE, differences: new Array<number>(70).fill(0) }).decision).toBe(
      'undecided'
    )
  })

  it('decides on fixed seeds: a 30-point drop, no change, and a gain', () => {
    expect(firstDecision(draws(1, 500, 0.35, 0.05), 25)).toEqual([50, 'regressed'])
    expect(firstDecision(draws(2, 500, 0.05, 0.05), 25)).toEqual([125, 'not-regressed'])
    expect(firstDecision(draws(3, 500, 0.02, 0.3), 25)).toEqual([50, 'not-regressed'])
  })

  it('with a mean difference exactly at −max_drop, rejects at most α of 400 seeds looking after every row', () => {
    // P(−1) = 0.2, P(+1) = 0.1: mean −0.1. Anytime validity: Ville's inequality bounds the chance
    // that the capital ever reaches 1/α by α, so even 500 looks keep the error at or under 5%.
    let rejected = 0
    for (let seed = 0; seed < 400; seed++) {
      if (firstDecision(draws(seed, 500, 0.2, 0.1))[1] !== 'undecided') rejected++
    }
    expect(rejected).toBe(12)
    expect(rejected / 400).toBeLessThanOrEqual(0.05)
  })

  it('refuses differences outside [−1, 1] and a max_drop outside [0, 1]', () => {
    expect(() => sequentialTest({ ...GATE, differences: [1.5] })).toThrow(/not in/)
    expect(() => sequentialTest({ ...GATE, maxDrop: 2, differences: [] })).toThrow(/max_drop/)
  })

  it('handles max_drop 1 and max_drop 0', () => {
    // −max_drop = −1: no mean can be below it, so only "not regressed" can be settled.
    expect(
      sequentialTest({ ...GATE, maxDrop: 1, differences: new Array<number>(5).fill(-1) })
    ).toMatchObject({ decision: 'undecided', logCapitalBelow: 0 })
    expect(
      sequentialTest({ ...GATE, maxDrop: 0, differences: new Array<number>(200).fill(0) }).decision
    ).toBe('undecided')
  })
})

describe('lookSchedule', () => {
  it('looks at first_look, then every look_every rows, and always when the rows run out', () => {
    expect(lookSchedule(120, 50, 25)).toEqual([50, 75, 100, 120])
    expect(lookSchedule(100, 50, 25)).toEqual([50, 75, 100])
    expect(lookSchedule(30, 50, 25)).toEqual([30])
    expect(lookSchedule(0, 50, 25)).toEqual([])
  })
})

describe('sequentialOutcome', () => {
  it('says how many rows were needed and why it stopped', () => {
    const gate = { maxDrop: 0.05, confidence: 0.95 }
    expect(
      sequentialOutcome({ decision: 'not-regressed', rows: 340, total: 2000 }, gate).message
    ).toBe('stopped after 340 of 2,000 rows: the head is not worse than max_drop 0.05 at 95%')
    expect(sequentialOutcome({ decision: 'regressed', rows: 75, total: 2000 }, gate).message).toBe(
      'stopped after 75 of 2,000 rows: the head is worse than max_drop 0.05 at 95%'
    )
    expect(
      sequentialOutcome(
        { decision: 'not-regressed', rows: 180, total: 500, rule: 'futility' },
        gate
      )
    ).toEqual({
      stop: 'not-regressed',
      rule: 'futility',
      rows: 180,
      total: 500,
      message:
        'stopped after 180 of 500 rows: scoring the other rows would not make this a regression (< 1% chance)'
    })
    expect(
      sequentialOutcome(
        { decision: 'not-regressed', rows: 480, total: 500, rule: 'curtailment' },
        gate
      ).message
    ).toBe(
      'stopped after 480 of 500 rows: even if the head lost every other row, it would not be worse than max_drop 0.05'
    )
    expect(sequentialOutcome({ decision: 'regressed', rows: 75, total: 2000 }, gate).rule).toBe(
      'confidence-sequence'
    )
    expect(sequentialOutcome({ decision: 'undecided', rows: 40, total: 40 }, gate).stop).toBe(
      'exhausted'
    )
    expect(
      sequentialOutcome({ decision: 'off', rows: 40, total: 40 }, { ...gate, off: 'min_score' })
        .message
    ).toMatch(/^scored all 40 rows: gate.min_score needs/)
    expect(sequentialOutcome({ decision: 'off', rows: 40, total: 40 }, gate).message).toBe(
      'scored all 40 rows (gate.sequential: false)'
    )
  })
})
