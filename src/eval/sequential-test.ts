/**
 * The sequential gate's test: is the mean paired difference head − base above or below
 * −max_drop? Answered with an anytime-valid confidence sequence, so the gate may look after every
 * batch of rows and stop as soon as the answer is settled, at the configured confidence, however
 * often it looks.
 *
 * The confidence sequence is the betting ("hedged capital") CS of Waudby-Smith & Ramdas (2023),
 * "Estimating means of bounded random variables by betting", JRSS-B 86(1), §4 (Theorem 3): for a
 * candidate mean m, two gamblers bet on the paired differences d_i ∈ [−1, 1] — one that the mean
 * is above m, K⁺_t(m) = Π (1 + λ⁺_i (d_i − m)), one that it is below, K⁻_t(m) = Π (1 − λ⁻_i (d_i − m))
 * — with bets λ chosen from the rows before i only (predictable). Under mean m both capitals are
 * nonnegative supermartingales, so by Ville's inequality P(∃t: ½K⁺_t + ½K⁻_t ≥ 1/α) ≤ α, and
 * {m : ½K⁺_t(m) + ½K⁻_t(m) < 1/α} is a (1 − α) confidence sequence, valid at every t at once and
 * therefore at any data-dependent stopping time (any schedule of looks).
 *
 * The gate only needs to know on which side of m = −max_drop the sequence lies, so the capital is
 * computed at that one point: m is outside the CS exactly when the hedged capital reaches 1/α, and
 * the CS then lies above m when K⁺ is the larger (not regressed) and below it otherwise (regressed).
 *
 * The bets are WSR's aGRAPA (§5.1: "approximate growth-rate adaptive to the particular
 * alternative"), λ = (μ̂ − m) / (σ̂² + (μ̂ − m)²), the bet that maximises the capital's expected
 * log-growth to second order, truncated to [0, c / (1 ± m)] (c = ½, their default) so that no
 * factor can reach zero; μ̂ and σ̂² are the regularised running mean and variance of WSR's
 * predictable plug-in (eq. 26–27: a prior mean of 0 and variance of 1 — the midpoint and the widest
 * spread of [−1, 1] — weighted as one row).
 */

/** Where the confidence sequence lies relative to −max_drop after the rows seen so far. */
export type SequentialDecision = 'regressed' | 'not-regressed' | 'undecided'

export interface SequentialTestInput {
  /** Paired differences head − base, per example, each in [−1, 1], in the order they were drawn. */
  differences: readonly number[]
  /** The gate's max_drop in [0, 1]: the CS is compared with −max_drop. */
  maxDrop: number
  /** The gate's confidence, e.g. 0.95 (α = 1 − confidence). */
  confidence: number
}

export interface SequentialTestResult {
  decision: SequentialDecision
  /** log K⁺_t(−max_drop): the evidence that the mean difference is above −max_drop. */
  logCapitalAbove: number
  /** log K⁻_t(−max_drop): the evidence that it is below. */
  logCapitalBelow: number
}

/** WSR's truncation: a bet never stakes more than half of what a worst-case row could take. */
const TRUNCATION = 0.5

/** log(e^a + e^b) without overflow. */
function logSumExp(a: number, b: number): number {
  const high = Math.max(a, b)
  if (high === -Infinity) return -Infinity
  return high + Math.log(Math.exp(a - high) + Math.exp(b - high))
}

/**
 * The hedged capital at m = −max_drop after every difference given, and the decision it supports
 * at level α = 1 − confidence. A difference outside [−1, 1] is an error of the caller.
 */
export function sequentialTest(input: SequentialTestInput): SequentialTestResult {
  const { differences, maxDrop, confidence } = input
  if (!(maxDrop >= 0 && maxDrop <= 1)) throw new RangeError(`max_drop ${maxDrop} is not in [0, 1]`)
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`confidence ${confidence} is not in (0, 1)`)
  }
  const m = -maxDrop
  // 1 + λ(d − m) ≥ 1 − λ(1 + m) for d ≥ −1, and 1 − λ(d − m) ≥ 1 − λ(1 − m) for d ≤ 1.
  const capAbove = 1 + m > 0 ? TRUNCATION / (1 + m) : Infinity
  const capBelow = TRUNCATION / (1 - m)
  let logAbove = 0
  let logBelow = 0
  // Regularised running estimates (WSR eq. 26–27, rescaled from [0, 1] to [−1, 1]).
  let sum = 0
  let squares = 1
  let meanEstimate = 0
  for (let i = 0; i < differences.length; i++) {
    const d = differences[i] as number
    if (!(d >= -1 && d <= 1)) throw new RangeError(`difference ${d} at ${i} is not in [−1, 1]`)
    const variance = squares / (i + 1)
    const gap = meanEstimate - m
    const scale = variance + gap * gap
    const betAbove = Math.min(Math.max(gap / scale, 0), capAbove)
    const betBelow = Math.min(Math.max(-gap / scale, 0), capBelow)
    logAbove += Math.log1p(betAbove * (d - m))
    logBelow += Math.log1p(-betBelow * (d - m))
    sum += d
    meanEstimate = sum / (i + 2)
    squares += (d - meanEstimate) ** 2
  }
  const hedged = logSumExp(logAbove, logBelow) - Math.LN2
  const alpha = 1 - confidence
  let decision: SequentialDecision = 'undecided'
  if (hedged >= -Math.log(alpha)) decision = logAbove >= logBelow ? 'not-regressed' : 'regressed'
  return { decision, logCapitalAbove: logAbove, logCapitalBelow: logBelow }
}

/**
 * The row counts at which the gate looks: `firstLook`, then every `every` rows, and always at
 * `total` (when the rows run out the full-data test decides). Increasing, ending at `total`.
 */
export function lookSchedule(total: number, firstLook: number, every: number): number[] {
  if (total <= 0) return []
  const looks: number[] = []
  const step = Math.max(1, Math.floor(every))
  for (let rows = Math.max(1, Math.floor(firstLook)); rows < total; rows += step) looks.push(rows)
  looks.push(total)
  return looks
}
