import { normalQuantile } from './stats.js'

export interface DetectableDropInput {
  /** Examples scored in both runs. */
  n: number
  /** Samples per example on each side (k ≥ 1). */
  samples: number
  /** Observed variance of the paired per-example differences head − base (of sample means). */
  differenceVariance: number
  /** Mean variance of one example's samples around their mean (sample-to-sample noise). */
  withinVariance: number
  /** Every sample scores 0 or 1, so a drop must flip whole samples. */
  binary: boolean
  /** The gate's confidence, e.g. 0.95: a two-sided test at α = 1 − confidence. */
  confidence: number
  /** Chance of flagging a drop of that size (default 0.8). */
  power?: number
}

/**
 * The smallest drop the paired test sees with the given power (0.8 by default) at the gate's
 * confidence — the classic minimum detectable effect of a paired two-sided test,
 * δ = (z₁₋α/₂ + z_power) · σ_d / √n (e.g. Cohen 1988, ch. 2; Bloom 1995), in score units (0–1).
 *
 * σ_d² is the larger of the observed variance of the paired differences and the variance that the
 * samples' own noise puts on a difference of two k-sample means (2·w/k): re-running either side
 * would show at least that, even when this run's two sides happen to agree. When every sample scores
 * 0 or 1, a drop of δ has to flip at least δ·n·k samples, which alone gives σ_d² ≥ δ/k − δ²; solving
 * δ ≥ c·√(δ/k − δ²)/√n gives the floor δ ≥ c²/(k·(n + c²)) — why 7 rows of one sample each cannot
 * show a drop under ~53 points however calm they look. Capped at 1; 1 when nothing was paired.
 */
export function detectableDrop(input: DetectableDropInput): number {
  const { n, confidence } = input
  if (n <= 0) return 1
  const k = Math.max(1, input.samples)
  const c = normalQuantile(1 - (1 - confidence) / 2) + normalQuantile(input.power ?? 0.8)
  const variance = Math.max(input.differenceVariance, (2 * input.withinVariance) / k)
  const observed = (c * Math.sqrt(Math.max(0, variance))) / Math.sqrt(n)
  const floor = input.binary ? (c * c) / (k * (n + c * c)) : 0
  return Math.min(1, Math.max(observed, floor))
}
