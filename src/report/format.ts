/**
 * Number formatting (and the few labels) shared by every view, so a score reads the same in the
 * terminal, the PR comment and the JUnit file. Scores are shown as percentages with one decimal, deltas as percentage points.
 * Locale-independent on purpose: output must not change with the machine it runs on.
 */
import type { ScoreEstimate } from '../eval/types.js'
import type { StopReason } from '../llm/ledger-types.js'

const DASH = '—'
const MINUS = '−'

/** How each view names the reason a run ended. */
export const STOP_LABELS: Record<StopReason, string> = {
  completed: 'completed',
  budget: 'budget reached',
  'provider-error': 'provider error',
  cancelled: 'cancelled',
  'no-gain': 'no further gain'
}

function finite(x: number | null | undefined): x is number {
  return typeof x === 'number' && Number.isFinite(x)
}

/** 1234567 → "1,234,567". */
export function formatCount(n: number): string {
  if (!finite(n)) return DASH
  const sign = n < 0 ? '-' : ''
  return sign + String(Math.round(Math.abs(n))).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/** Percent with one decimal, without the sign: 0.8125 → "81.3". */
function percentNumber(x: number): string {
  const text = (x * 100).toFixed(1)
  return text === '-0.0' ? '0.0' : text
}

/** A score in [0, 1] as a percentage: 0.8125 → "81.3%". */
export function formatScore(x: number | null | undefined): string {
  return finite(x) ? `${percentNumber(x)}%` : DASH
}

/** A score with its interval: "81.3% [74.0, 88.1]". */
export function formatInterval(estimate: ScoreEstimate): string {
  if (!finite(estimate.value)) return DASH
  if (!finite(estimate.low) || !finite(estimate.high)) return formatScore(estimate.value)
  return `${formatScore(estimate.value)} [${percentNumber(estimate.low)}, ${percentNumber(estimate.high)}]`
}

/** A difference of scores in signed percentage points, without unit: 0.042 → "+4.2", −0.01 → "−1.0". */
export function formatSignedPoints(x: number): string {
  if (!finite(x)) return DASH
  const rounded = Math.round(x * 1000) / 10
  if (rounded === 0) return '±0.0'
  return `${rounded > 0 ? '+' : MINUS}${Math.abs(rounded).toFixed(1)}`
}

/** A delta with its interval: "+4.2 pts [−1.0, +9.5]". */
export function formatDelta(delta: ScoreEstimate): string {
  if (!finite(delta.value)) return DASH
  const main = `${formatSignedPoints(delta.value)} pts`
  if (!finite(delta.low) || !finite(delta.high)) return main
  return `${main} [${formatSignedPoints(delta.low)}, ${formatSignedPoints(delta.high)}]`
}

/** A confidence level: 0.95 → "95%". */
export function formatLevel(level: number): string {
  if (!finite(level)) return DASH
  return `${Number((level * 100).toFixed(1))}%`
}

/** A p-value: "0.032", "<0.001", "1.000". */
export function formatPValue(p: number): string {
  if (!finite(p)) return DASH
  if (p < 0.001) return '<0.001'
  return Math.min(p, 1).toFixed(3)
}

/** Dollars: "$0.0042" below a cent, "$1.23" above, "unknown" when a price was missing. */
export function formatUsd(usd: number | null): string {
  if (usd === null) return 'unknown'
  if (!finite(usd)) return DASH
  if (usd === 0) return '$0.00'
  if (Math.abs(usd) < 0.01) return `$${usd.toFixed(4)}`
  const [whole = '0', cents = '00'] = usd.toFixed(2).split('.')
  return `$${formatCount(Number(whole))}.${cents}`
}

/** Token counts: 950 → "950", 12_345 → "12.3k", 123_456 → "123k", 4_560_000 → "4.56M". */
export function formatTokens(n: number): string {
  if (!finite(n)) return DASH
  const abs = Math.abs(n)
  if (abs < 1000) return String(Math.round(n))
  if (abs < 100_000) return `${trimZero((n / 1000).toFixed(1))}k`
  if (abs < 999_500) return `${Math.round(n / 1000)}k`
  if (abs < 100_000_000) return `${trimZero((n / 1e6).toFixed(2))}M`
  return `${formatCount(Math.round(n / 1e6))}M`
}

function trimZero(text: string): string {
  return text.replace(/\.0+$/, '').replace(/(\.\d*?)0+$/, '$1')
}

/** Durations: "850 ms", "12.3 s", "4m 05s", "1h 02m". */
export function formatDuration(ms: number): string {
  if (!finite(ms) || ms < 0) return DASH
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 59_950) return `${(ms / 1000).toFixed(1)} s`
  const totalSeconds = Math.round(ms / 1000)
  const hours = Math.floor(totalSeconds / 3600)
  const minutes = Math.floor((totalSeconds % 3600) / 60)
  const seconds = totalSeconds % 60
  if (hours === 0) return `${minutes}m ${String(seconds).padStart(2, '0')}s`
  return `${hours}h ${String(minutes).padStart(2, '0')}m`
}

/** A per-example score: 1 → "1", 0 → "0", 0.5 → "0.50". */
export function formatExampleScore(x: number): string {
  if (!finite(x)) return DASH
  return Number.isInteger(x) ? String(x) : x.toFixed(2)
}

/** An expected value of any shape as one string (strings as they are, the rest as JSON). */
export function formatValue(value: unknown): string {
  if (typeof value === 'string') return value
  if (value === undefined) return ''
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

/** "1 round", "3 rounds", "1,204 candidates". */
export function plural(n: number, word: string, pluralWord = `${word}s`): string {
  return `${formatCount(n)} ${n === 1 ? word : pluralWord}`
}

/** A hash shortened for display. */
export function shortHash(hash: string, length = 12): string {
  return hash.slice(0, length)
}
