import type { ModelConfig } from '../config/types.js'

/**
 * The one interface every caller of a language model uses. Implementations: the OpenAI-compatible
 * client (src/llm/openai-model.ts), the simulated provider (src/simulate), and decorators that add
 * caching, rate limiting and budget accounting around either.
 */

export type ModelRole = 'target' | 'optimizer' | 'judge'

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant'
  content: string
}

/** The OpenAI `response_format` of a request, as sent. */
export type ResponseFormat =
  | { type: 'json_object' }
  | {
      type: 'json_schema'
      json_schema: { name: string; strict: boolean; schema: Record<string, unknown> }
    }

export interface ChatRequest {
  messages: ChatMessage[]
  /** The output format asked for; absent = plain text (nothing is sent). Part of the cache key. */
  responseFormat?: ResponseFormat
  /** Overrides the model's configured temperature. */
  temperature?: number
  /** Overrides the model's configured max output tokens. */
  maxTokens?: number
  /**
   * Which sample this is when the same request is made several times on purpose (paraphrases,
   * repeated critiques at temperature > 0). Part of the cache key, so sample 1 is not served
   * sample 0's answer. Default 0.
   */
  sampleIndex?: number
}

export interface TokenUsage {
  inputTokens: number
  outputTokens: number
}

export interface ChatResponse {
  text: string
  usage: TokenUsage
  /** True when the answer came from the response cache (no call was made, nothing was paid). */
  cached: boolean
}

export interface CallOptions {
  signal?: AbortSignal
}

export interface ChatModel {
  /** Model name as sent to the provider (e.g. gpt-4o-mini), or the simulation's name. */
  readonly model: string
  readonly role: ModelRole
  complete(request: ChatRequest, options?: CallOptions): Promise<ChatResponse>
  /**
   * The same role on another model of the same provider, sharing this model's limiter, ledger,
   * budget and cache: `changes` (at least the model id) over this model's configuration. Used for
   * a task's own target (a prompt file's `model`) and an `llm` evaluator's own `modelId`. Absent on
   * bare clients and test fakes, which then serve every model id themselves.
   */
  withModel?(changes: ModelVariant): ChatModel
}

/** Another model id for a role, with the settings that differ from the role's configuration. */
export type ModelVariant = Pick<ModelConfig, 'model'> & Partial<Omit<ModelConfig, 'model'>>

/** `base` itself, or its variant for `config` when that names another model or other settings. */
export function modelFor(base: ChatModel, config: ModelConfig | undefined): ChatModel {
  if (config === undefined || base.withModel === undefined) return base
  return base.withModel(config)
}

/** The three roles a run may use; judge only when a task has a judge metric. */
export interface ModelSet {
  target: ChatModel
  optimizer: ChatModel
  judge: ChatModel
}
