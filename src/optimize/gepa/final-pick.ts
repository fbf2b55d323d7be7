/**
 * GEPA's final choice among its best candidates, on more rows than the Pareto dev sample.
 *
 * Why: the reference returns the best mean on the same dev rows that drove the search
 * (../shared/research/gepa.md §6, fault 8). With ten or more admitted candidates a few points apart,
 * the top of 60 dev rows is a small-sample winner: its lead is partly its luck on those rows (the
 * winner's curse), so the pick is worse on test than the best candidate found. The remedy is the
 * textbook one for selecting among noisy estimates: re-score the few best candidates on rows none of
 * them was chosen on and pick by the mean over every unbiased row they share.
 *
 * Rows used: the dev rows outside the Pareto sample first (never seen by the search), then train
 * rows that no reflection read and no confirmation judged (a row a child was accepted on favours
 * that child, so those are left out). Test rows are never touched.
 */
import type { Example } from '../../config/project-types.js'
import type { Random } from '../../util/random.js'
import { meanOf, type PoolEntry } from './pareto.js'

/**
 * Candidates re-scored at the end. Three: the mean gaps among the top of the pool are a few points,
 * and beyond the third the chance that a candidate is truly best is small while each one costs as
 * much as the first.
 */
export const FINALISTS = 3

/**
 * Most of a target-call cap (`optimize.gepa.max_calls`) the final choice may take: the search keeps
 * four fifths, so a tight cap still pays for the candidates the choice is among.
 */
export const FINAL_PICK_SHARE = 0.2

/** The finalists: the `k` best dev means, best first (ties: the earlier admitted). */
export function finalists(pool: readonly PoolEntry[], k: number): number[] {
  return [...pool]
    .sort((a, b) => meanOf(b.scores) - meanOf(a.scores) || a.index - b.index)
    .slice(0, Math.max(0, k))
    .map((e) => e.index)
}

/**
 * Rows for the final choice, at most `limit`: unused dev rows first (a seeded order), then train rows
 * no reflection or confirmation used. Returned in data order.
 */
export function finalRows(
  all: { dev: readonly Example[]; train: readonly Example[] },
  used: { pareto: ReadonlySet<string>; train: ReadonlySet<string> },
  limit: number,
  random: Random
): Example[] {
  const devLeft = all.dev.filter((r) => !used.pareto.has(r.id))
  const trainLeft = all.train.filter((r) => !used.train.has(r.id))
  const chosen = [
    ...random.fork('dev').shuffle(devLeft),
    ...random.fork('train').shuffle(trainLeft)
  ].slice(0, Math.max(0, limit))
  const order = new Map([...all.dev, ...all.train].map((r, i) => [r.id, i]))
  return chosen.sort((a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0))
}

export interface FinalistScores {
  index: number
  dev: readonly number[]
  extra: readonly number[]
}

/** The mean over a finalist's dev and extra rows together. */
export function pooledMean(f: Pick<FinalistScores, 'dev' | 'extra'>): number {
  return meanOf([...f.dev, ...f.extra])
}

/**
 * The finalist with the best pooled mean; ties go to the earlier finalist (the better dev mean), so
 * with no extra rows this is the dev pick.
 */
export function pickFinalist(scored: readonly FinalistScores[]): number | undefined {
  let best: FinalistScores | undefined
  for (const f of scored) if (best === undefined || pooledMean(f) > pooledMean(best)) best = f
  return best?.index
}
