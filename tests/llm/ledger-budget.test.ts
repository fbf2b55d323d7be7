import { describe, expect, it } from 'vitest'
import { BudgetExceededError, InputError } from '../../src/errors.js'
import { Budget } from '../../src/llm/budget.js'
import {
  estimateCost,
  estimateMessagesTokens,
  estimateTokens,
  sumEstimates
} from '../../src/llm/estimate.js'
import { Ledger } from '../../src/llm/ledger.js'
import { costUsd, priceFor } from '../../src/llm/prices.js'
import { FakeClock } from './fake-clock.js'

const caps = (c: Partial<Record<'usd' | 'tokens' | 'calls' | 'minutes', number>>) => ({
  usd: undefined,
  tokens: undefined,
  calls: undefined,
  minutes: undefined,
  ...c
})

describe('prices', () => {
  it('finds a model by name, router prefix or date suffix; overrides win', () => {
    expect(priceFor('gpt-4o-mini')).toEqual({ input: 0.15, output: 0.6 })
    expect(priceFor('openai/gpt-4.1-mini')).toEqual({ input: 0.4, output: 1.6 })
    expect(priceFor('gpt-4o-2024-08-06')).toEqual({ input: 2.5, output: 10 })
    expect(priceFor('anthropic/claude-sonnet-4')).toEqual({ input: 3, output: 15 })
    expect(priceFor('llama3.1:8b')).toBeUndefined()
    expect(priceFor('llama3.1:8b', { 'llama3.1:8b': { input: 0, output: 0 } })).toEqual({
      input: 0,
      output: 0
    })
    expect(priceFor('gpt-4o', { 'gpt-4o': { input: 1, output: 2 } })).toEqual({
      input: 1,
      output: 2
    })
  })

  it('prices usage per million tokens', () => {
    expect(
      costUsd({ inputTokens: 1_000_000, outputTokens: 500_000 }, { input: 2.5, output: 10 })
    ).toBe(7.5)
  })
})

describe('Ledger', () => {
  it('accounts per role: paid, cached (free), retries, 429s, no-content replies, dollars and elapsed time', () => {
    const clock = new FakeClock()
    const ledger = new Ledger({ clock })
    ledger.recordCall('target', 'gpt-4o-mini', { inputTokens: 1_000_000, outputTokens: 1_000_000 })
    ledger.recordCached('target')
    ledger.recordAttemptError('target', { rateLimited: true, willRetry: true })
    ledger.recordAttemptError('target', { rateLimited: false, willRetry: false })
    ledger.recordCall('optimizer', 'gpt-4o', { inputTokens: 100_000, outputTokens: 10_000 })
    ledger.recordFailedCall('optimizer')
    ledger.recordAttemptError('optimizer', {
      rateLimited: false,
      noContent: true,
      willRetry: false
    })
    clock.time = 1234
    const snap = ledger.snapshot()
    expect(snap.byRole.target).toEqual({
      calls: 1,
      cachedCalls: 1,
      inputTokens: 1_000_000,
      outputTokens: 1_000_000,
      usd: 0.75,
      retries: 1,
      rateLimited: 1,
      noContent: 0
    })
    expect(snap.byRole.optimizer.calls).toBe(2)
    expect(snap.byRole.optimizer.noContent).toBe(1)
    expect(snap.total.noContent).toBe(1)
    expect(snap.byRole.optimizer.usd).toBeCloseTo(0.35, 10)
    expect(snap.byRole.judge.calls).toBe(0)
    expect(snap.total.calls).toBe(3)
    expect(snap.total.usd).toBeCloseTo(1.1, 10)
    expect(snap.total.inputTokens).toBe(1_100_000)
    expect(snap.elapsedMs).toBe(1234)
  })

  it('reports null dollars when a model has no price, but keeps counting tokens', () => {
    const ledger = new Ledger()
    ledger.recordCall('target', 'my-local-model', { inputTokens: 10, outputTokens: 5 })
    ledger.recordCall('optimizer', 'gpt-4o', { inputTokens: 10, outputTokens: 5 })
    const snap = ledger.snapshot()
    expect(snap.byRole.target.usd).toBeNull()
    expect(snap.byRole.optimizer.usd).toBeGreaterThan(0)
    expect(snap.total.usd).toBeNull()
    expect(ledger.spentTokens()).toBe(30)
  })
})

describe('Budget', () => {
  it('stops at exactly the calls cap, and keeps stopping', () => {
    const ledger = new Ledger()
    const controller = new AbortController()
    const budget = new Budget(caps({ calls: 3 }), ledger, { controller })
    budget.check('gpt-4o-mini')
    budget.check('gpt-4o-mini')
    budget.check('gpt-4o-mini')
    expect(() => budget.check('gpt-4o-mini')).toThrow(BudgetExceededError)
    expect(() => budget.check('gpt-4o-mini')).toThrow(/3 of 3 calls/)
    expect(budget.exceeded?.cap).toBe('calls')
    expect(budget.callsStarted).toBe(3)
    // calls in flight are within the cap: they are not aborted
    expect(controller.signal.aborted).toBe(false)
  })

  it('stops on dollars and aborts the shared controller', () => {
    const ledger = new Ledger()
    const controller = new AbortController()
    const budget = new Budget(caps({ usd: 0.5 }), ledger, { controller })
    budget.check('gpt-4o')
    ledger.recordCall('target', 'gpt-4o', { inputTokens: 200_000, outputTokens: 0 })
    expect(() => budget.check('gpt-4o')).toThrow(/\$0\.5000 of \$0\.5/)
    expect(controller.signal.aborted).toBe(true)
    expect(controller.signal.reason).toBeInstanceOf(BudgetExceededError)
  })

  it('stops on tokens', () => {
    const ledger = new Ledger()
    const budget = new Budget(caps({ tokens: 100 }), ledger)
    budget.check()
    ledger.recordCall('judge', 'x', { inputTokens: 60, outputTokens: 40 })
    expect(() => budget.check()).toThrow(expect.objectContaining({ cap: 'tokens' }))
  })

  it('refuses a dollar cap on a model without a price', () => {
    const budget = new Budget(caps({ usd: 1 }), new Ledger())
    expect(() => budget.check('my-local-model')).toThrow(InputError)
    expect(() => budget.check('my-local-model')).toThrow(/provider\.prices/)
  })

  it('stops at the minutes cap: on check, and by aborting calls in flight at the deadline', async () => {
    const clock = new FakeClock()
    const controller = new AbortController()
    const budget = new Budget(caps({ minutes: 2 }), new Ledger({ clock }), { controller, clock })
    budget.check()
    await clock.advance(119_999)
    budget.check()
    expect(controller.signal.aborted).toBe(false)
    await clock.advance(1)
    expect(controller.signal.aborted).toBe(true)
    expect(() => budget.check()).toThrow(expect.objectContaining({ cap: 'minutes' }))
    budget.dispose()
  })
})

describe('estimate', () => {
  it('estimates tokens at about four characters each', () => {
    expect(estimateTokens('')).toBe(0)
    expect(estimateTokens('abcd')).toBe(1)
    expect(estimateTokens('abcde')).toBe(2)
    expect(estimateMessagesTokens([{ role: 'user', content: 'x'.repeat(40) }])).toBe(3 + 10 + 4)
  })

  it('prices an estimate and sums several', () => {
    const a = estimateCost({
      calls: 100,
      inputTokens: 1_000_000,
      outputTokens: 100_000,
      model: 'gpt-4o-mini'
    })
    expect(a).toEqual({
      calls: 100,
      inputTokens: 1_000_000,
      outputTokens: 100_000,
      usd: 0.15 + 0.06
    })
    const b = estimateCost({
      calls: 1,
      inputTokens: 10,
      outputTokens: 10,
      model: 'local',
      prices: {}
    })
    expect(b.usd).toBeNull()
    expect(sumEstimates([a, a]).usd).toBeCloseTo(0.42, 10)
    expect(sumEstimates([a, b])).toMatchObject({ calls: 101, usd: null })
  })
})
