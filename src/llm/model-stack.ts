/**
 * Builds the run's three models (target, optimizer, judge) with everything they share: one
 * limiter (they share one endpoint and its rate limits), one ledger, one budget, one cache and one
 * abort controller.
 */
import { resolve } from 'node:path'
import type { Config, ModelConfig } from '../config/types.js'
import { Budget } from './budget.js'
import { DiskCache, providerIdentity, type ResponseCache } from './cache.js'
import type { ChatModel, ModelRole, ModelSet } from './chat-model.js'
import { systemClock, type Clock } from './clock.js'
import { Ledger } from './ledger.js'
import { Limiter } from './limiter.js'
import { createOpenAIModel, OPENAI_DEFAULT_BASE_URL } from './openai-model.js'
import { resolveApiKey, resolveBaseUrl, resolveHeaders, safeUrl, type Env } from './provider-env.js'
import { createRandom } from '../util/random.js'
import { buildModel } from './stacked-model.js'

export { buildModel, type StackDeps } from './stacked-model.js'

export interface ModelSetOptions {
  /** The environment to read the API key, OPENAI_BASE_URL and header variables from. */
  env: Env
  /** Repository root; config.cache.dir is relative to it. */
  root: string
  /** Cancels the run (Ctrl-C, the job being stopped). */
  signal?: AbortSignal
  /** Inner models for provider type `simulated` (src/simulate provides them). */
  simulated?: (role: ModelRole, model: ModelConfig) => ChatModel
  /** Replaces the disk cache (a MemoryCache in tests), or `false` to switch caching off. */
  cache?: ResponseCache | false
  fetch?: typeof fetch
  clock?: Clock
  /** Base of the first backoff; default 500 ms (tests pass ~1). */
  retryBaseDelayMs?: number
  onWarning?: (message: string) => void
}

export interface ModelRuntime {
  models: ModelSet
  ledger: Ledger
  budget: Budget
  limiter: Limiter
  cache: ResponseCache | undefined
  /**
   * The endpoint the calls go to, without credentials or query (provider.base_url, else
   * OPENAI_BASE_URL, else the SDK's default); null for the simulated provider.
   */
  baseUrl: string | null
  /** Aborted by a budget stop (reason: the BudgetExceededError) or when options.signal aborts. */
  signal: AbortSignal
  /** Stops every call in flight. */
  abort(reason?: Error): void
  /** Clears timers and listeners; call when the run ends. */
  dispose(): void
}

const ROLES: readonly ModelRole[] = ['target', 'optimizer', 'judge']

/**
 * The three decorated models of `config`. For provider type `openai` the key comes from
 * env[provider.apiKeyEnv] (an InputError now if missing, before any work) and the base URL from
 * provider.baseUrl, else OPENAI_BASE_URL, else api.openai.com.
 */
export function createModelSet(config: Config, options: ModelSetOptions): ModelRuntime {
  const { provider } = config
  const clock = options.clock ?? systemClock
  const controller = new AbortController()
  const onOuterAbort = (): void => controller.abort(options.signal?.reason)
  if (options.signal?.aborted) onOuterAbort()
  else options.signal?.addEventListener('abort', onOuterAbort, { once: true })

  const simulated = provider.type === 'simulated'
  // GitHub Models' free tier costs nothing: budgets then work in calls and tokens.
  const free = simulated || provider.type === 'github-models'
  const ledger = new Ledger(
    free
      ? { priceOf: (model) => provider.prices[model] ?? { input: 0, output: 0 }, clock }
      : { prices: provider.prices, clock }
  )
  const budget = new Budget(config.budget, ledger, { controller, clock })
  const limiter = new Limiter({
    concurrency: provider.concurrency,
    requestsPerMinute: provider.requestsPerMinute,
    tokensPerMinute: provider.tokensPerMinute,
    clock
  })
  const cache =
    options.cache === false || (options.cache === undefined && !config.cache.enabled)
      ? undefined
      : (options.cache ?? new DiskCache(resolve(options.root, config.cache.dir), options.root))
  const random = createRandom(`${config.seed}:retry`)

  let inner: (role: ModelRole, model: ModelConfig) => ChatModel
  let identity: string
  let usedUrl: string | null = null
  if (simulated) {
    const factory = options.simulated
    if (!factory) throw new Error('provider type simulated needs options.simulated (src/simulate)')
    inner = factory
    identity = `simulated:seed=${config.seed}`
  } else {
    const apiKey = resolveApiKey(provider, options.env)
    const baseUrl = resolveBaseUrl(provider, options.env)
    const headers = resolveHeaders(provider, options.env)
    inner = (role, model) =>
      createOpenAIModel({
        role,
        model,
        provider,
        apiKey,
        baseUrl,
        headers,
        fetch: options.fetch,
        clock
      })
    const version = provider.apiVersion ? `api-version=${provider.apiVersion}` : ''
    identity = providerIdentity(
      provider.type === 'github-models' ? 'github-models' : 'openai',
      baseUrl ?? OPENAI_DEFAULT_BASE_URL,
      version
    )
    usedUrl = safeUrl(baseUrl ?? OPENAI_DEFAULT_BASE_URL)
  }

  const stacked = (role: ModelRole, model: ModelConfig): ChatModel =>
    buildModel(inner(role, model), {
      cache,
      key: {
        provider: identity,
        temperature: model.temperature,
        maxTokens: model.maxTokens,
        params: model.params
      },
      limiter,
      budget,
      ledger,
      retry: {
        maxRetries: provider.maxRetries,
        baseDelayMs: options.retryBaseDelayMs,
        random: () => random.next(),
        clock
      },
      signal: controller.signal,
      onWarning: options.onWarning
    })
  // One decorated model per role and configuration: a task's own target or an evaluator's own
  // judge shares the limiter, ledger, budget and cache, and is built once however often it is asked.
  const built = new Map<string, ChatModel>()
  const build = (role: ModelRole, model: ModelConfig): ChatModel => {
    const key = `${role}\0${JSON.stringify(model)}`
    const known = built.get(key)
    if (known !== undefined) return known
    const base = stacked(role, model)
    const variant: ChatModel = {
      model: base.model,
      role: base.role,
      complete: (request, callOptions) => base.complete(request, callOptions),
      withModel: (changes) => build(role, { ...model, ...changes })
    }
    built.set(key, variant)
    return variant
  }
  const [target, optimizer, judge] = ROLES.map((role) => build(role, config.models[role])) as [
    ChatModel,
    ChatModel,
    ChatModel
  ]

  return {
    models: { target, optimizer, judge },
    ledger,
    budget,
    limiter,
    cache,
    baseUrl: usedUrl,
    signal: controller.signal,
    abort: (reason) => controller.abort(reason),
    dispose: () => {
      budget.dispose()
      options.signal?.removeEventListener('abort', onOuterAbort)
    }
  }
}
