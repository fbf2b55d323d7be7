/**
 * One pull-request comment per purpose, kept up to date: found again across every page of comments
 * as the one written by the token's own identity whose first line is the hidden HTML marker,
 * updated in place, created otherwise. A marker copied into someone else's comment, or quoted
 * inside a body (a dataset row's id in a table), is not ours. A token that may not comment yields
 * a warning, never a failed run.
 */
import { InputError } from '../errors.js'
import type { GitHubApi, IssueComment } from './api.js'
import { GitHubPermissionError } from './errors.js'
import { fitGitHubBody } from './truncate.js'

export interface StickyCommentOptions {
  issueNumber: number
  /** A key such as `prompt-descent:gate`, or a full `<!-- … -->` marker. */
  marker: string
  /** Rendered Markdown; the marker is added when it is not in it already. */
  body: string
  /** Only a comment by this login is ours: the token's identity (src/github/identity.ts). */
  authorLogin: string
  /** Where the full text is, said when the body has to be truncated. */
  truncationNote?: string
}

export type StickyCommentResult =
  | {
      action: 'created' | 'updated' | 'unchanged'
      id: number
      url: string
      /** The body was cut to fit GitHub's limit. */
      truncated: boolean
    }
  | { action: 'skipped'; warning: string }

/** The hidden HTML comment for a marker key. */
export function markerComment(marker: string): string {
  if (/^<!--[\s\S]*-->$/.test(marker)) return marker
  if (marker.includes('--') || marker.trim() === '') {
    throw new InputError(
      `a sticky-comment marker must be non-empty and without "--", got "${marker}"`
    )
  }
  return `<!-- ${marker} -->`
}

async function findOurs(
  api: GitHubApi,
  issueNumber: number,
  marker: string,
  authorLogin: string
): Promise<IssueComment | undefined> {
  for await (const page of api.listIssueComments(issueNumber)) {
    const found = page.find(
      (c) => c.authorLogin === authorLogin && startsWithMarker(c.body, marker)
    )
    if (found) return found
  }
  return undefined
}

/** The marker on its own line at the very start of the body (GitHub may turn `\n` into `\r\n`). */
export function startsWithMarker(body: string, marker: string): boolean {
  const end = body.indexOf('\n')
  const first = end === -1 ? body : body.slice(0, end)
  return first.replace(/\r$/, '') === marker
}

/** Creates or updates the comment that carries `marker` on an issue or pull request. */
export async function upsertStickyComment(
  api: GitHubApi,
  options: StickyCommentOptions
): Promise<StickyCommentResult> {
  const marker = markerComment(options.marker)
  const withMarker = startsWithMarker(options.body, marker)
    ? options.body
    : `${marker}\n${options.body}`
  // The marker leads the body, so the cut (which keeps the start) never loses it.
  const { body, truncated } = fitGitHubBody(withMarker, { note: options.truncationNote })
  try {
    const existing = await findOurs(api, options.issueNumber, marker, options.authorLogin)
    if (existing && existing.body === body) {
      return { action: 'unchanged', id: existing.id, url: existing.url, truncated }
    }
    if (existing) {
      const updated = await api.updateIssueComment(existing.id, body)
      return { action: 'updated', id: updated.id, url: updated.url, truncated }
    }
    const created = await api.createIssueComment(options.issueNumber, body)
    return { action: 'created', id: created.id, url: created.url, truncated }
  } catch (error) {
    if (error instanceof GitHubPermissionError) return { action: 'skipped', warning: error.message }
    throw error
  }
}
