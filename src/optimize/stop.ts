/**
 * How an optimizer turns the error that ended its loop into a stop: running out of budget and being
 * cancelled are graceful stops that keep the best result so far, not failures.
 */
import { BudgetExceededError, CancelledError } from '../errors.js'

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
