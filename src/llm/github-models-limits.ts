/**
 * GitHub Models' free-tier rate limits, in one place. Source: GitHub docs, "Prototyping with AI
 * models" → "Rate limits" (read 2026-12; the table is per model, per user; the first number is
 * Copilot Free, the second Copilot Enterprise). Reasoning models (o1, o3, …) allow only a handful
 * of requests a day and are treated as the high tier here, which overstates them.
 *
 * Which tier a model is in is listed by GitHub's model catalog (`GET /catalog/models`); the few
 * models named below are low tier there, and any other model is assumed high tier (the stricter
 * assumption, so a warning errs on the side of saying a run may not fit). Unverified: which plan a
 * workflow's GITHUB_TOKEN is counted against.
 */

export const GITHUB_MODELS_LIMITS_DATE = '2026-12'
export const GITHUB_MODELS_LIMITS_SOURCE =
  'https://docs.github.com/en/github-models/use-github-models/prototyping-with-ai-models#rate-limits'

export type RateTier = 'low' | 'high'

export interface TierLimits {
  /** Requests a day per model: [Copilot Free, Copilot Enterprise]. */
  requestsPerDay: readonly [number, number]
  requestsPerMinute: readonly [number, number]
  /** Tokens per request: input, output. */
  tokensPerRequest: { input: number; output: number }
  concurrent: readonly [number, number]
}

export const GITHUB_MODELS_FREE_TIER: Readonly<Record<RateTier, TierLimits>> = {
  low: {
    requestsPerDay: [150, 450],
    requestsPerMinute: [15, 20],
    tokensPerRequest: { input: 8000, output: 4000 },
    concurrent: [5, 8]
  },
  high: {
    requestsPerDay: [50, 150],
    requestsPerMinute: [10, 15],
    tokensPerRequest: { input: 8000, output: 4000 },
    concurrent: [2, 4]
  }
}

/** Models the catalog lists in the low tier (the rest are assumed high). */
const LOW_TIER = new Set([
  'openai/gpt-4o-mini',
  'openai/gpt-4.1-mini',
  'openai/gpt-4.1-nano',
  'meta/llama-3.3-70b-instruct',
  'mistral-ai/ministral-3b',
  'microsoft/phi-4-mini-instruct'
])

export function rateTier(model: string): RateTier {
  return LOW_TIER.has(model.toLowerCase()) ? 'low' : 'high'
}

/**
 * Lines saying which models a run's calls cannot fit into a day of the free tier (empty when all
 * fit even Copilot Free's allowance). `calls` maps each model to the calls the run would make.
 */
export function freeTierWarnings(calls: ReadonlyMap<string, number>): string[] {
  const lines: string[] = []
  for (const [model, n] of calls) {
    if (n === 0) continue
    const tier = rateTier(model)
    const [free, enterprise] = GITHUB_MODELS_FREE_TIER[tier].requestsPerDay
    if (n <= free) continue
    const fits =
      n <= enterprise
        ? `fits Copilot Enterprise's ${enterprise} but not Copilot Free's ${free}`
        : `more than even Copilot Enterprise's ${enterprise}`
    lines.push(
      `warning: ${n} calls to ${model} (${tier} rate tier${tier === 'high' ? ', assumed' : ''}) — ${fits} requests a day on GitHub Models' free tier (limits of ${GITHUB_MODELS_LIMITS_DATE}: ${GITHUB_MODELS_LIMITS_SOURCE}); cap the run (budget.calls, tasks[].limit) or use a paid provider`
    )
  }
  return lines
}
