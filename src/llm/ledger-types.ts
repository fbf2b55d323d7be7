import type { ModelRole } from './chat-model.js'

/** Usage of one role (or of the whole run). Cached calls are counted apart and cost nothing. */
export interface UsageTotals {
  calls: number
  cachedCalls: number
  inputTokens: number
  outputTokens: number
  /** Dollars spent; null when a model's price is unknown (then only tokens are reported). */
  usd: number | null
  /** Retries made after 429/5xx/timeouts. */
  retries: number
  /** Responses with status 429 seen. */
  rateLimited: number
  /** Replies without text (content: null: a refusal, a content filter…); those calls failed. */
  noContent: number
}

export interface ModelUsage {
  calls: number
  inputTokens: number
  outputTokens: number
}

export interface LedgerSnapshot {
  total: UsageTotals
  byRole: Record<ModelRole, UsageTotals>
  /**
   * Answered paid calls and their tokens by model id (a task's own target, an evaluator's own
   * judge); absent in reports written before it existed.
   */
  byModel?: Record<string, ModelUsage>
  elapsedMs: number
}

export type StopReason = 'completed' | 'budget' | 'provider-error' | 'cancelled' | 'no-gain'

export interface StopInfo {
  reason: StopReason
  message: string
  /** The provider's HTTP status, when a refusal every further call would repeat stopped the run. */
  status?: number
}
