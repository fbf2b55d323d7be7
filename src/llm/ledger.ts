/**
 * The run's usage ledger: per role, the calls made and answered from cache, tokens, dollars,
 * retries and 429s. Cached calls are counted apart and cost nothing; tokens and dollars are only
 * those paid for.
 */
import type { Price } from '../config/types.js'
import type { ModelRole, TokenUsage } from './chat-model.js'
import { systemClock, type Clock } from './clock.js'
import type { LedgerSnapshot, ModelUsage, UsageTotals } from './ledger-types.js'
import { costUsd, priceFor } from './prices.js'

const MODEL_ROLES: readonly ModelRole[] = ['target', 'optimizer', 'judge']

export interface LedgerOptions {
  /** Price overrides by model name (config provider.prices), on top of the built-in table. */
  prices?: Readonly<Record<string, Price>>
  /** Replaces the price lookup entirely (the simulated provider is free: return zero prices). */
  priceOf?: (model: string) => Price | undefined
  clock?: Clock
}

interface RoleAccount extends UsageTotals {
  /** Dollars of the calls whose price is known, even when some are not. */
  knownUsd: number
  unpriced: boolean
}

export class Ledger {
  private readonly clock: Clock
  private readonly started: number
  private readonly priceOf: (model: string) => Price | undefined
  private readonly accounts: Record<ModelRole, RoleAccount>
  private readonly models = new Map<string, ModelUsage>()

  constructor(options: LedgerOptions = {}) {
    this.clock = options.clock ?? systemClock
    this.started = this.clock.now()
    const prices = options.prices ?? {}
    this.priceOf = options.priceOf ?? ((model) => priceFor(model, prices))
    this.accounts = { target: emptyAccount(), optimizer: emptyAccount(), judge: emptyAccount() }
  }

  /** A paid call that answered. */
  recordCall(role: ModelRole, model: string, usage: TokenUsage): void {
    const account = this.accounts[role]
    account.calls++
    account.inputTokens += usage.inputTokens
    account.outputTokens += usage.outputTokens
    const used = this.models.get(model) ?? { calls: 0, inputTokens: 0, outputTokens: 0 }
    used.calls++
    used.inputTokens += usage.inputTokens
    used.outputTokens += usage.outputTokens
    this.models.set(model, used)
    const price = this.priceOf(model)
    if (price) account.knownUsd += costUsd(usage, price)
    else account.unpriced = true
  }

  /** A paid call that failed for good (its tokens, if any, are unknown). */
  recordFailedCall(role: ModelRole): void {
    this.accounts[role].calls++
  }

  /** A call answered from the cache (or shared with an identical call in flight): free. */
  recordCached(role: ModelRole): void {
    this.accounts[role].cachedCalls++
  }

  /**
   * A failed attempt: a 429 counts as rate limited, a reply without text as no content, and a
   * retried attempt as a retry.
   */
  recordAttemptError(
    role: ModelRole,
    info: { rateLimited: boolean; noContent?: boolean; willRetry: boolean }
  ): void {
    const account = this.accounts[role]
    if (info.rateLimited) account.rateLimited++
    if (info.noContent === true) account.noContent++
    if (info.willRetry) account.retries++
  }

  /** Whether `model` has a known price (a dollar cap cannot guard a model without one). */
  hasPrice(model: string): boolean {
    return this.priceOf(model) !== undefined
  }

  /** Dollars spent on calls whose price is known. */
  spentUsd(): number {
    return MODEL_ROLES.reduce((sum, role) => sum + this.accounts[role].knownUsd, 0)
  }

  /** Paid input + output tokens. */
  spentTokens(): number {
    return MODEL_ROLES.reduce(
      (sum, role) => sum + this.accounts[role].inputTokens + this.accounts[role].outputTokens,
      0
    )
  }

  elapsedMs(): number {
    return this.clock.now() - this.started
  }

  snapshot(): LedgerSnapshot {
    const byRole = {} as Record<ModelRole, UsageTotals>
    const total = totals(emptyAccount())
    let unpriced = false
    for (const role of MODEL_ROLES) {
      const account = this.accounts[role]
      byRole[role] = totals(account)
      total.calls += account.calls
      total.cachedCalls += account.cachedCalls
      total.inputTokens += account.inputTokens
      total.outputTokens += account.outputTokens
      total.retries += account.retries
      total.rateLimited += account.rateLimited
      total.noContent += account.noContent
      unpriced ||= account.unpriced
    }
    total.usd = unpriced ? null : this.spentUsd()
    const byModel = Object.fromEntries([...this.models].map(([model, u]) => [model, { ...u }]))
    return { total, byRole, byModel, elapsedMs: this.elapsedMs() }
  }
}

function emptyAccount(): RoleAccount {
  const zero = { calls: 0, cachedCalls: 0, inputTokens: 0, outputTokens: 0, retries: 0 }
  return { ...zero, usd: 0, rateLimited: 0, noContent: 0, knownUsd: 0, unpriced: false }
}

function totals(account: RoleAccount): UsageTotals {
  return {
    calls: account.calls,
    cachedCalls: account.cachedCalls,
    inputTokens: account.inputTokens,
    outputTokens: account.outputTokens,
    usd: account.unpriced ? null : account.knownUsd,
    retries: account.retries,
    rateLimited: account.rateLimited,
    noContent: account.noContent
  }
}
