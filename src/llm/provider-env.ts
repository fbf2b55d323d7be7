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
  if (!key && provider.type === 'github-models')
    throw new InputError(
      `no GitHub token: set the environment variable ${name} (in a workflow, \`${name}: \${{ secrets.GITHUB_TOKEN }}\` with \`permissions: models: read\`, or the action's github-token input; elsewhere, a token with the models scope such as \`gh auth token\`)`,
      { location: 'provider.api_key_env' }
    )
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

/** GitHub Models' OpenAI-compatible inference endpoint. */
export const GITHUB_MODELS_BASE_URL = 'https://models.github.ai/inference'

/**
 * provider.baseUrl, else OPENAI_BASE_URL, else undefined (the SDK's default, api.openai.com).
 * github-models: provider.baseUrl, else GITHUB_MODELS_BASE_URL, else https://models.github.ai/inference;
 * with provider.org, the organisation's route (`…/orgs/{org}/inference`).
 */
export function resolveBaseUrl(provider: ProviderConfig, env: Env): string | undefined {
  if (provider.type !== 'github-models')
    return provider.baseUrl ?? (env.OPENAI_BASE_URL?.trim() || undefined)
  const base = (
    provider.baseUrl ??
    (env.GITHUB_MODELS_BASE_URL?.trim() || GITHUB_MODELS_BASE_URL)
  ).replace(/\/+$/, '')
  if (provider.org === undefined) return base
  const root = base.replace(/\/inference$/, '')
  return `${root}/orgs/${encodeURIComponent(provider.org)}/inference`
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
