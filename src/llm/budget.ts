/**
 * The run's hard budget: caps on dollars, tokens, calls and minutes. `check()` runs before every
 * paid call; once a cap is reached every later check throws the same BudgetExceededError, so the
 * run stops gracefully and keeps what it has. Cached calls never reach the budget.
 */
import type { BudgetConfig } from '../config/types.js'
import { BudgetExceededError, InputError } from '../errors.js'
import { systemClock, type Clock } from './clock.js'
import type { Ledger } from './ledger.js'

export interface BudgetOptions {
  /**
   * The run's shared controller. A dollar, token or time cap aborts it with the BudgetExceededError
   * so calls in flight stop too. The calls cap does not: calls in flight are within it.
   */
  controller?: AbortController
  clock?: Clock
}

export class Budget {
  private readonly clock: Clock
  private readonly started: number
  private reserved = 0
  private stopped: BudgetExceededError | undefined
  private cancelDeadline: (() => void) | undefined

  constructor(
    readonly caps: BudgetConfig,
    private readonly ledger: Ledger,
    private readonly options: BudgetOptions = {}
  ) {
    this.clock = options.clock ?? systemClock
    this.started = this.clock.now()
    if (caps.minutes !== undefined && options.controller) {
      this.cancelDeadline = this.clock.setTimer(
        () => this.stop(this.minutesError()),
        caps.minutes * 60_000,
        { background: true }
      )
    }
  }

  /**
   * Before a paid call to `model`: throws BudgetExceededError when a cap is reached, otherwise
   * counts the call against the calls cap (counted at the start, so concurrent calls cannot
   * overshoot it).
   */
  check(model?: string): void {
    if (this.stopped) throw this.stopped
    const { usd, tokens, calls, minutes } = this.caps
    if (minutes !== undefined && this.clock.now() - this.started >= minutes * 60_000) {
      throw this.stop(this.minutesError())
    }
    if (usd !== undefined && model !== undefined && !this.ledger.hasPrice(model)) {
      throw new InputError(
        `budget.usd caps dollars, but the price of model "${model}" is unknown; add it under provider.prices (USD per 1M input and output tokens) or cap budget.tokens instead`,
        { location: 'provider.prices' }
      )
    }
    if (usd !== undefined && this.ledger.spentUsd() >= usd) {
      const spent = this.ledger.spentUsd().toFixed(4)
      throw this.stop(
        new BudgetExceededError('usd', `budget reached: $${spent} of $${usd} spent (budget.usd)`)
      )
    }
    const spentTokens = this.ledger.spentTokens()
    if (tokens !== undefined && spentTokens >= tokens) {
      throw this.stop(
        new BudgetExceededError(
          'tokens',
          `budget reached: ${spentTokens} of ${tokens} tokens used (budget.tokens)`
        )
      )
    }
    if (calls !== undefined && this.reserved >= calls) {
      throw this.stop(
        new BudgetExceededError(
          'calls',
          `budget reached: ${calls} of ${calls} calls made (budget.calls)`
        ),
        false
      )
    }
    this.reserved++
  }

  /** The error the budget stopped with, if it has. */
  get exceeded(): BudgetExceededError | undefined {
    return this.stopped
  }

  /** Paid calls counted against the calls cap so far. */
  get callsStarted(): number {
    return this.reserved
  }

  /** Clears the deadline timer. */
  dispose(): void {
    this.cancelDeadline?.()
    this.cancelDeadline = undefined
  }

  private minutesError(): BudgetExceededError {
    const cap = this.caps.minutes ?? 0
    return new BudgetExceededError(
      'minutes',
      `budget reached: ${cap} of ${cap} minutes elapsed (budget.minutes)`
    )
  }

  private stop(error: BudgetExceededError, abortInFlight = true): BudgetExceededError {
    if (!this.stopped) {
      this.stopped = error
      this.cancelDeadline?.()
      if (abortInFlight) this.options.controller?.abort(error)
    }
    return this.stopped
  }
}
