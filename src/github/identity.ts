/**
 * Who our comments are written by. A comment is ours only when the token's own identity wrote it:
 * anyone can paste our hidden marker into a comment of their own, and editing theirs would fail
 * (403) or, worse, overwrite a person's words.
 */
import type { GitHubApi } from './api.js'

/** The identity of a workflow's GITHUB_TOKEN, the action's default token. */
export const DEFAULT_TOKEN_LOGIN = 'github-actions[bot]'

export interface TokenIdentity {
  login: string
  /** `api`: GitHub said (GET /user, or GraphQL viewer); `default`: assumed GITHUB_TOKEN. */
  source: 'api' | 'default'
}

/**
 * The token's login. When GitHub will not say (a GitHub App token on a host whose GraphQL refuses
 * `viewer`), the default token's bot is assumed: at worst a second comment is created, never
 * someone else's edited.
 */
export async function tokenIdentity(api: GitHubApi): Promise<TokenIdentity> {
  const login = await api.getTokenLogin().catch(() => undefined)
  return login ? { login, source: 'api' } : { login: DEFAULT_TOKEN_LOGIN, source: 'default' }
}
