/**
 * A comment on a commit, for regression alerts on pushes to the default branch. Like the sticky
 * comment, a token that may not comment yields a warning instead of failing the run.
 */
import type { GitHubApi } from './api.js'
import { GitHubPermissionError } from './errors.js'
import { fitGitHubBody } from './truncate.js'

export type CommitCommentResult =
  | { action: 'created'; id: number; url: string; truncated: boolean }
  | { action: 'skipped'; warning: string }

/** Comments `body` (Markdown) on commit `sha`. */
export async function commentOnCommit(
  api: GitHubApi,
  sha: string,
  body: string,
  options: { truncationNote?: string } = {}
): Promise<CommitCommentResult> {
  const fitted = fitGitHubBody(body, { note: options.truncationNote })
  try {
    const created = await api.createCommitComment(sha, fitted.body)
    return { action: 'created', id: created.id, url: created.url, truncated: fitted.truncated }
  } catch (error) {
    if (error instanceof GitHubPermissionError) return { action: 'skipped', warning: error.message }
    throw error
  }
}
