import { describe, expect, it } from 'vitest'
import { CancelledError } from '../../src/errors.js'
import { Limiter, type Permit } from '../../src/llm/limiter.js'
import { FakeClock, flush } from './fake-clock.js'

/** Starts `n` acquisitions and records when (fake time) and in which order each is granted. */
function acquireAll(limiter: Limiter, clock: FakeClock, tokens: number[]) {
  const granted: Array<{ id: number; at: number; permit: Permit }> = []
  tokens.forEach((t, id) => {
    void limiter.acquire(t).then((permit) => granted.push({ id, at: clock.now(), permit }))
  })
  return granted
}

describe('Limiter', () => {
  it('keeps starts within requests per minute, evenly spaced, in FIFO order', async () => {
    const clock = new FakeClock()
    const limiter = new Limiter({ concurrency: 100, requestsPerMinute: 60, clock })
    const granted = acquireAll(limiter, clock, Array(10).fill(1))
    await flush()
    expect(granted.map((g) => g.id)).toEqual([0])
    await clock.advance(4_500)
    expect(granted.map((g) => g.id)).toEqual([0, 1, 2, 3, 4])
    await clock.advance(60_000)
    expect(granted.map((g) => g.id)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(granted.map((g) => g.at)).toEqual([
      0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000
    ])
    // never more than 60 in any minute: with 60 rpm, starts are ≥ 1 s apart
    for (let i = 1; i < granted.length; i++) {
      expect((granted[i]?.at ?? 0) - (granted[i - 1]?.at ?? 0)).toBeGreaterThanOrEqual(1000)
    }
  })

  it('caps concurrency and hands a freed slot to the oldest waiter', async () => {
    const clock = new FakeClock()
    const limiter = new Limiter({ concurrency: 2, clock })
    const granted = acquireAll(limiter, clock, [1, 1, 1, 1])
    await flush()
    expect(granted.map((g) => g.id)).toEqual([0, 1])
    expect(limiter.stats()).toMatchObject({ active: 2, queued: 2 })
    granted[1]?.permit.release()
    granted[1]?.permit.release() // a second release is ignored
    await flush()
    expect(granted.map((g) => g.id)).toEqual([0, 1, 2])
    expect(limiter.stats()).toMatchObject({ active: 2, queued: 1 })
  })

  it('paces tokens per minute, lets a request larger than a second pass, and corrects estimates', async () => {
    const clock = new FakeClock()
    // 6000 tpm = 100 tokens a second; the bucket holds one second's worth
    const limiter = new Limiter({ concurrency: 10, tokensPerMinute: 6000, clock })
    const granted = acquireAll(limiter, clock, [100, 300, 100])
    await flush()
    expect(granted.map((g) => [g.id, g.at])).toEqual([[0, 0]])
    await clock.advance(1000)
    // the 300-token request waits only for a full bucket, then goes into debt
    expect(granted.map((g) => [g.id, g.at])).toEqual([
      [0, 0],
      [1, 1000]
    ])
    // request 0 really used 0 tokens → 100 refunded, but the debt of 200 from request 1 remains
    granted[0]?.permit.release(0)
    await clock.advance(1000)
    expect(granted.map((g) => g.id)).toEqual([0, 1])
    await clock.advance(2000)
    expect(granted.map((g) => [g.id, g.at])).toEqual([
      [0, 0],
      [1, 1000],
      [2, 3000]
    ])
  })

  it('holds every start during a pause (a 429 retry-after)', async () => {
    const clock = new FakeClock()
    const limiter = new Limiter({ concurrency: 10, clock })
    limiter.pause(5000)
    const granted = acquireAll(limiter, clock, [1, 1])
    await clock.advance(4999)
    expect(granted).toHaveLength(0)
    await clock.advance(1)
    expect(granted.map((g) => g.at)).toEqual([5000, 5000])
  })

  it('removes an aborted waiter without blocking the queue', async () => {
    const clock = new FakeClock()
    const limiter = new Limiter({ concurrency: 1, clock })
    const first = await limiter.acquire(1)
    const controller = new AbortController()
    const aborted = limiter.acquire(1, controller.signal).catch((e: unknown) => e)
    const third = limiter.acquire(1)
    controller.abort()
    expect(await aborted).toBeInstanceOf(CancelledError)
    expect(limiter.stats().queued).toBe(1)
    first.release()
    const permit = await third
    expect(limiter.stats()).toMatchObject({ active: 1, queued: 0, granted: 2 })
    permit.release()
  })

  it('run() releases the slot when the work throws', async () => {
    const limiter = new Limiter({ concurrency: 1 })
    await expect(
      limiter.run(1, async () => {
        throw new Error('boom')
      })
    ).rejects.toThrow('boom')
    expect(await limiter.run(1, async () => 'next')).toBe('next')
    expect(limiter.stats().active).toBe(0)
  })
})
