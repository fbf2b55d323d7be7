import type { Clock } from '../../src/llm/clock.js'

interface Timer {
  at: number
  seq: number
  fn: () => void
}

/** A manual clock: time moves only through advance(), which fires due timers in order. */
export class FakeClock implements Clock {
  time = 0
  private timers: Timer[] = []
  private seq = 0
  /** Every delay asked of setTimer, in order. */
  readonly requested: number[] = []

  now(): number {
    return this.time
  }

  setTimer(fn: () => void, ms: number): () => void {
    const timer = { at: this.time + Math.max(0, ms), seq: this.seq++, fn }
    this.requested.push(ms)
    this.timers.push(timer)
    return () => {
      this.timers = this.timers.filter((t) => t !== timer)
    }
  }

  get pending(): number {
    return this.timers.length
  }

  /** Moves time forward by `ms`, firing every timer that falls due, each at its own time. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms
    await flush()
    for (;;) {
      const next = this.timers
        .filter((t) => t.at <= end)
        .sort((a, b) => a.at - b.at || a.seq - b.seq)[0]
      if (!next) break
      this.timers = this.timers.filter((t) => t !== next)
      this.time = Math.max(this.time, next.at)
      next.fn()
      await flush()
    }
    this.time = end
    await flush()
  }
}

/** Lets pending promise callbacks run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve))
}

/** A clock whose timers fire at once (on the next macrotask) but remember what was asked. */
export function instantClock(): Clock & { requested: number[] } {
  const requested: number[] = []
  return {
    requested,
    now: () => Date.now(),
    setTimer: (fn, ms) => {
      requested.push(ms)
      const handle = setImmediate(fn)
      return () => clearImmediate(handle)
    }
  }
}
