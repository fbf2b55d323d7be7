/**
 * The decorated ChatModel every caller uses. Order of a call:
 *   1. cache lookup — a hit is free: cached: true, counted as a cached call, no budget, no limiter;
 *   2. an identical call already in flight is shared (counted as cached, paid once);
 *   3. budget check (throws BudgetExceededError once a cap is reached);
 *   4. retry policy, and inside it, per attempt: limiter slot (concurrency, rpm, tpm), then the call;
 *   5. ledger record; 6. cache write (awaited, so a stop right after keeps the answer).
 * The limiter sits inside the retry loop, not around it, so a retry is paced like any request and
 * a backoff does not hold a slot; a 429's retry-after pauses every start, not just the one call
 * (when the call accepts to wait that long; a refused wait pauses nobody).
 */
import type { ModelParams } from '../config/types.js'
import { CancelledError } from '../errors.js'
import { abortReason, combineSignals, throwIfAborted } from './abort.js'
import { cacheKey, type ResponseCache } from './cache.js'
import type { CallOptions, ChatModel, ChatRequest, ChatResponse } from './chat-model.js'
import type { Budget } from './budget.js'
import { estimateMessagesTokens } from './estimate.js'
import type { Ledger } from './ledger.js'
import type { Limiter } from './limiter.js'
import { withRetry, type RetryOptions } from './retry.js'
import { createYielder } from '../util/yield.js'

/** Calls between two turns of the event loop, so a signal is heard in a run with no I/O. */
const CALLS_PER_YIELD = 64

/** Output tokens assumed for the rate limiter when a request sets no max. */
const DEFAULT_OUTPUT_ESTIMATE = 256

export interface StackDeps {
  cache?: ResponseCache | undefined
  /**
   * What the cache key needs beyond the request: who answers (providerIdentity, no secrets) and the
   * model's configured defaults, so a changed temperature in the config is a different key.
   */
  key: {
    provider: string
    temperature: number
    maxTokens: number | undefined
    /** The role's further parameters (top_p, seed, stop, reasoning_effort, extra), when set. */
    params?: ModelParams | undefined
  }
  limiter: Limiter
  budget: Budget
  ledger: Ledger
  /** The retry policy (its onAttemptError is chained after the ledger's). */
  retry: RetryOptions
  /** The run's shared signal: a cancel or a budget stop aborts every call. */
  signal?: AbortSignal | undefined
  /** Non-fatal trouble (an unwritable cache), for the caller to log. */
  onWarning?: (message: string) => void
}

export function buildModel(inner: ChatModel, deps: StackDeps): ChatModel {
  const { ledger, budget, limiter, cache } = deps
  const role = inner.role
  const inFlight = new Map<string, Promise<ChatResponse>>()
  const pause = createYielder(CALLS_PER_YIELD)
  // One warning for an unwritable cache, not one per call.
  let cacheWarned = false

  const paid = async (
    request: ChatRequest,
    key: string,
    signal: AbortSignal | undefined
  ): Promise<ChatResponse> => {
    budget.check(inner.model)
    const maxTokens = request.maxTokens ?? deps.key.maxTokens
    const estimate =
      estimateMessagesTokens(request.messages) + (maxTokens ?? DEFAULT_OUTPUT_ESTIMATE)
    let sent = false
    let response: ChatResponse
    try {
      response = await withRetry(
        async () => {
          const permit = await limiter.acquire(estimate, signal)
          sent = true
          try {
            const answer = await inner.complete(request, { signal })
            permit.release(answer.usage.inputTokens + answer.usage.outputTokens)
            return answer
          } catch (error) {
            permit.release()
            throw error
          }
        },
        {
          ...deps.retry,
          onAttemptError: (info) => {
            ledger.recordAttemptError(role, info)
            // Only a wait this call accepts pauses the others: a refused one (retry-after: 3600)
            // ends this call and must not freeze the run.
            if (info.rateLimited && info.willRetry && info.retryAfterMs !== undefined)
              limiter.pause(info.retryAfterMs)
            deps.retry.onAttemptError?.(info)
          }
        },
        signal
      )
    } catch (error) {
      if (sent) ledger.recordFailedCall(role)
      throw error
    }
    ledger.recordCall(role, inner.model, response.usage)
    if (cache) {
      try {
        await cache.set(key, { text: response.text, usage: response.usage })
      } catch (error) {
        if (!cacheWarned)
          deps.onWarning?.(`could not write the response cache: ${(error as Error).message}`)
        cacheWarned = true
      }
    }
    return { text: response.text, usage: response.usage, cached: false }
  }

  return {
    model: inner.model,
    role,
    async complete(request: ChatRequest, options: CallOptions = {}): Promise<ChatResponse> {
      const signal = combineSignals(deps.signal, options.signal)
      await pause()
      throwIfAborted(signal)
      const key = cacheKey({
        provider: deps.key.provider,
        model: inner.model,
        messages: request.messages,
        temperature: request.temperature ?? deps.key.temperature,
        maxTokens: request.maxTokens ?? deps.key.maxTokens,
        sampleIndex: request.sampleIndex ?? 0,
        responseFormat: request.responseFormat,
        params: deps.key.params
      })
      if (cache) {
        const hit = await cache.get(key).catch(() => undefined)
        if (hit) {
          ledger.recordCached(role)
          return { text: hit.text, usage: hit.usage, cached: true }
        }
      }
      for (;;) {
        const pending = inFlight.get(key)
        if (!pending) break
        try {
          const shared = await raceAbort(pending, signal)
          ledger.recordCached(role)
          return { text: shared.text, usage: shared.usage, cached: true }
        } catch (error) {
          throwIfAborted(signal)
          // The first caller's failure is ours too, unless only its own call was cancelled.
          if (!isCancel(error)) throw error
          if (inFlight.get(key) === pending) inFlight.delete(key)
        }
      }
      const call = paid(request, key, signal)
      inFlight.set(key, call)
      const forget = (): void => {
        if (inFlight.get(key) === call) inFlight.delete(key)
      }
      call.then(forget, forget)
      return call
    }
  }
}

function isCancel(error: unknown): boolean {
  return error instanceof CancelledError
}

/** `promise`, or the abort reason as soon as `signal` aborts. */
function raceAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) {
      reject(abortReason(signal))
      return
    }
    const onAbort = (): void => reject(abortReason(signal))
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      }
    )
  })
}
