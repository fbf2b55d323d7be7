/**
 * Client-side flow control: at most `concurrency` calls in flight, requests and tokens per minute
 * kept under the provider's limits, and a pause when the provider says it is overloaded. Waiters
 * are served strictly first in, first out, so a large request is never starved by small ones.
 */
import { abortReason } from './abort.js'
import { systemClock, type Clock } from './clock.js'
import { TokenBucket } from './token-bucket.js'

export interface LimiterOptions {
  /** Calls in flight at once (≥ 1). */
  concurrency: number
  requestsPerMinute?: number | undefined
  tokensPerMinute?: number | undefined
  /**
   * Requests that may start back to back after an idle spell. Default 2: under load starts are
   * spread evenly (60 000 / rpm ms apart), which keeps per-second enforcement happy, and the one
   * spare token absorbs timer lateness so pacing loses no throughput. The bucket starts with one.
   */
  requestBurst?: number
  clock?: Clock
}

/** A granted slot; release it exactly once when the call ends. */
export interface Permit {
  /** Frees the slot; `actualTokens` corrects the tokens-per-minute account for the estimate. */
  release(actualTokens?: number): void
}

export interface LimiterStats {
  active: number
  queued: number
  /** Permits granted so far. */
  granted: number
}

interface Waiter {
  tokens: number
  resolve: (permit: Permit) => void
  reject: (error: Error) => void
  signal: AbortSignal | undefined
  onAbort: (() => void) | undefined
}

export class Limiter {
  private readonly clock: Clock
  private readonly concurrency: number
  private readonly requests: TokenBucket | undefined
  private readonly tokens: TokenBucket | undefined
  private readonly queue: Waiter[] = []
  private active = 0
  private granted = 0
  private pausedUntil = 0
  private cancelTimer: (() => void) | undefined
  private timerAt = Infinity

  constructor(options: LimiterOptions) {
    this.clock = options.clock ?? systemClock
    this.concurrency = Math.max(1, Math.floor(options.concurrency))
    const now = this.clock.now()
    const rpm = options.requestsPerMinute
    if (rpm !== undefined && rpm > 0) {
      this.requests = new TokenBucket(Math.max(1, options.requestBurst ?? 2), rpm, now, 1)
    }
    const tpm = options.tokensPerMinute
    if (tpm !== undefined && tpm > 0) this.tokens = new TokenBucket(Math.max(1, tpm / 60), tpm, now)
  }

  /** Waits for a slot. Rejects with the abort reason if `signal` aborts first. */
  acquire(estimatedTokens: number, signal?: AbortSignal): Promise<Permit> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortReason(signal))
        return
      }
      const waiter: Waiter = {
        tokens: estimatedTokens,
        resolve,
        reject,
        signal,
        onAbort: undefined
      }
      if (signal) {
        waiter.onAbort = () => {
          const at = this.queue.indexOf(waiter)
          if (at >= 0) this.queue.splice(at, 1)
          reject(abortReason(signal))
          this.pump()
        }
        signal.addEventListener('abort', waiter.onAbort, { once: true })
      }
      this.queue.push(waiter)
      this.pump()
    })
  }

  /** Runs `fn` inside a slot, releasing it however `fn` ends. */
  async run<T>(
    estimatedTokens: number,
    fn: () => Promise<T>,
    options: { signal?: AbortSignal; actualTokens?: (result: T) => number } = {}
  ): Promise<T> {
    const permit = await this.acquire(estimatedTokens, options.signal)
    let actual: number | undefined
    try {
      const result = await fn()
      actual = options.actualTokens?.(result)
      return result
    } finally {
      permit.release(actual)
    }
  }

  /** Holds every new start until `ms` from now (a provider's retry-after on a 429). */
  pause(ms: number): void {
    if (!(ms > 0) || !Number.isFinite(ms)) return
    const until = this.clock.now() + ms
    if (until > this.pausedUntil) this.pausedUntil = until
  }

  stats(): LimiterStats {
    return { active: this.active, queued: this.queue.length, granted: this.granted }
  }

  private pump(): void {
    while (this.queue.length > 0 && this.active < this.concurrency) {
      const head = this.queue[0] as Waiter
      const now = this.clock.now()
      const wait = Math.max(
        this.pausedUntil - now,
        this.requests?.waitFor(1, now) ?? 0,
        this.tokens?.waitFor(head.tokens, now) ?? 0
      )
      if (wait > 0) {
        this.wakeAt(now + wait)
        return
      }
      this.queue.shift()
      this.requests?.take(1, now)
      this.tokens?.take(head.tokens, now)
      this.active++
      this.granted++
      if (head.onAbort) head.signal?.removeEventListener('abort', head.onAbort)
      head.resolve(this.permit(head.tokens))
    }
  }

  private permit(estimate: number): Permit {
    let released = false
    return {
      release: (actualTokens?: number) => {
        if (released) return
        released = true
        this.active--
        if (actualTokens !== undefined && this.tokens) {
          this.tokens.adjust(actualTokens - estimate, this.clock.now())
        }
        this.pump()
      }
    }
  }

  /** One timer at a time, always for the earliest moment the head may start. */
  private wakeAt(at: number): void {
    if (this.cancelTimer && this.timerAt <= at) return
    this.cancelTimer?.()
    this.timerAt = at
    this.cancelTimer = this.clock.setTimer(() => {
      this.cancelTimer = undefined
      this.timerAt = Infinity
      this.pump()
    }, at - this.clock.now())
  }
}
