/**
 * Deterministic "randomness" for the simulated models: a uniform number in [0, 1) from the hash of
 * the seed and the request text, so the same request always gets the same answer (as with a cached
 * model at temperature 0) and a different request gets an independent draw.
 */
import type { ChatMessage, ChatResponse } from '../llm/chat-model.js'
import { sha256 } from '../util/hash.js'
import { createRandom } from '../util/random.js'
import type { Random } from '../util/random.js'

/** A uniform number in [0, 1) determined by the parts. */
export function unitHash(...parts: ReadonlyArray<string | number>): number {
  const digest = sha256(parts.map(String).join('\u241f'))
  return Number.parseInt(digest.slice(0, 8), 16) / 4294967296
}

/** A seeded generator determined by the parts. */
export function randomFor(...parts: ReadonlyArray<string | number>): Random {
  return createRandom(sha256(parts.map(String).join('\u241f')).slice(0, 16))
}

/** Token count the simulation reports: about four characters a token. */
function approxTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4))
}

/** A response with usage counted the simulation's way (never cached: a cache layer sets that). */
export function simulatedResponse(messages: readonly ChatMessage[], text: string): ChatResponse {
  const input = messages.map((m) => m.content).join('')
  return {
    text,
    usage: { inputTokens: approxTokens(input), outputTokens: approxTokens(text) },
    cached: false
  }
}
