/**
 * A failed provider call, with what the retry policy needs to decide: whether to try again, and how
 * long the provider asked us to wait.
 */
import { ProviderError } from '../errors.js'

export class ProviderCallError extends ProviderError {
  /** The wait the provider asked for (retry-after-ms / retry-after), when it said. */
  readonly retryAfterMs: number | undefined
  /** True for a 429 (rate limited), counted in the ledger apart from other failures. */
  readonly rateLimited: boolean
  /** The provider answered, but without text (content: null); counted in the ledger apart. */
  readonly noContent: boolean
  constructor(
    message: string,
    details: {
      status?: number
      retryable: boolean
      retryAfterMs?: number
      rateLimited?: boolean
      noContent?: boolean
      cause?: unknown
    }
  ) {
    super(message, details)
    this.retryAfterMs = details.retryAfterMs
    this.rateLimited = details.rateLimited ?? details.status === 429
    this.noContent = details.noContent ?? false
  }
}

/** Status codes worth another attempt: timeouts, lock conflicts, rate limits, server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500
}
