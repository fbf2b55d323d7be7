/**
 * The ChatModel over the `openai` SDK: any OpenAI-compatible endpoint (OpenAI, Azure OpenAI,
 * OpenRouter, Ollama, vLLM, llama.cpp server…) through its base URL. One attempt per call: the
 * SDK's retries are off because src/llm/retry.ts owns the one retry policy. `timeoutMs` bounds each
 * attempt whole (connecting, headers and body: the SDK's own timeout stops at the headers), and the
 * body is read through a byte cap (src/llm/bounded-fetch.ts), so a hostile or broken server can
 * neither hold a call open nor fill memory.
 */
import OpenAI, { AzureOpenAI } from 'openai'
import type { ModelConfig, ModelParams, ProviderConfig } from '../config/types.js'
import { InputError } from '../errors.js'
import type { CallOptions, ChatModel, ChatRequest, ChatResponse, ModelRole } from './chat-model.js'
import { boundedFetch } from './bounded-fetch.js'
import { ProviderCallError } from './call-error.js'
import { systemClock, type Clock } from './clock.js'
import { estimateMessagesTokens, estimateTokens } from './estimate.js'
import { toProviderError } from './openai-errors.js'
import { safeUrl } from './provider-env.js'

export { resolveApiKey, resolveBaseUrl, resolveHeaders } from './provider-env.js'

/** The SDK's default, made explicit so the SDK never reads OPENAI_BASE_URL behind our back. */
export const OPENAI_DEFAULT_BASE_URL = 'https://api.openai.com/v1'

export interface OpenAIModelOptions {
  role: ModelRole
  model: ModelConfig
  provider: ProviderConfig
  /** The key itself (resolveApiKey); never logged, never part of a message or a cache entry. */
  apiKey: string
  /** Resolved base URL (resolveBaseUrl); undefined → https://api.openai.com/v1. */
  baseUrl: string | undefined
  /** Resolved extra headers (resolveHeaders). */
  headers?: Record<string, string>
  fetch?: typeof fetch
  clock?: Clock
}

/**
 * Azure OpenAI: when provider.apiVersion is set, the SDK's AzureOpenAI client is used. It sends
 * `api-key` instead of a bearer token, adds `?api-version=`, and puts the model name in the path
 * as the deployment (`<base>/deployments/<model>/chat/completions`), so `model` names the
 * deployment. base_url is the resource's `https://<resource>.openai.azure.com/openai` (a bare
 * resource URL gets `/openai` appended).
 */
export function createOpenAIModel(options: OpenAIModelOptions): ChatModel {
  const { role, provider, apiKey } = options
  const config = options.model
  const clock = options.clock ?? systemClock
  const client = createClient(options)
  const where = safeUrl(client.baseURL)
  const what = `${role} model ${config.model} at ${where}`
  const reasoning = isReasoningModel(config.model)

  return {
    model: config.model,
    role,
    async complete(request: ChatRequest, callOptions: CallOptions = {}): Promise<ChatResponse> {
      const maxTokens = request.maxTokens ?? config.maxTokens
      const temperature = request.temperature ?? config.temperature
      const body: OpenAI.Chat.ChatCompletionCreateParamsNonStreaming = {
        model: config.model,
        messages: request.messages.map((m) => ({ role: m.role, content: m.content }))
      }
      // Reasoning models (o-series, gpt-5) reject max_tokens and any temperature but the default.
      if (reasoning) {
        if (maxTokens !== undefined) body.max_completion_tokens = maxTokens
      } else {
        body.temperature = temperature
        if (maxTokens !== undefined) body.max_tokens = maxTokens
      }
      addParams(body, config.params, request)
      // The SDK adds an abort listener to the signal it is given and never removes it; hand it a
      // per-call signal so the run's long-lived one does not collect a listener per call.
      const outer = callOptions.signal
      const local = new AbortController()
      const forward = (): void => local.abort(outer?.reason)
      if (outer?.aborted) forward()
      else outer?.addEventListener('abort', forward, { once: true })
      // The deadline of the whole attempt, body included (a reply may trickle in byte by byte).
      let timedOut = false
      const cancelDeadline = clock.setTimer(() => {
        timedOut = true
        local.abort(new Error(`no complete answer within ${provider.timeoutMs} ms`))
      }, provider.timeoutMs)
      let completion: unknown
      try {
        completion = await client.chat.completions.create(body, {
          signal: local.signal,
          timeout: provider.timeoutMs,
          maxRetries: 0
        })
      } catch (error) {
        throw toProviderError(error, {
          what,
          apiKeyEnv: provider.apiKeyEnv,
          apiKey,
          githubModels: provider.type === 'github-models',
          timeoutMs: provider.timeoutMs,
          maxResponseBytes: provider.maxResponseBytes,
          timedOut,
          signal: outer,
          now: clock.now()
        })
      } finally {
        cancelDeadline()
        outer?.removeEventListener('abort', forward)
      }
      return readCompletion(completion, request, what)
    }
  }
}

/**
 * The role's further parameters and the request's response format, as configured. The extra map
 * goes first so a field we set always wins (its keys are checked not to collide when loading).
 */
function addParams(
  body: OpenAI.Chat.ChatCompletionCreateParamsNonStreaming,
  params: ModelParams | undefined,
  request: ChatRequest
): void {
  if (params?.extra !== undefined) {
    for (const [key, value] of Object.entries(params.extra))
      if (!(key in body)) (body as unknown as Record<string, unknown>)[key] = value
  }
  if (params?.topP !== undefined) body.top_p = params.topP
  if (params?.seed !== undefined) body.seed = params.seed
  if (params?.stop !== undefined) body.stop = params.stop
  if (params?.reasoningEffort !== undefined) body.reasoning_effort = params.reasoningEffort
  if (request.responseFormat !== undefined) body.response_format = request.responseFormat
}

function createClient(options: OpenAIModelOptions): OpenAI {
  const { provider } = options
  const common = {
    apiKey: options.apiKey,
    maxRetries: 0,
    timeout: options.provider.timeoutMs,
    defaultHeaders: options.headers ?? {},
    fetch: boundedFetch(options.fetch ?? globalThis.fetch, provider.maxResponseBytes)
  }
  if (options.baseUrl !== undefined) checkBaseUrl(options.baseUrl)
  if (provider.apiVersion === undefined) {
    return new OpenAI({ ...common, baseURL: options.baseUrl ?? OPENAI_DEFAULT_BASE_URL })
  }
  if (!options.baseUrl) {
    throw new InputError(
      'provider.api_version is set (Azure OpenAI), so provider.base_url must be your resource, e.g. https://<resource>.openai.azure.com/openai',
      { location: 'provider.base_url' }
    )
  }
  const trimmed = options.baseUrl.replace(/\/+$/, '')
  const baseURL = /\/openai(\/|$)/.test(new URL(trimmed).pathname) ? trimmed : `${trimmed}/openai`
  return new AzureOpenAI({ ...common, baseURL, apiVersion: provider.apiVersion })
}

/**
 * The base URL must parse and must not carry a user name or password: fetch refuses such a URL
 * (every call would fail), and the credential would be one error message away from a report. The
 * URL itself is never echoed, only what is wrong with it.
 */
function checkBaseUrl(baseUrl: string): void {
  if (!URL.canParse(baseUrl)) {
    throw new InputError('provider.base_url (or OPENAI_BASE_URL) is not a URL', {
      location: 'provider.base_url'
    })
  }
  const url = new URL(baseUrl)
  if (url.username !== '' || url.password !== '') {
    throw new InputError(
      `provider.base_url (or OPENAI_BASE_URL) carries a user name or password (${safeUrl(baseUrl)} with credentials before the host), which requests cannot send; put the credential in provider.headers, e.g. Authorization: "Basic \${BASIC_AUTH}"`,
      { location: 'provider.base_url' }
    )
  }
}

/** o1/o3/o4… and gpt-5 (not gpt-5-chat), with or without a router prefix like `openai/`. */
export function isReasoningModel(model: string): boolean {
  const bare = model.slice(model.lastIndexOf('/') + 1).toLowerCase()
  return /^o\d/.test(bare) || (/^gpt-5/.test(bare) && !bare.includes('chat'))
}

function readCompletion(completion: unknown, request: ChatRequest, what: string): ChatResponse {
  const choices = (completion as { choices?: unknown } | null)?.choices
  if (!Array.isArray(choices) || choices.length === 0) {
    // A proxy's HTML page or a truncated body: transient more often than not.
    throw new ProviderCallError(`${what}: the provider's answer is not a chat completion`, {
      retryable: true
    })
  }
  const choice = choices[0] as {
    message?: { content?: unknown; refusal?: unknown }
    finish_reason?: unknown
  }
  const message = choice.message
  if (typeof message?.content !== 'string') throw noContent(what, choice.finish_reason, message)
  const text = message.content
  const usage = (completion as { usage?: { prompt_tokens?: unknown; completion_tokens?: unknown } })
    .usage
  return {
    text,
    usage: {
      inputTokens: count(usage?.prompt_tokens) ?? estimateMessagesTokens(request.messages),
      outputTokens: count(usage?.completion_tokens) ?? estimateTokens(text)
    },
    cached: false
  }
}

/** A reply without text (content: null): a refusal, a content filter, a tool call. Counted apart. */
function noContent(
  what: string,
  finishReason: unknown,
  message: { refusal?: unknown } | undefined
): ProviderCallError {
  const facts = ['content: null']
  if (typeof finishReason === 'string') facts.push(`finish_reason: ${finishReason.slice(0, 40)}`)
  if (typeof message?.refusal === 'string' && message.refusal.trim() !== '') {
    const refusal = message.refusal.trim()
    facts.push(`refusal: "${refusal.length > 200 ? `${refusal.slice(0, 200)}…` : refusal}"`)
  }
  return new ProviderCallError(`${what}: the reply has no text (${facts.join(', ')})`, {
    retryable: false,
    noContent: true
  })
}

function count(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined
}
