/**
 * Cancellation. One shared AbortSignal per run: a cancel (Ctrl-C, the action being stopped) or a
 * budget stop aborts it, and every wait and in-flight call in this layer rejects with a typed error.
 */
import { CancelledError, PromptDescentError } from '../errors.js'

/**
 * The error an aborted operation rejects with: the signal's reason when it is one of our typed
 * errors (a BudgetExceededError from the budget, say), otherwise a CancelledError.
 */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason
  if (reason instanceof PromptDescentError) return reason
  if (reason instanceof Error && reason.name !== 'AbortError' && reason.message) {
    return new CancelledError(`the run was cancelled: ${reason.message}`)
  }
  return new CancelledError()
}

/** Throws the abort reason when `signal` is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortReason(signal)
}

/** A signal that aborts when any of `signals` does (undefined entries are skipped). */
export function combineSignals(
  ...signals: Array<AbortSignal | undefined>
): AbortSignal | undefined {
  const present = signals.filter((s): s is AbortSignal => s !== undefined)
  if (present.length === 0) return undefined
  if (present.length === 1) return present[0]
  return AbortSignal.any(present)
}
