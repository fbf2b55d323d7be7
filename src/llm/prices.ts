/**
 * Prices of common models in USD per 1M tokens (standard tier, no batch or cached-input discount),
 * as listed on OpenAI's pricing page (platform.openai.com/docs/pricing) and Anthropic's model pages,
 * checked in June 2026. Prices change: `provider.prices` in the config overrides any entry or adds one.
 */
import type { Price } from '../config/types.js'
import type { TokenUsage } from './chat-model.js'

export const DEFAULT_PRICES: Readonly<Record<string, Price>> = {
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-5.1': { input: 1.25, output: 10 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
  o3: { input: 2, output: 8 },
  'o3-mini': { input: 1.1, output: 4.4 },
  'o4-mini': { input: 1.1, output: 4.4 },
  'gpt-3.5-turbo': { input: 0.5, output: 1.5 },
  // Anthropic models as OpenRouter names them (anthropic/… — the prefix is stripped on lookup).
  'claude-sonnet-4': { input: 3, output: 15 },
  'claude-3.5-sonnet': { input: 3, output: 15 },
  'claude-3.5-haiku': { input: 0.8, output: 4 },
  'claude-opus-4': { input: 15, output: 75 }
}

/**
 * The price of `model`: an override first, then the table. Tries the name as given, then without
 * a router prefix (`openai/gpt-4o`) and a date suffix (`gpt-4o-2024-08-06`). Undefined when unknown.
 */
export function priceFor(
  model: string,
  overrides: Readonly<Record<string, Price>> = {}
): Price | undefined {
  for (const name of candidateNames(model)) {
    const price = overrides[name] ?? DEFAULT_PRICES[name]
    if (price) return price
  }
  return undefined
}

/** Dollars for `usage` at `price`. */
export function costUsd(usage: TokenUsage, price: Price): number {
  return (usage.inputTokens * price.input + usage.outputTokens * price.output) / 1_000_000
}

function candidateNames(model: string): string[] {
  const names = [model]
  const bare = model.includes('/') ? model.slice(model.lastIndexOf('/') + 1) : model
  names.push(bare)
  const undated = bare.replace(/-\d{4}-\d{2}-\d{2}$/, '').replace(/-(latest|\d{8})$/, '')
  names.push(undated)
  return [...new Set(names)]
}
