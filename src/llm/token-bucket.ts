/**
 * A token bucket that may go into debt: a request larger than the bucket still goes once the bucket
 * is full, and its excess is paid back by waiting. This keeps large prompts from starving under a
 * tokens-per-minute limit, and lets a call's estimate be corrected by its real usage afterwards.
 */
export class TokenBucket {
  private level: number
  private last: number
  /** Tokens refilled per millisecond. */
  private readonly rate: number

  /** `initial` defaults to a full bucket. */
  constructor(
    readonly capacity: number,
    perMinute: number,
    now: number,
    initial = capacity
  ) {
    this.rate = perMinute / 60_000
    this.level = Math.min(capacity, initial)
    this.last = now
  }

  /** Ms until `cost` may be taken (0 = now). */
  waitFor(cost: number, now: number): number {
    this.refill(now)
    const needed = Math.min(cost, this.capacity)
    if (this.level >= needed) return 0
    return Math.ceil((needed - this.level) / this.rate)
  }

  take(cost: number, now: number): void {
    this.refill(now)
    this.level -= cost
  }

  /** Corrects an earlier take by `delta` (positive: used more than taken; negative: a refund). */
  adjust(delta: number, now: number): void {
    this.refill(now)
    this.level = Math.min(this.capacity, this.level - delta)
  }

  private refill(now: number): void {
    if (now > this.last) {
      this.level = Math.min(this.capacity, this.level + (now - this.last) * this.rate)
      this.last = now
    }
  }
}
