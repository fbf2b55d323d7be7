/**
 * Typed failures of GitHub calls. A 401/403 names the workflow permission the call needs, so the
 * message tells a user what to add to `permissions:` instead of echoing "Resource not accessible".
 */
import { ExitCode, PromptDescentError } from '../errors.js'

/** A workflow `permissions:` entry, e.g. `pull-requests: write`. */
export type GitHubPermission =
  | 'contents: read'
  | 'contents: write'
  | 'pull-requests: read'
  | 'pull-requests: write'
  | 'issues: write'
  | 'metadata: read'

/** Any GitHub API failure. Exit 3: the run did its work but could not publish all of it. */
export class GitHubApiError extends PromptDescentError {
  readonly status: number | undefined
  /** What we were doing, e.g. `create a pull request`. */
  readonly operation: string
  constructor(
    operation: string,
    message: string,
    details: { status?: number; cause?: unknown } = {}
  ) {
    super(message, ExitCode.incomplete, { cause: details.cause })
    this.status = details.status
    this.operation = operation
  }
}

/** 401 or 403 (other than a rate limit): the token lacks a permission, or cannot write at all (a fork). */
export class GitHubPermissionError extends GitHubApiError {
  readonly permission: GitHubPermission
  constructor(
    operation: string,
    permission: GitHubPermission,
    message: string,
    details: { status?: number; cause?: unknown } = {}
  ) {
    super(operation, message, details)
    this.permission = permission
  }
}

/** 404: the thing is missing, or the token may not see it. */
export class GitHubNotFoundError extends GitHubApiError {}

/** 422 on a ref update without force: another writer moved the branch first. */
export class NotFastForwardError extends GitHubApiError {}

/** 422 on creating a ref that exists already. */
export class RefExistsError extends GitHubApiError {}

interface HttpLikeError {
  status: number
  message?: string
  response?: { data?: unknown; headers?: Record<string, string | number | undefined> }
}

function isHttpLike(error: unknown): error is HttpLikeError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { status?: unknown }).status === 'number'
  )
}

/** GitHub's `message` plus any `errors[].message` (where the real reason of a 422 often hides). */
export function githubMessage(error: unknown): string {
  if (!isHttpLike(error)) return error instanceof Error ? error.message : String(error)
  const data = error.response?.data
  if (typeof data === 'object' && data !== null) {
    const { message, errors } = data as { message?: unknown; errors?: unknown }
    const details = Array.isArray(errors)
      ? errors
          .map((e) =>
            typeof e === 'object' && e !== null ? (e as { message?: unknown }).message : e
          )
          .filter((m): m is string => typeof m === 'string')
      : []
    if (typeof message === 'string') return [message, ...details].join(': ')
  }
  return error.message ?? `HTTP ${error.status}`
}

/** HTTP status of a failed call, when it has one. */
export function httpStatus(error: unknown): number | undefined {
  return isHttpLike(error) ? error.status : undefined
}

/**
 * Turns an Octokit failure into a typed error. `permission` is what the call needs; it is named in
 * the message of a 401/403 (and hinted at on a 404, which GitHub also answers when a token may not
 * see a private resource).
 */
export function toGitHubError(
  error: unknown,
  operation: string,
  permission: GitHubPermission
): GitHubApiError {
  if (error instanceof GitHubApiError) return error
  const status = httpStatus(error)
  const detail = githubMessage(error)
  const details = { status, cause: error }
  if (status === 401) {
    return new GitHubPermissionError(
      operation,
      permission,
      `Could not ${operation}: GitHub rejected the token (401 ${detail}). Check the github-token input.`,
      details
    )
  }
  if (status === 403) {
    const headers = isHttpLike(error) ? error.response?.headers : undefined
    if (String(headers?.['x-ratelimit-remaining']) === '0' || /rate limit/i.test(detail)) {
      return new GitHubApiError(
        operation,
        `Could not ${operation}: GitHub rate limit reached (${detail}).`,
        details
      )
    }
    const actionsPr = /not permitted to create or approve pull requests/i.test(detail)
    const hint = actionsPr
      ? 'Enable "Allow GitHub Actions to create and approve pull requests" in the repository settings, or pass a GitHub App or personal token.'
      : `The workflow token needs \`permissions: ${permission}\` (a pull request from a fork only gets a read-only token).`
    return new GitHubPermissionError(
      operation,
      permission,
      `Could not ${operation}: 403 ${detail}. ${hint}`,
      details
    )
  }
  if (status === 404) {
    return new GitHubNotFoundError(
      operation,
      `Could not ${operation}: 404 ${detail} (missing, or the token cannot see it; it needs \`${permission}\`).`,
      details
    )
  }
  return new GitHubApiError(
    operation,
    `Could not ${operation}: ${status === undefined ? '' : `${status} `}${detail}`,
    details
  )
}

/** Runs one GitHub call, turning its failure into a typed error. */
export async function withGitHubErrors<T>(
  operation: string,
  permission: GitHubPermission,
  run: () => Promise<T>
): Promise<T> {
  try {
    return await run()
  } catch (error) {
    throw toGitHubError(error, operation, permission)
  }
}
