/**
 * GEPA's selection: two trait families that only the Pareto pool keeps both of, rows nobody or
 * everybody solves left out of the weights, and the best-mean floor.
 */
import { describe, expect, it } from 'vitest'
import {
  BEST_FLOOR,
  bestByMean,
  frontWeights,
  informativeFronts,
  selectParent
} from '../../src/optimize/gepa/pareto.js'
import { createRandom } from '../../src/util/random.js'

// Dev rows 0–3 carry trait family A (sarcasm), 4–7 family B (negation), 8 nobody solves, 9 all do.
const seed = { index: 0, scores: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1] }
const famA = { index: 1, scores: [1, 1, 1, 1, 0, 0, 0, 0, 0, 1] }
const famB = { index: 2, scores: [0, 0, 0, 0, 1, 1, 1, 1, 0, 1] }
// Best mean, but a generalist that solves three rows of each family, neither fully.
const mixed = { index: 3, scores: [1, 1, 1, 0, 1, 1, 1, 0, 0, 1] }
const pool = [seed, famA, famB, mixed]

function draws(selection: 'pareto' | 'best', n: number): Map<number, number> {
  const random = createRandom(7)
  const counts = new Map<number, number>()
  for (let i = 0; i < n; i++) {
    const k = selectParent(pool, selection, random.fork(`draw-${i}`))
    counts.set(k, (counts.get(k) ?? 0) + 1)
  }
  return counts
}

describe('GEPA Pareto selection', () => {
  it('leaves out rows nobody or everybody solves', () => {
    const rows = informativeFronts(pool).map((f) => f.row)
    expect(rows).not.toContain(8)
    expect(rows).not.toContain(9)
    expect(rows).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
  })

  it('keeps both family specialists on the front; the pruning drops the generalist', () => {
    expect(bestByMean(pool)).toBe(3)
    const front = frontWeights(pool)
    // Every row the generalist solves, a specialist solves too: the reference's pruning gives it
    // zero mass (gepa-ai/gepa#432); only the best-mean floor still draws it.
    expect(front.map((w) => w.index)).toEqual([1, 2])
    expect(front.find((w) => w.index === 1)?.weight).toBe(4)
    expect(front.find((w) => w.index === 2)?.weight).toBe(4)
  })

  it('draws both specialists under Pareto selection, only the best mean under best-only', () => {
    const pareto = draws('pareto', 400)
    expect(pareto.get(1) ?? 0).toBeGreaterThan(60)
    expect(pareto.get(2) ?? 0).toBeGreaterThan(60)
    expect(pareto.get(3) ?? 0).toBeGreaterThan(60)
    expect(draws('best', 400)).toEqual(new Map([[3, 400]]))
  })

  it('keeps a floor for the best-mean candidate even when it wins no row alone', () => {
    const dominated = [
      { index: 0, scores: [1, 0, 1, 0] },
      { index: 1, scores: [0, 1, 0, 1] },
      { index: 2, scores: [1, 1, 0, 0] }
    ]
    // Candidate 0 has the best mean (ties go to the lowest index) but the set-cover pruning may
    // still drop some candidates; the floor draws the best mean at least BEST_FLOOR of the time.
    const random = createRandom(3)
    let best = 0
    const n = 1000
    for (let i = 0; i < n; i++)
      if (selectParent(dominated, 'pareto', random.fork(`d${i}`)) === 0) best++
    expect(best / n).toBeGreaterThanOrEqual(BEST_FLOOR - 0.05)
  })
})
