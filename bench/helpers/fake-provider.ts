/**
 * The fake OpenAI-compatible server as a benchmark provider: the target role answers with a
 * deterministic heuristic given per dataset, the optimizer role with the simulated optimizer
 * (src/simulate). Requests go through the real openai SDK, so the formats, sizes, token counts and
 * retries are those of a production run; only the answers are stand-ins.
 *
 * Sampling: an LLM at temperature > 0 answers the same request differently each time, and our
 * optimizers rely on that when they ask for several candidates with the same meta-prompt (in process
 * they pass `sampleIndex`, which has no place in the HTTP request). The server stands in for it: the
 * n-th identical optimizer request (same model and messages) is answered as sample n.
 */
import type { ChatMessage } from '../../src/llm/chat-model.js'
import { DEFAULT_PRICES } from '../../src/llm/prices.js'
import { simulatedModelFor } from '../../src/simulate/index.js'
import { sha256 } from '../../src/util/hash.js'
import { createRandom } from '../../src/util/random.js'
import { startFakeOpenAI, type FakeOpenAI } from '../../tests/helpers/fake-openai-server.js'

export const BENCH_KEY_ENV = 'PD_BENCH_API_KEY'
export const BENCH_KEY = 'sk-bench-not-a-real-key'
export const TARGET_MODEL = 'bench-target'
export const OPTIMIZER_MODEL = 'sim-optimizer'
/** The model whose list price the bench's dollar figures use (tokens are the server's estimates). */
export const PRICED_AS = 'gpt-4o-mini'
/** Delay before every answer, standing in for a network round trip. */
export const BENCH_LATENCY_MS = 10

/** Answers a target request (the messages as the SDK sent them). */
export type TargetResponder = (messages: readonly ChatMessage[]) => string

export interface BenchProvider {
  server: FakeOpenAI
  /** The `provider` and `models` sections of a config pointing at the server (snake_case). */
  config: { provider: Record<string, unknown>; models: Record<string, unknown> }
  env: Record<string, string>
  /** Requests answered per role. */
  served: { target: number; optimizer: number }
  latencyMs: number
  close(): Promise<void>
}

/** Starts the fake server answering the target with `target` and the optimizer as simulated. */
export async function startBenchProvider(options: {
  target: TargetResponder
  seed: number
  concurrency?: number
  /** Delay before every answer; default BENCH_LATENCY_MS. */
  latencyMs?: number
}): Promise<BenchProvider> {
  const optimizer = simulatedModelFor(OPTIMIZER_MODEL, options.seed)
  const seen = new Map<string, number>()
  const served = { target: 0, optimizer: 0 }
  const server = await startFakeOpenAI({
    apiKey: BENCH_KEY,
    latencyMs: options.latencyMs ?? BENCH_LATENCY_MS,
    respond: async (body) => {
      const messages = body.messages as ChatMessage[]
      if (body.model !== OPTIMIZER_MODEL) {
        served.target++
        return options.target(messages)
      }
      served.optimizer++
      const key = sha256(JSON.stringify(messages))
      const sampleIndex = seen.get(key) ?? 0
      seen.set(key, sampleIndex + 1)
      return (await optimizer.complete({ messages, sampleIndex })).text
    }
  })
  const price = DEFAULT_PRICES[PRICED_AS]
  return {
    server,
    served,
    latencyMs: options.latencyMs ?? BENCH_LATENCY_MS,
    env: { [BENCH_KEY_ENV]: BENCH_KEY },
    config: {
      provider: {
        type: 'openai',
        base_url: server.url,
        api_key_env: BENCH_KEY_ENV,
        concurrency: options.concurrency ?? 16,
        timeout_ms: 30_000,
        max_retries: 2,
        prices: price ? { [TARGET_MODEL]: price, [OPTIMIZER_MODEL]: price } : {}
      },
      models: {
        target: { model: TARGET_MODEL, temperature: 0 },
        optimizer: { model: OPTIMIZER_MODEL, temperature: 1 },
        judge: { model: TARGET_MODEL, temperature: 0 }
      }
    },
    close: () => server.close()
  }
}

/** The text of the last user message (the rendered user prompt with the example). */
export function lastUser(messages: readonly ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i]
    if (m?.role === 'user') return m.content
  }
  return ''
}

/** The system message, if any. */
export function systemOf(messages: readonly ChatMessage[]): string {
  return messages.find((m) => m.role === 'system')?.content ?? ''
}

/**
 * True for a seeded share (`rate`, default 10%) of (instructions, input) pairs: the heuristic
 * targets' stand-in for a model's sensitivity to wording.
 */
export function wordingFlip(instructions: string, input: string, rate = 0.1): boolean {
  return createRandom(`wording:${sha256(instructions)}:${input}`).next() < rate
}
