/**
 * How an optimizer turns the error that ended its loop into a stop: running out of budget and being
 * cancelled are graceful stops that keep the best result so far, not failures.
 */
import { BudgetExceededError, CancelledError, ProviderError } from '../errors.js'

/** A graceful stop read from an error. */
export interface ErrorStop {
  reason: 'budget' | 'cancelled'
  message: string
}

/**
 * The stop `error` means: `budget` for a BudgetExceededError, `cancelled` for a CancelledError or
 * any error once `signal` was aborted (an aborted call may fail with something else), else
 * undefined (the caller rethrows, or checks its own extra cases).
 */
export function stopFromError(error: unknown, signal?: AbortSignal): ErrorStop | undefined {
  if (error instanceof BudgetExceededError) return { reason: 'budget', message: error.message }
  if (error instanceof CancelledError || signal?.aborted === true) {
    return { reason: 'cancelled', message: error instanceof Error ? error.message : 'cancelled' }
  }
  return undefined
}

/** The stop of a run the provider ended: its message and, when it answered, its HTTP status. */
export interface ProviderStop {
  reason: 'provider-error'
  message: string
  status?: number
}

/**
 * The stop a ProviderError means (a refusal past the retries: 401, 403, 404, …), else undefined.
 * The optimizers end their loop with it and keep the best result found before it.
 */
export function providerStop(error: unknown): ProviderStop | undefined {
  if (!(error instanceof ProviderError)) return undefined
  return {
    reason: 'provider-error',
    message: error.message,
    ...(error.status !== undefined && { status: error.status })
  }
}
