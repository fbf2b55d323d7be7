import { openProject } from './discover-prompts.js'
import type { LoadedProject } from '../config/project-types.js'
import { samplingWarnings, withSamples } from '../config/samples.js'
import { usesJudge } from '../config/task-metrics.js'
import type { BudgetConfig } from '../config/types.js'
import type { ResponseCache } from '../llm/cache.js'
import { createModelSet } from '../llm/model-stack.js'
import type { ModelRuntime } from '../llm/model-stack.js'
import { createSimulatedModels } from '../simulate/index.js'
import type { Logger } from '../util/logger.js'
import type { LedgerSnapshot } from '../llm/ledger-types.js'
import type { ModelRole } from '../llm/chat-model.js'
import { InputError } from '../errors.js'
import type { RunServices } from './services.js'

export interface SessionOptions {
  configPath: string
  env: Readonly<Record<string, string | undefined>>
  logger: Logger
  signal?: AbortSignal
  /** false → no response cache for this run (the config's cache.enabled otherwise). */
  cache?: boolean
  /** Caps from flags or action inputs; each one set overrides the config's. */
  budget?: Partial<BudgetConfig>
  /** Test seams. */
  fetch?: typeof fetch
  responseCache?: ResponseCache
  retryBaseDelayMs?: number
  /** An already loaded project (e.g. the head of a comparison) instead of configPath. */
  project?: LoadedProject
  /** The run will call the optimizer model (optimize, demo): its price is needed for a usd cap. */
  optimizing?: boolean
  /** `--samples K` / the `samples` input: target samples per example for every task. */
  samples?: number
}

export interface Session extends RunServices {
  runtime: ModelRuntime
  /** Releases timers and listeners. */
  close(): void
}

/** Caps given on the command line replace the config's; unset ones keep it. */
export function mergeBudget(
  config: BudgetConfig,
  overrides: Partial<BudgetConfig> | undefined
): BudgetConfig {
  const out = { ...config }
  for (const key of ['usd', 'tokens', 'calls', 'minutes'] as const) {
    const value = overrides?.[key]
    if (value !== undefined) out[key] = value
  }
  return out
}

/**
 * Loads the project and builds its models with one ledger, budget, limiter and cache. The API key is
 * checked here, before any work, so a missing key is a clear exit-2 error.
 */
export async function openSession(options: SessionOptions): Promise<Session> {
  const project = withSamples(
    options.project ??
      (await openProject(options.configPath, { warn: (m) => options.logger.warn(m) })),
    options.samples
  )
  for (const warning of samplingWarnings(project.config)) options.logger.warn(warning)
  const config = {
    ...project.config,
    budget: mergeBudget(project.config.budget, options.budget),
    cache: {
      ...project.config.cache,
      enabled: project.config.cache.enabled && options.cache !== false
    }
  }
  const simulatedSet =
    config.provider.type === 'simulated' ? createSimulatedModels(config.seed) : undefined
  const runtime = createModelSet(config, {
    env: options.env,
    root: project.root,
    signal: options.signal,
    simulated: simulatedSet ? (role) => simulatedSet[role] : undefined,
    cache: options.responseCache ?? (config.cache.enabled ? undefined : false),
    fetch: options.fetch,
    retryBaseDelayMs: options.retryBaseDelayMs,
    onWarning: (message) => options.logger.warn(message)
  })
  if (config.budget.usd !== undefined && config.provider.type !== 'simulated') {
    // A dollar cap needs every price up front: finding a model unpriced mid-run would stop the run
    // after money was spent.
    const roles: ModelRole[] = ['target']
    if (options.optimizing) roles.push('optimizer')
    if (project.tasks.some((t) => usesJudge(t.config))) roles.push('judge')
    for (const role of roles) {
      const model = config.models[role].model
      if (!runtime.ledger.hasPrice(model)) {
        runtime.dispose()
        throw new InputError(
          `budget.usd caps dollars, but the price of the ${role} model "${model}" is unknown; add it under provider.prices (USD per 1M input and output tokens) or cap budget.tokens instead`,
          { location: 'provider.prices' }
        )
      }
    }
  }
  const loaded: LoadedProject = { ...project, config }
  return {
    project: loaded,
    models: runtime.models,
    usage: () => runtime.ledger.snapshot(),
    signal: runtime.signal,
    logger: options.logger,
    concurrency: Math.max(1, config.provider.concurrency * 2),
    nearBudgetEnd: (reserve = 0) =>
      budgetNearEnd(config.budget, runtime.ledger.snapshot(), 0.85, reserve),
    providerBaseUrl: runtime.baseUrl,
    runtime,
    close: () => runtime.dispose()
  }
}

/**
 * True when any cap is at least `fraction` spent, or when what is left would not pay for
 * `reserveCalls` more calls at the run's mean cost per call so far: optimizers stop starting new
 * rounds then, so the run ends with a finished round and can still score its result on test.
 */
export function budgetNearEnd(
  caps: BudgetConfig,
  usage: LedgerSnapshot,
  fraction = 0.85,
  reserveCalls = 0
): boolean {
  const { total, elapsedMs } = usage
  const calls = Math.max(1, total.calls)
  const tokens = total.inputTokens + total.outputTokens
  const usd = total.usd ?? 0
  const near = (spent: number, perCall: number, cap: number | undefined): boolean =>
    cap !== undefined && (spent >= cap * fraction || spent + perCall * reserveCalls >= cap)
  return (
    near(usd, usd / calls, caps.usd) ||
    near(tokens, tokens / calls, caps.tokens) ||
    near(total.calls, 1, caps.calls) ||
    near(elapsedMs / 60_000, elapsedMs / 60_000 / calls, caps.minutes)
  )
}
