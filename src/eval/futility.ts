/**
 * The sequential gate's futility stop: a non-binding stop toward "not regressed" only, taken when
 * scoring the rows that are left could hardly turn the full-data gate into a failure. It is the
 * stochastic curtailment of Lan, Simon & Halperin (1982, "Stochastically curtailed tests in
 * long-term clinical trials", Communications in Statistics C 1(3)): stop when the conditional
 * probability that the full-data test rejects, given the rows seen so far, is below γ.
 *
 * The full-data test is the one the gate runs with `gate.sequential: false` (eval/gate.ts): the
 * max_drop check fails when the mean paired difference over all N rows is below −max_drop and the
 * paired test says the drop is significant at α = 1 − confidence. Its normal approximation, with
 * the example as the unit: D̄_N < c, where c = −max(max_drop, z_{1−α/2} · √(E[d²] / N)) (the
 * second term is the paired test's rejection region about no change; it matters only when max_drop
 * is 0 or N is small). With S the sum of the m differences seen and r = N − m rows left, the rows
 * left sum to about Normal(r·μ, r·σ²), σ² the observed per-example variance, so the chance that the
 * full gate fails is P = Φ((c·N − S − r·μ) / (σ·√r)).
 *
 * Which μ: the larger of the current estimate μ̂ = S / m and c is the conditional power "under the
 * current trend", which stops too eagerly when the truth is at the boundary (a lucky start looks
 * settled); c alone is the conditional power "under the boundary". The rule uses
 * μ = min(μ̂, c), the worse of the two for the head, so P is the larger of the two conditional
 * powers. Why that keeps the verdicts together: P(full fails | rows so far) is a martingale in the
 * rows, so for a true mean μ* and any stopping rule, the chance of stopping while the full test
 * would have failed is at most γ when P is computed under μ* (Lan, Simon & Halperin, §2). For every
 * μ* ≥ c — a drop up to and exactly at max_drop — P under c is at least P under μ*, so the bound
 * holds; for a true drop beyond the boundary, μ̂ tends to μ* and takes over. The stop can only
 * turn a "regressed" into "not regressed", so it never adds a false alarm.
 *
 * σ² and E[d²] are regularised like the betting test's plug-ins (sequential-test.ts, WSR eq. 26–27):
 * one prior row of squared deviation 1, so a run of identical rows does not read as no noise at all.
 *
 * Deterministic curtailment is the trivial case: even if every row left were a worst-case −1, the
 * mean over all rows would stay at or above −max_drop, so the full gate cannot fail.
 */
import { normalCdf, normalQuantile } from './stats.js'

/**
 * γ: the futility stop's bound on the chance that the rows left would have made the full-data gate
 * fail. 1%, well under the 2% of disagreement with scoring every row the issue allows.
 */
export const FUTILITY_CHANCE = 0.01

export interface FutilityInput {
  /** Paired differences head − base scored so far, each in [−1, 1]. */
  differences: readonly number[]
  /** Paired rows not scored yet. */
  remaining: number
  /** The gate's max_drop in [0, 1]. */
  maxDrop: number
  /** The gate's confidence, e.g. 0.95. */
  confidence: number
}

/** Why the futility stop stops: certainty (curtailment) or a small chance (futility). */
export type FutilityStop = { rule: 'curtailment' } | { rule: 'futility'; chance: number }

/**
 * The conditional probability that the full-data gate fails (the mean difference over every paired
 * row is a significant drop beyond max_drop), given the differences so far: the normal
 * approximation above. 1 with no difference seen (nothing is known yet); with no row left, 1 or 0.
 */
export function regressionChance(input: FutilityInput): number {
  const { differences, maxDrop, confidence } = input
  const remaining = Math.max(0, Math.floor(input.remaining))
  const m = differences.length
  if (m === 0) return 1
  let sum = 0
  let squares = 0
  for (const d of differences) {
    sum += d
    squares += d * d
  }
  const estimate = sum / m
  const total = m + remaining
  const z = normalQuantile(1 - (1 - confidence) / 2)
  const secondMoment = (squares + 1) / (m + 1)
  const threshold = -Math.max(maxDrop, z * Math.sqrt(secondMoment / total))
  if (remaining === 0) return sum / total < threshold ? 1 : 0
  const centred = squares - m * estimate * estimate
  const sd = Math.sqrt((Math.max(0, centred) + 1) / (m + 1))
  const trend = Math.min(estimate, threshold)
  return normalCdf((threshold * total - sum - remaining * trend) / (sd * Math.sqrt(remaining)))
}

/**
 * The futility stop at one look, or undefined to go on: curtailment when even all-worst rows left
 * keep the mean at or above −max_drop; futility when `regressionChance` is below γ.
 */
export function futilityStop(
  input: FutilityInput,
  gamma: number = FUTILITY_CHANCE
): FutilityStop | undefined {
  const { differences, maxDrop } = input
  const remaining = Math.max(0, Math.floor(input.remaining))
  if (differences.length === 0 || remaining === 0) return undefined
  const sum = differences.reduce((s, d) => s + d, 0)
  if ((sum - remaining) / (differences.length + remaining) >= -maxDrop) {
    return { rule: 'curtailment' }
  }
  const chance = regressionChance(input)
  return chance < gamma ? { rule: 'futility', chance } : undefined
}
