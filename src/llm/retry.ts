/**
 * The one retry policy of the LLM layer (the SDK's own retries are switched off): bounded attempts,
 * exponential backoff with full jitter, the provider's retry-after honoured, abortable at any point.
 */
import { PromptDescentError, ProviderError } from '../errors.js'
import { abortReason, throwIfAborted } from './abort.js'
import { ProviderCallError } from './call-error.js'
import { sleep, systemClock, type Clock } from './clock.js'

export interface RetryOptions {
  /** Retries after the first attempt (so at most maxRetries + 1 attempts). */
  maxRetries: number
  /** First backoff ceiling; doubles per retry. Default 500 ms. */
  baseDelayMs?: number
  /** Cap of a computed backoff. Default 20 s. */
  maxDelayMs?: number
  /** A provider asking for a longer wait than this is not retried. Default 120 s. */
  maxRetryAfterMs?: number
  /**
   * 429s that say when to come back (retry-after) do not use up `maxRetries`: the request was not
   * processed and the provider named the wait. They are bounded by the total time waited on them
   * for one call instead (each counted as at least `baseDelayMs`, so a `retry-after: 0` cannot
   * spin), and by `maxRateLimitRetries`. Default 5 minutes.
   */
  maxRateLimitWaitMs?: number
  /** At most this many retries of 429s with a retry-after for one call. Default 50. */
  maxRateLimitRetries?: number
  /** Uniform [0, 1) source for jitter; pass a seeded one for reproducible waits. */
  random: () => number
  clock?: Clock
  /** Called on every failed attempt, retried or not (the ledger counts 429s and retries here). */
  onAttemptError?: (info: AttemptErrorInfo) => void
}

export interface AttemptErrorInfo {
  /** 0-based attempt that failed. */
  attempt: number
  error: unknown
  status: number | undefined
  rateLimited: boolean
  /** The provider answered without text (content: null). */
  noContent: boolean
  willRetry: boolean
  /** The wait before the next attempt (only when willRetry). */
  delayMs: number | undefined
  /** What the provider asked for, when it did. */
  retryAfterMs: number | undefined
}

/** True when another attempt might succeed: retryable provider errors only. */
export function isRetryable(error: unknown): boolean {
  return error instanceof ProviderError && error.retryable
}

/** Full jitter: a uniform wait in [0, min(maxDelay, base · 2^retry)). */
export function backoffDelay(retry: number, random: () => number, baseMs: number, maxMs: number) {
  const ceiling = Math.min(maxMs, baseMs * 2 ** retry)
  return Math.floor(random() * ceiling)
}

/**
 * The wait a response asks for, in ms: `retry-after-ms`, else `retry-after` in seconds or as an
 * HTTP date, else GitHub Models' `x-ratelimit-timeremaining` (seconds). Undefined when absent or
 * unreadable.
 */
export function parseRetryAfter(
  headers: { get(name: string): string | null } | undefined,
  nowMs: number
): number | undefined {
  if (!headers) return undefined
  const ms = headers.get('retry-after-ms')
  if (ms !== null && ms.trim() !== '') {
    const value = Number(ms)
    if (Number.isFinite(value) && value >= 0) return value
  }
  const after = headers.get('retry-after') ?? headers.get('x-ratelimit-timeremaining')
  if (after === null || after.trim() === '') return undefined
  const seconds = Number(after)
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : undefined
  const date = Date.parse(after)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - nowMs)
}

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable error, or the attempts run out.
 * Abort (via `signal`) rejects at once with the abort reason, also during a backoff.
 */
export async function withRetry<T>(
  attempt: (index: number) => Promise<T>,
  options: RetryOptions,
  signal?: AbortSignal
): Promise<T> {
  const clock = options.clock ?? systemClock
  const baseMs = options.baseDelayMs ?? 500
  const maxMs = options.maxDelayMs ?? 20_000
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000
  const maxRateLimitWaitMs = options.maxRateLimitWaitMs ?? 300_000
  const maxRateLimitRetries = options.maxRateLimitRetries ?? 50
  let retries = 0
  let rateLimitRetries = 0
  let rateLimitWaitMs = 0
  for (let index = 0; ; index++) {
    throwIfAborted(signal)
    try {
      return await attempt(index)
    } catch (error) {
      if (signal?.aborted) throw abortReason(signal)
      if (error instanceof PromptDescentError && !(error instanceof ProviderError)) throw error
      const status = error instanceof ProviderError ? error.status : undefined
      const retryAfterMs = error instanceof ProviderCallError ? error.retryAfterMs : undefined
      const rateLimited = error instanceof ProviderCallError ? error.rateLimited : status === 429
      const noContent = error instanceof ProviderCallError && error.noContent
      const tooLong = retryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs
      const told = rateLimited && retryAfterMs !== undefined
      const charged = Math.max(retryAfterMs ?? 0, baseMs)
      const withinBounds = told
        ? rateLimitWaitMs + charged <= maxRateLimitWaitMs && rateLimitRetries < maxRateLimitRetries
        : retries < options.maxRetries
      const willRetry = isRetryable(error) && withinBounds && !tooLong
      const delayMs = willRetry
        ? retryDelay(retries, retryAfterMs, options.random, baseMs, maxMs)
        : undefined
      if (willRetry && told) {
        rateLimitWaitMs += Math.max(delayMs ?? 0, baseMs)
        rateLimitRetries++
      } else if (willRetry) retries++
      options.onAttemptError?.({
        attempt: index,
        error,
        status,
        rateLimited,
        noContent,
        willRetry,
        delayMs,
        retryAfterMs
      })
      if (!willRetry)
        throw giveUp(
          error,
          index + 1,
          tooLong ? { asked: retryAfterMs, max: maxRetryAfterMs } : undefined
        )
      await sleep(clock, delayMs ?? 0, signal)
    }
  }
}

/**
 * With a retry-after, wait what was asked plus a little jitter, so the many calls a 429 stopped
 * together do not all return in the same millisecond; otherwise exponential backoff.
 */
function retryDelay(
  retry: number,
  retryAfterMs: number | undefined,
  random: () => number,
  baseMs: number,
  maxMs: number
): number {
  if (retryAfterMs === undefined) return backoffDelay(retry, random, baseMs, maxMs)
  return retryAfterMs + Math.floor(random() * Math.min(250, Math.max(10, retryAfterMs * 0.1)))
}

function giveUp(
  error: unknown,
  attempts: number,
  refused: { asked: number; max: number } | undefined
): unknown {
  if (!(error instanceof ProviderError)) return error
  if (refused !== undefined) {
    const asked = refused.asked / 1000
    const wait = asked <= 1e9 ? `${Math.ceil(asked)} s` : 'practically forever'
    return new ProviderError(
      `${error.message} (the provider asked to wait ${wait}, longer than the ${Math.ceil(refused.max / 1000)} s a call waits: this call ends, the others go on)`,
      { status: error.status, retryable: false, cause: error }
    )
  }
  if (attempts <= 1 || !error.retryable) return error
  return new ProviderError(`${error.message} (gave up after ${attempts} attempts)`, {
    status: error.status,
    retryable: false,
    cause: error
  })
}
