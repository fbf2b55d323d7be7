/**
 * The sequential gate's futility stop (eval/futility.ts) and the look that combines it with the
 * betting test (eval/sequential-look.ts): the conditional chance of a regression against values
 * worked out by hand, curtailment at its exact edge, decisions on fixed seeds, and the promise —
 * with the true drop exactly at max_drop, the futility stop almost never cuts short a run whose
 * full data would have failed the gate.
 */
import { describe, expect, it } from 'vitest'
import { FUTILITY_CHANCE, futilityStop, regressionChance } from '../../src/eval/futility.js'
import { sequentialLook } from '../../src/eval/sequential-look.js'
import { lookSchedule } from '../../src/eval/sequential-test.js'
import { normalCdf, normalQuantile } from '../../src/eval/stats.js'
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

/** The first look (50, then every 25) that settles, as [rows, decision, rule], or exhausted. */
function firstStop(differences: readonly number[]): [number, string, string] {
  const total = differences.length
  for (const rows of lookSchedule(total, 50, 25)) {
    if (rows === total) break
    const look = sequentialLook({
      ...GATE,
      differences: differences.slice(0, rows),
      remaining: total - rows
    })
    if (look.decision !== 'undecided') return [rows, look.decision, look.rule]
  }
  return [total, 'undecided', 'none']
}

describe('normalCdf', () => {
  it('matches known values and inverts normalQuantile', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7)
    expect(normalCdf(-1)).toBeCloseTo(0.158655254, 7)
    expect(normalCdf(1.959963985)).toBeCloseTo(0.975, 7)
    expect(normalCdf(-Infinity)).toBe(0)
    expect(normalCdf(Infinity)).toBe(1)
    for (const p of [0.001, 0.01, 0.2, 0.5, 0.9, 0.999]) {
      expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 6)
    }
  })
})

describe('regressionChance', () => {
  it('is worked out by hand for 100 equal rows of 500', () => {
    // S = 0, regularised σ² = E[d²] = 1/101; c = −max(0.1, 1.96·√(1/101/500)) = −0.1; μ = min(0, c);
    // P = Φ((c·N − S − r·μ) / (σ√r)) = Φ((−50 + 40) / (20/√101)) = Φ(−√101 / 2).
    const chance = regressionChance({
      ...GATE,
      differences: new Array<number>(100).fill(0),
      remaining: 400
    })
    expect(chance).toBeCloseTo(normalCdf(-Math.sqrt(101) / 2), 12)
    expect(chance).toBeCloseTo(2.518e-7, 9)
    // After 50 of 500 rows the same start leaves a 4.6% chance: too early to stop.
    const early = regressionChance({
      ...GATE,
      differences: new Array<number>(50).fill(0),
      remaining: 450
    })
    expect(early).toBeCloseTo(0.0461633, 6)
  })

  it('takes the current estimate when it is worse than the boundary', () => {
    // A mean of −0.2 over 100 rows: under the estimate the full mean is expected at −0.2, well
    // beyond −0.1, so the chance is high — the boundary alone (μ = −0.1) would say ½ or less.
    const worse = [...new Array<number>(20).fill(-1), ...new Array<number>(80).fill(0)]
    expect(regressionChance({ ...GATE, differences: worse, remaining: 400 })).toBeGreaterThan(0.99)
  })

  it('with max_drop 0 the threshold is the paired test’s: an unchanged run is not a regression', () => {
    const same = new Array<number>(400).fill(0)
    // c = −1.96·√(1/401/500) ≈ −0.0044: small, but not 0, so no change is not a coin toss;
    // P = Φ(c·400 / (√(1/401)·10)) = Φ(−40z/√500) ≈ Φ(−3.5), under γ.
    const z = normalQuantile(0.975)
    const chance = regressionChance({ ...GATE, maxDrop: 0, differences: same, remaining: 100 })
    expect(chance).toBeCloseTo(normalCdf((-z * 40) / Math.sqrt(500)), 12)
    expect(chance).toBeLessThan(FUTILITY_CHANCE)
    expect(
      regressionChance({ ...GATE, maxDrop: 0, differences: same.slice(0, 50), remaining: 450 })
    ).toBeGreaterThan(0.3)
  })

  it('is 1 before any row, and 1 or 0 when no row is left', () => {
    expect(regressionChance({ ...GATE, differences: [], remaining: 10 })).toBe(1)
    // 30 losses in 100 rows: −0.3, beyond c = −max(0.1, 1.96·√(31/101/100)) ≈ −0.109.
    const lost = [...new Array<number>(30).fill(-1), ...new Array<number>(70).fill(0)]
    expect(regressionChance({ ...GATE, differences: lost, remaining: 0 })).toBe(1)
    // One loss in 3 rows is beyond max_drop but not significant: the full gate passes.
    expect(regressionChance({ ...GATE, differences: [-1, 0, 0], remaining: 0 })).toBe(0)
  })
})

describe('futilityStop', () => {
  it('curtails exactly when even all-worst rows left keep the mean at −max_drop or above', () => {
    // 450 equal rows and 50 left at −1: mean −0.1, not beyond max_drop.
    expect(
      futilityStop({ ...GATE, differences: new Array<number>(450).fill(0), remaining: 50 })
    ).toEqual({
      rule: 'curtailment'
    })
    // 51 left could reach −0.102: not certain, but the chance is far under γ.
    const stop = futilityStop({
      ...GATE,
      differences: new Array<number>(449).fill(0),
      remaining: 51
    })
    expect(stop?.rule).toBe('futility')
  })

  it('stops under γ only, and never with nothing seen or nothing left', () => {
    const same = new Array<number>(100).fill(0)
    expect(futilityStop({ ...GATE, differences: same, remaining: 400 })).toEqual({
      rule: 'futility',
      chance: regressionChance({ ...GATE, differences: same, remaining: 400 })
    })
    expect(
      futilityStop({ ...GATE, differences: same.slice(0, 50), remaining: 450 })
    ).toBeUndefined()
    expect(
      futilityStop({ ...GATE, differences: same.slice(0, 50), remaining: 450 }, 0.05)
    ).toMatchObject({
      rule: 'futility'
    })
    expect(futilityStop({ ...GATE, differences: [], remaining: 400 })).toBeUndefined()
    expect(futilityStop({ ...GATE, differences: same, remaining: 0 })).toBeUndefined()
  })
})

describe('sequentialLook', () => {
  it('decides on fixed seeds, naming the rule', () => {
    // A 30-point drop: the betting test, at the first look.
    expect(firstStop(draws(1, 500, 0.35, 0.05))).toEqual([50, 'regressed', 'confidence-sequence'])
    // No change: the betting test settles it first.
    expect(firstStop(draws(2, 500, 0.05, 0.05))).toEqual([
      125,
      'not-regressed',
      'confidence-sequence'
    ])
    // A drop of ¾ × max_drop: the betting test cannot tell it from the boundary, futility can.
    expect(firstStop(draws(5, 500, 0.15, 0.075))).toEqual([475, 'not-regressed', 'futility'])
    // The same drop, a draw whose full mean lands at −0.096, right at the boundary: every row.
    expect(firstStop(draws(4, 500, 0.15, 0.075))).toEqual([500, 'undecided', 'none'])
  })

  it('at a true drop of exactly max_drop, rarely cuts short a run the full data fails (400 seeds)', () => {
    // Lan, Simon & Halperin: under the boundary the chance of stopping while the full test would
    // fail is at most γ = 1%; the normal approximation leaves it there too.
    let futile = 0
    let wrong = 0
    let fullFails = 0
    for (let seed = 0; seed < 400; seed++) {
      const d = draws(seed, 500, 0.2, 0.1)
      const full = d.reduce((s, x) => s + x, 0) / d.length < -GATE.maxDrop
      if (full) fullFails++
      const [, , rule] = firstStop(d)
      if (rule === 'futility' || rule === 'curtailment') {
        futile++
        if (full) wrong++
      }
    }
    expect({ futile, wrong, fullFails }).toEqual({ futile: 131, wrong: 1, fullFails: 180 })
    expect(wrong / 400).toBeLessThanOrEqual(FUTILITY_CHANCE)
  })
})
