import type { Config, ProviderConfig } from '../../src/config/types.js'

/** A complete Config for LLM-layer tests; override what a test needs. */
export function testConfig(
  overrides: { provider?: Partial<ProviderConfig>; budget?: Partial<Config['budget']> } & Partial<
    Omit<Config, 'provider' | 'budget'>
  > = {}
): Config {
  const { provider, budget, ...rest } = overrides
  return {
    provider: {
      type: 'openai',
      baseUrl: undefined,
      apiKeyEnv: 'OPENAI_API_KEY',
      concurrency: 8,
      requestsPerMinute: undefined,
      tokensPerMinute: undefined,
      timeoutMs: 5_000,
      maxResponseBytes: 4_194_304,
      maxRetries: 4,
      prices: {},
      headers: {},
      apiVersion: undefined,
      ...provider
    },
    models: {
      target: { model: 'gpt-4o-mini', temperature: 0, maxTokens: undefined },
      optimizer: { model: 'gpt-4o', temperature: 1, maxTokens: 1000 },
      judge: { model: 'gpt-4o-mini', temperature: 0, maxTokens: 200 }
    },
    systemPrompt: undefined,
    tasks: [],
    budget: { usd: undefined, tokens: undefined, calls: undefined, minutes: undefined, ...budget },
    gate: {
      minScore: undefined,
      maxDrop: undefined,
      confidence: 0.95,
      source: 'config' as const,
      newTasks: 'warn' as const,
      sequential: true,
      firstLook: 50,
      lookEvery: 25
    },
    optimize: {
      method: 'apo',
      seed: 1,
      edit: undefined,
      apo: {
        rounds: 1,
        beam: 1,
        minibatch: 1,
        errorGroups: 1,
        errorsPerGroup: 1,
        paraphrases: 0,
        successorsPerParent: 1,
        bandit: 'ucb',
        selectionBudget: 1,
        explorationC: 1,
        pullSize: 4,
        settle: 0.5,
        target: 'user'
      },
      metaspo: {
        iterations: 1,
        userCandidates: 1,
        userTopK: 1,
        systemCandidates: 1,
        examplesPerTask: 1,
        holdout: [],
        racing: false
      },
      gepa: {
        preset: 'light',
        minibatch: 3,
        confirm: 3,
        devRows: 60,
        maxCalls: undefined,
        selection: 'pareto',
        maxPromptChars: undefined,
        target: undefined,
        components: 'system',
        merge: true,
        mergeShare: 0.2
      }
    },
    cache: { enabled: false, dir: '.prompt-descent/cache' },
    seed: 1,
    ...rest
  }
}
