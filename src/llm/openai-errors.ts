/**
 * Turns whatever the openai SDK throws into our typed errors, with a message a person can act on
 * and never the API key.
 */
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai'
import { CancelledError } from '../errors.js'
import { abortReason } from './abort.js'
import { ResponseTooLargeError } from './bounded-fetch.js'
import { isRetryableStatus, ProviderCallError } from './call-error.js'
import { stripUrlCredentials } from './provider-env.js'
import { parseRetryAfter } from './retry.js'

export interface ErrorContext {
  /** e.g. `target model gpt-4o-mini at https://api.openai.com/v1`. */
  what: string
  apiKeyEnv: string
  apiKey: string
  /** The provider is GitHub Models (its 401/403 name the workflow permission). */
  githubModels?: boolean
  timeoutMs: number
  maxResponseBytes: number
  /** The attempt's own deadline (provider.timeout_ms) fired. */
  timedOut: boolean
  signal: AbortSignal | undefined
  now: number
}

export function toProviderError(error: unknown, context: ErrorContext): Error {
  if (context.signal?.aborted) return abortReason(context.signal)
  if (findCause(error, ResponseTooLargeError)) {
    return new ProviderCallError(
      `${context.what}: the reply is larger than ${context.maxResponseBytes} bytes (provider.max_response_bytes); it was cut off unread`,
      { retryable: false, cause: error }
    )
  }
  if (context.timedOut || error instanceof APIConnectionTimeoutError) {
    return new ProviderCallError(
      `${context.what}: no answer within ${context.timeoutMs} ms (provider.timeout_ms)`,
      {
        retryable: true,
        cause: error
      }
    )
  }
  if (error instanceof APIUserAbortError) return new CancelledError()
  if (error instanceof APIConnectionError) {
    const reason = redact(describeCause(error), context.apiKey)
    return new ProviderCallError(`${context.what}: cannot connect (${reason})`, {
      retryable: true,
      cause: error
    })
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    return fromStatus(error, error.status, context)
  }
  if (error instanceof SyntaxError) {
    // A 200 whose body is cut short or not JSON: a proxy or an overloaded server, worth a retry.
    return new ProviderCallError(`${context.what}: the provider's answer is not valid JSON`, {
      retryable: true,
      cause: error
    })
  }
  return new ProviderCallError(`${context.what}: ${redact(errorText(error), context.apiKey)}`, {
    retryable: false,
    cause: error
  })
}

function fromStatus(error: APIError, status: number, context: ErrorContext): ProviderCallError {
  const said = redact(providerMessage(error), context.apiKey)
  const retryAfterMs = parseRetryAfter(error.headers, context.now)
  const base = `${context.what}: the provider answered ${status}${said ? `: ${said}` : ''}`
  if ((status === 401 || status === 403) && context.githubModels === true) {
    return new ProviderCallError(
      `${base} — the token in ${context.apiKeyEnv} may not call GitHub Models: in a workflow add \`permissions: models: read\` (pull requests from forks may not get it); elsewhere use a token with the models scope`,
      { status, retryable: false, cause: error }
    )
  }
  if (status === 401 || status === 403) {
    return new ProviderCallError(
      `${base} — check the API key in the environment variable ${context.apiKeyEnv} (provider.api_key_env)`,
      { status, retryable: false, cause: error }
    )
  }
  if (status === 404) {
    return new ProviderCallError(`${base} — check the model name and provider.base_url`, {
      status,
      retryable: false,
      cause: error
    })
  }
  if (status === 429 && error.code === 'insufficient_quota') {
    return new ProviderCallError(`${base} — the account has no quota left; waiting will not help`, {
      status,
      retryable: false,
      rateLimited: true,
      cause: error
    })
  }
  return new ProviderCallError(base, {
    status,
    retryable: isRetryableStatus(status),
    retryAfterMs,
    cause: error
  })
}

/** The provider's own words: error.message from a JSON body, or the start of a non-JSON one. */
function providerMessage(error: APIError): string {
  const body = error.error as { message?: unknown } | undefined
  if (body && typeof body.message === 'string') return body.message
  const text = error.message.replace(/^\d{3}\s*/, '').trim()
  if (text === 'status code (no body)') return ''
  return text.length > 300 ? `${text.slice(0, 300)}…` : text
}

function describeCause(error: APIConnectionError): string {
  const cause = (error as { cause?: unknown }).cause
  const inner = cause instanceof Error ? ((cause as { cause?: unknown }).cause ?? cause) : undefined
  if (inner instanceof Error && inner.message) return inner.message
  return error.message
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * Removes the key, anything shaped like a secret key, and the user and password of any URL from
 * a provider's or the network's message: every error text of a call passes through here on its
 * way to a report, a log or the terminal.
 */
function redact(text: string, apiKey: string): string {
  let out = stripUrlCredentials(text)
  if (apiKey.length >= 4) out = out.split(apiKey).join('[redacted]')
  return out.replace(/\b(sk|rk|pk)-[A-Za-z0-9_*.-]{6,}/g, '[redacted]')
}

/** `error` or the first error of its cause chain that is a `type`. */
function findCause<T extends Error>(
  error: unknown,
  type: abstract new (...args: never[]) => T
): T | undefined {
  let current = error
  for (let depth = 0; depth < 8 && current instanceof Error; depth++) {
    if (current instanceof type) return current
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}
