/**
 * What the provider settings need from the environment: the API key, the base URL and header
 * values. Resolved once at start-up, so a missing variable fails before any work is done.
 */
import type { ProviderConfig } from '../config/types.js'
import { InputError } from '../errors.js'

export type Env = Readonly<Record<string, string | undefined>>

/** The API key from `env[provider.apiKeyEnv]`; a missing or empty one is an InputError (exit 2). */
export function resolveApiKey(provider: ProviderConfig, env: Env): string {
  const name = provider.apiKeyEnv
  const key = env[name]?.trim()
  if (!key) {
    const hint =
      name === 'OPENAI_API_KEY'
        ? 'or name another variable in provider.api_key_env'
        : `as provider.api_key_env says`
    throw new InputError(
      `no API key: set the environment variable ${name} to your provider's key (${hint}); local servers such as Ollama accept any non-empty value`,
      { location: 'provider.api_key_env' }
    )
  }
  return key
}

/** provider.baseUrl, else OPENAI_BASE_URL, else undefined (the SDK's default, api.openai.com). */
export function resolveBaseUrl(provider: ProviderConfig, env: Env): string | undefined {
  return provider.baseUrl ?? (env.OPENAI_BASE_URL?.trim() || undefined)
}

/** Header values with `${VAR}` replaced from `env`; an unset variable is an InputError. */
export function resolveHeaders(provider: ProviderConfig, env: Env): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, template] of Object.entries(provider.headers)) {
    out[name] = template.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_match, variable: string) => {
      const value = env[variable]
      if (value === undefined) {
        throw new InputError(
          `header ${name} names the environment variable ${variable}, which is not set`,
          {
            location: `provider.headers.${name}`
          }
        )
      }
      return value
    })
  }
  return out
}

/** A URL fit for messages and cache keys: no user, password or query (they may hold secrets). */
export function safeUrl(url: string): string {
  try {
    const parsed = new URL(url)
    return `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, '')}`
  } catch {
    return '(unreadable URL)'
  }
}

/** `scheme://user:password@` in free text (up to the last `@` before the path). */
const URL_CREDENTIALS = /\b([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^\s/?#]*@/g

/**
 * `text` with the user name and password of every URL in it removed (`http://u:p@host/x` becomes
 * `http://host/x`): for error texts that may quote a request URL, such as fetch's own.
 */
export function stripUrlCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, '$1')
}
