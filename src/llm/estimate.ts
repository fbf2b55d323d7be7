/**
 * Primitives for estimating a run before it starts: tokens from text (≈ 4 characters a token for
 * English; close enough to plan a budget, not to bill) and dollars from tokens.
 */
import type { Price } from '../config/types.js'
import type { ChatMessage } from './chat-model.js'
import { costUsd, priceFor } from './prices.js'

/** Tokens a provider typically adds per message for its role and separators. */
const MESSAGE_OVERHEAD_TOKENS = 4

/** ≈ tokens in `text` (characters / 4, rounded up). */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4)
}

/** ≈ input tokens of a chat request. */
export function estimateMessagesTokens(messages: readonly ChatMessage[]): number {
  let total = 3
  for (const message of messages) total += estimateTokens(message.content) + MESSAGE_OVERHEAD_TOKENS
  return total
}

export interface CostEstimate {
  calls: number
  inputTokens: number
  outputTokens: number
  /** Null when the model's price is unknown. */
  usd: number | null
}

/**
 * The cost of `calls` calls to `model` that together send `inputTokens` and receive
 * `outputTokens` (totals over all the calls, not per call).
 */
export function estimateCost(args: {
  calls: number
  inputTokens: number
  outputTokens: number
  model: string
  prices?: Readonly<Record<string, Price>>
}): CostEstimate {
  const price = priceFor(args.model, args.prices)
  const usage = { inputTokens: args.inputTokens, outputTokens: args.outputTokens }
  return {
    calls: args.calls,
    inputTokens: args.inputTokens,
    outputTokens: args.outputTokens,
    usd: price ? costUsd(usage, price) : null
  }
}

/** The sum of several estimates; usd is null if any part's is. */
export function sumEstimates(parts: readonly CostEstimate[]): CostEstimate {
  let usd: number | null = 0
  const total = { calls: 0, inputTokens: 0, outputTokens: 0 }
  for (const part of parts) {
    total.calls += part.calls
    total.inputTokens += part.inputTokens
    total.outputTokens += part.outputTokens
    usd = usd === null || part.usd === null ? null : usd + part.usd
  }
  return { ...total, usd }
}
