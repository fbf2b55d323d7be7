/**
 * GEPA's Pareto pool over dev rows, with the reference's faults fixed: rows nobody solves and rows
 * everybody solves carry no information and are left out of the weights (the reference lets them
 * flatten the distribution), and the best-mean candidate keeps a floor probability (the reference's
 * set-cover pruning can give it zero mass on 0/1 metrics).
 */
import type { Random } from '../../util/random.js'

/** A scored candidate: its index in the pool and its scores on the dev rows (one per row). */
export interface PoolEntry {
  index: number
  scores: readonly number[]
}

/** Share of draws that go to the best-mean candidate whatever the fronts say. */
export const BEST_FLOOR = 0.2

export function meanOf(scores: readonly number[]): number {
  return scores.length === 0 ? 0 : scores.reduce((s, x) => s + x, 0) / scores.length
}

/** The best mean (ties: the lowest index). */
export function bestByMean(pool: readonly PoolEntry[]): number {
  let best = pool[0]
  for (const entry of pool)
    if (best === undefined || meanOf(entry.scores) > meanOf(best.scores)) best = entry
  return best?.index ?? 0
}

/**
 * Per informative dev row (someone solves it better than someone else), the pool indices at its
 * best score. Rows where the best is 0 or where every candidate ties are dropped.
 */
export function informativeFronts(
  pool: readonly PoolEntry[]
): Array<{ row: number; front: number[] }> {
  const rows = pool[0]?.scores.length ?? 0
  const out: Array<{ row: number; front: number[] }> = []
  for (let row = 0; row < rows; row++) {
    const values = pool.map((e) => e.scores[row] ?? 0)
    const top = Math.max(...values)
    if (top <= 0) continue
    const front = pool.filter((_, k) => values[k] === top).map((e) => e.index)
    if (front.length === pool.length) continue
    out.push({ row, front })
  }
  return out
}

/**
 * The reference's pruning: in ascending order of mean, drop a candidate when every front holding it
 * holds another survivor; repeat until none can go. Survivors are each the only survivor on some row.
 */
export function pruneFronts(
  pool: readonly PoolEntry[],
  fronts: ReadonlyArray<{ front: number[] }>
): number[] {
  const mean = new Map(pool.map((e) => [e.index, meanOf(e.scores)]))
  const alive = new Set(fronts.flatMap((f) => f.front))
  let changed = true
  while (changed) {
    changed = false
    const order = [...alive].sort((a, b) => (mean.get(a) ?? 0) - (mean.get(b) ?? 0) || b - a)
    for (const k of order) {
      const holding = fronts.filter((f) => f.front.includes(k))
      if (holding.every((f) => f.front.some((j) => j !== k && alive.has(j)))) {
        alive.delete(k)
        changed = true
        break
      }
    }
  }
  return [...alive].sort((a, b) => a - b)
}

/** Survivors with their weights (how many informative fronts they belong to). */
export function frontWeights(pool: readonly PoolEntry[]): Array<{ index: number; weight: number }> {
  const fronts = informativeFronts(pool)
  const survivors = pruneFronts(pool, fronts)
  return survivors.map((index) => ({
    index,
    weight: fronts.filter((f) => f.front.includes(index)).length
  }))
}

/**
 * A parent: with probability BEST_FLOOR (or when no row is informative) the best-mean candidate,
 * else a survivor drawn in proportion to its weight.
 */
export function selectParent(
  pool: readonly PoolEntry[],
  selection: 'pareto' | 'best',
  random: Random
): number {
  const best = bestByMean(pool)
  if (selection === 'best') return best
  const weights = frontWeights(pool)
  const total = weights.reduce((s, w) => s + w.weight, 0)
  if (random.next() < BEST_FLOOR || total === 0) return best
  let u = random.next() * total
  for (const w of weights) {
    u -= w.weight
    if (u < 0) return w.index
  }
  return weights[weights.length - 1]?.index ?? best
}
