import { describe, expect, it } from 'vitest'
import { BudgetExceededError, CancelledError, ProviderError } from '../../src/errors.js'
import { providerStop, stopFromError } from '../../src/optimize/stop.js'

describe('stopFromError', () => {
  it('turns a budget error into a budget stop with its message', () => {
    const error = new BudgetExceededError('usd', 'the $1 budget is spent')
    expect(stopFromError(error)).toEqual({ reason: 'budget', message: error.message })
  })

  it('turns a cancellation into a cancelled stop', () => {
    expect(stopFromError(new CancelledError('stopped by the user'))).toEqual({
      reason: 'cancelled',
      message: 'stopped by the user'
    })
  })

  it('reads any error after the signal was aborted as a cancellation', () => {
    const controller = new AbortController()
    controller.abort()
    expect(stopFromError(new Error('socket closed'), controller.signal)).toEqual({
      reason: 'cancelled',
      message: 'socket closed'
    })
    expect(stopFromError('odd', controller.signal)).toEqual({
      reason: 'cancelled',
      message: 'cancelled'
    })
  })

  it('leaves other errors to the caller', () => {
    expect(stopFromError(new Error('bug'))).toBeUndefined()
    // A provider failure is not a graceful stop: providerStop (below) reads it.
    expect(stopFromError(new ProviderError('503 from the provider'))).toBeUndefined()
    expect(stopFromError(new Error('bug'), new AbortController().signal)).toBeUndefined()
  })
})

describe('providerStop', () => {
  it('turns a refusal into a provider-error stop that keeps its HTTP status', () => {
    const refused = new ProviderError('401: bad key — check the API key', { status: 401 })
    expect(providerStop(refused)).toEqual({
      reason: 'provider-error',
      message: refused.message,
      status: 401
    })
    // A connection that never answered has no status.
    expect(providerStop(new ProviderError('connection refused'))).toEqual({
      reason: 'provider-error',
      message: 'connection refused'
    })
    expect(providerStop(new Error('bug'))).toBeUndefined()
  })
})
