import { describe, expect, it } from 'vitest'
import { BudgetExceededError, CancelledError, ProviderError } from '../../src/errors.js'
import { ProviderCallError } from '../../src/llm/call-error.js'
import {
  backoffDelay,
  parseRetryAfter,
  withRetry,
  type AttemptErrorInfo
} from '../../src/llm/retry.js'
import { FakeClock, flush, instantClock } from './fake-clock.js'

const headers = (values: Record<string, string>) => new Headers(values)
const retryable = (status = 500, retryAfterMs?: number) =>
  new ProviderCallError(`server said ${status}`, { status, retryable: true, retryAfterMs })

describe('parseRetryAfter', () => {
  it('prefers retry-after-ms, then seconds, then an HTTP date', () => {
    expect(parseRetryAfter(headers({ 'retry-after-ms': '1500', 'retry-after': '9' }), 0)).toBe(1500)
    expect(parseRetryAfter(headers({ 'retry-after': '2' }), 0)).toBe(2000)
    expect(parseRetryAfter(headers({ 'retry-after': '0.5' }), 0)).toBe(500)
    const now = Date.parse('2026-01-01T00:00:00Z')
    expect(parseRetryAfter(headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }), now)).toBe(
      3000
    )
  })

  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(headers({}), 0)).toBeUndefined()
    expect(parseRetryAfter(headers({ 'retry-after': 'soon' }), 0)).toBeUndefined()
    expect(parseRetryAfter(undefined, 0)).toBeUndefined()
  })
})

describe('backoffDelay', () => {
  it('is full jitter under an exponential ceiling with a cap', () => {
    expect(backoffDelay(0, () => 0.999, 100, 10_000)).toBe(99)
    expect(backoffDelay(3, () => 0.5, 100, 10_000)).toBe(400)
    expect(backoffDelay(20, () => 0.999, 100, 10_000)).toBe(9990)
    expect(backoffDelay(5, () => 0, 100, 10_000)).toBe(0)
  })
})

describe('withRetry', () => {
  it('retries retryable errors and reports each failed attempt', async () => {
    const clock = instantClock()
    const seen: AttemptErrorInfo[] = []
    let calls = 0
    const result = await withRetry(
      async () => {
        calls++
        if (calls === 1) throw retryable(429, 1000)
        if (calls === 2) throw retryable(503)
        return 'ok'
      },
      {
        maxRetries: 3,
        random: () => 0.5,
        baseDelayMs: 100,
        clock,
        onAttemptError: (i) => seen.push(i)
      }
    )
    expect(result).toBe('ok')
    expect(calls).toBe(3)
    expect(seen.map((s) => [s.status, s.rateLimited, s.willRetry])).toEqual([
      [429, true, true],
      [503, false, true]
    ])
    // the 429 waits what the server asked (+ jitter ≤ 10%) and uses no retry; the 503 is the first
    // counted retry and backs off: 0.5 · 100 · 2^0
    expect(clock.requested[0]).toBeGreaterThanOrEqual(1000)
    expect(clock.requested[0]).toBeLessThanOrEqual(1100)
    expect(clock.requested[1]).toBe(50)
  })

  it('does not spend maxRetries on 429s that say when to come back, within a time bound', async () => {
    const clock = instantClock()
    let calls = 0
    const result = await withRetry(
      async () => {
        calls++
        if (calls <= 5) throw retryable(429, 1000)
        return 'ok'
      },
      { maxRetries: 0, random: () => 0, clock, maxRateLimitWaitMs: 10_000 }
    )
    expect(result).toBe('ok')
    expect(calls).toBe(6)
    // …but the time waited on them is bounded: past it the call gives up.
    let more = 0
    await expect(
      withRetry(
        async () => {
          more++
          throw retryable(429, 1000)
        },
        { maxRetries: 0, random: () => 0, clock: instantClock(), maxRateLimitWaitMs: 3_000 }
      )
    ).rejects.toThrow(/gave up after 4 attempts/)
    expect(more).toBe(4)
  })

  it('cannot spin on 429s with retry-after 0: each counts as a base delay, and their number is capped', async () => {
    let zero = 0
    await expect(
      withRetry(
        async () => {
          zero++
          throw retryable(429, 0)
        },
        { maxRetries: 4, random: () => 0, clock: instantClock(), baseDelayMs: 500 }
      )
    ).rejects.toThrow(/gave up/)
    // 5 minutes / 500 ms would allow 600; the count cap (50) stops it first.
    expect(zero).toBe(51)
    let slow = 0
    await expect(
      withRetry(
        async () => {
          slow++
          throw retryable(429, 0)
        },
        {
          maxRetries: 0,
          random: () => 0,
          clock: instantClock(),
          baseDelayMs: 1_000,
          maxRateLimitWaitMs: 3_000
        }
      )
    ).rejects.toThrow(/gave up/)
    expect(slow).toBe(4)
  })

  it('does not retry a non-retryable error', async () => {
    let calls = 0
    const error = new ProviderCallError('bad request', { status: 400, retryable: false })
    await expect(
      withRetry(
        async () => {
          calls++
          throw error
        },
        { maxRetries: 5, random: () => 0, clock: instantClock() }
      )
    ).rejects.toBe(error)
    expect(calls).toBe(1)
  })

  it('gives up after maxRetries + 1 attempts and says so', async () => {
    let calls = 0
    const failure = withRetry(
      async () => {
        calls++
        throw retryable(500)
      },
      { maxRetries: 2, random: () => 0, clock: instantClock() }
    )
    await expect(failure).rejects.toThrow(/gave up after 3 attempts/)
    await expect(failure).rejects.toBeInstanceOf(ProviderError)
    expect(calls).toBe(3)
  })

  it('does not wait for a retry-after longer than its limit', async () => {
    let calls = 0
    await expect(
      withRetry(
        async () => {
          calls++
          throw retryable(429, 3_600_000)
        },
        { maxRetries: 5, random: () => 0, clock: instantClock(), maxRetryAfterMs: 60_000 }
      )
    ).rejects.toThrow(/asked to wait 3600 s/)
    expect(calls).toBe(1)
  })

  it('stops at once when aborted during a backoff, with the signal reason', async () => {
    const clock = new FakeClock()
    const controller = new AbortController()
    let calls = 0
    const run = withRetry(
      async () => {
        calls++
        throw retryable(500)
      },
      { maxRetries: 5, random: () => 0.99, baseDelayMs: 10_000, clock },
      controller.signal
    )
    const settled = run.catch((error: unknown) => error)
    await flush()
    expect(clock.pending).toBe(1)
    controller.abort(new BudgetExceededError('usd', 'budget reached'))
    const error = await settled
    expect(error).toBeInstanceOf(BudgetExceededError)
    expect(calls).toBe(1)
    expect(clock.pending).toBe(0)
  })

  it('turns a plain abort into CancelledError', async () => {
    const controller = new AbortController()
    controller.abort()
    await expect(
      withRetry(async () => 'never', { maxRetries: 1, random: () => 0 }, controller.signal)
    ).rejects.toBeInstanceOf(CancelledError)
  })
})
