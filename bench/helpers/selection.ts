/**
 * Part b of the APO benchmark: the per-seed rows of the selection comparison and the verdict on
 * exploration_c, built from the measured figures only.
 */
import type { BanditName } from '../../src/config/types.js'
import type { ApoMeasure } from './apo-sim.js'
import { int, mark, mean, pct, pts, ratio } from './format.js'

/** Rounds that ran a selection. */
export function selectionRounds(m: ApoMeasure): number {
  return Math.max(1, m.result.details.selections.length)
}

export interface Variant {
  bandit: BanditName
  c: number
  budget: number
}

export interface Tally {
  test: number[]
  ratio: number[]
  /** Seeds whose test score reached uniform's; whose selection calls were ≤ half; both. */
  reach: number
  half: number
  both: number
}

export function variantName(v: Variant): string {
  return v.bandit === 'uniform' ? `uniform B=${v.budget}` : `${v.bandit} c=${v.c} B=${v.budget}`
}

/** One row of the per-seed selection table; `base` is the uniform run of the same seed. */
export function selectionRow(
  seed: number,
  name: string,
  m: ApoMeasure,
  base?: ApoMeasure
): string[] {
  const callRatio = base ? m.selectionCalls / base.selectionCalls : null
  const perRound = base
    ? m.selectionCalls / selectionRounds(m) / (base.selectionCalls / selectionRounds(base))
    : null
  const met = base ? (m.after ?? 0) >= (base.after ?? 0) && (callRatio ?? 1) <= 0.5 : null
  return [
    String(seed),
    name,
    pct(m.after),
    base ? pts((m.after ?? 0) - (base.after ?? 0)) : '',
    String(selectionRounds(m)),
    int(m.selectionEvaluations),
    int(m.selectionCalls),
    callRatio === null ? '' : ratio(callRatio),
    perRound === null ? '' : ratio(perRound),
    int(m.report.ledger.byRole.target.calls),
    int(m.report.ledger.byRole.optimizer.calls),
    met === null ? '' : mark(met)
  ]
}

/**
 * Which exploration_c the half-budget UCB runs support, in words built from the figures. The
 * calls ratio is set by the budget (about 0.5 at B/2 whatever c is); what c changes is the test
 * score reached, so the settings are ranked by mean test, and a lead of less than one test example
 * is called a tie.
 */
export function exploreVerdict(
  settings: Array<[Variant, Tally]>,
  uniformMean: number,
  seeds: number,
  oneExample: number
): string[] {
  const ranked = [...settings].sort(([, a], [, b]) => mean(b.test) - mean(a.test))
  const [first, second] = ranked
  if (!first) return []
  const [v, t] = first
  const lines = [
    `At half budget, UCB's best mean test is with exploration_c = ${v.c}: ${pct(mean(t.test))} vs uniform ${pct(uniformMean)} (${pts(mean(t.test) - uniformMean)} points; ${t.reach}/${seeds} seeds reach uniform's score), at a mean selection-calls ratio of ${ratio(mean(t.ratio))}.`
  ]
  if (second) {
    const gap = mean(t.test) - mean(second[1].test)
    lines.push(
      gap < oneExample
        ? `exploration_c = ${v.c} and ${second[0].c} are within one test example of each other (${pts(gap)} points): no clear winner.`
        : `Next: exploration_c = ${second[0].c} at ${pct(mean(second[1].test))} (${pts(-gap)} points).`
    )
  }
  return lines
}
