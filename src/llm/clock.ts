/**
 * Time, made injectable so the limiter, the retry policy and the budget can be tested with a fake
 * clock instead of wall time.
 */
import { abortReason } from './abort.js'

export interface Clock {
  /** Milliseconds since some fixed origin (Date.now for the system clock). */
  now(): number
  /**
   * Runs `fn` after `ms`; returns a function that cancels it. A `background` timer does not keep
   * the process alive (a budget deadline must not hold the CLI open after the run is done).
   */
  setTimer(fn: () => void, ms: number, options?: { background?: boolean }): () => void
}

/** The longest delay setTimeout takes; a longer one fires at once (and a re-armed wait would spin). */
export const MAX_TIMER_MS = 2 ** 31 - 1

/**
 * The real clock. Timers are not unref'd: a pending wait must keep the process alive. A delay past
 * {@link MAX_TIMER_MS} (or not a number) is held at that maximum instead of firing at once.
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer: (fn, ms, options) => {
    const delay = Number.isNaN(ms) ? MAX_TIMER_MS : Math.min(MAX_TIMER_MS, Math.max(0, ms))
    const handle = setTimeout(fn, delay)
    if (options?.background) handle.unref()
    return () => clearTimeout(handle)
  }
}

/**
 * Waits `ms` on `clock`; rejects at once with the abort reason when `signal` aborts (also while
 * waiting), so a budget stop or a cancel never sits out a backoff.
 */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortReason(signal))
      return
    }
    const onAbort = (): void => {
      cancel()
      reject(abortReason(signal as AbortSignal))
    }
    const cancel = clock.setTimer(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
