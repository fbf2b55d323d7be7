import { readFileSync } from 'node:fs'

/** A comment on an issue or pull request that started the run (`issue_comment` events). */
export interface CommentContext {
  /** created, edited or deleted: only a newly created comment is a command. */
  action: string
  id: number
  body: string
  /** Undefined for a deleted ("ghost") account. */
  author: string | undefined
  issueNumber: number
  /** issue_comment fires for issues and pull requests alike. */
  onPullRequest: boolean
  url: string | undefined
}

/** The part of the workflow run the action needs, as plain data (no @actions/github side effects). */
export interface RunContext {
  eventName: string
  owner: string
  repo: string
  sha: string
  /** GITHUB_REF, e.g. refs/heads/main. */
  ref: string
  workspace: string
  apiUrl: string
  serverUrl: string
  runUrl: string | undefined
  pullRequest:
    | {
        number: number
        baseSha: string
        headSha: string
        baseRef: string
        headRef: string
        fork: boolean
      }
    | undefined
  comment: CommentContext | undefined
}

interface EventPayload {
  action?: string
  number?: number
  pull_request?: {
    number: number
    base: { sha: string; ref: string; repo?: { full_name?: string } }
    head: { sha: string; ref: string; repo?: { full_name?: string } | null }
  }
  issue?: { number: number; pull_request?: unknown }
  comment?: {
    id: number
    body?: string | null
    user?: { login?: string } | null
    html_url?: string
  }
}

function commentOf(payload: EventPayload): CommentContext | undefined {
  const { comment, issue } = payload
  if (!comment || !issue) return undefined
  return {
    action: payload.action ?? '',
    id: comment.id,
    body: comment.body ?? '',
    author: comment.user?.login ?? undefined,
    issueNumber: issue.number,
    onPullRequest: issue.pull_request !== undefined && issue.pull_request !== null,
    url: comment.html_url
  }
}

/** Reads GITHUB_* variables and the event payload the runner wrote. */
export function readRunContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const [owner = '', repo = ''] = (env['GITHUB_REPOSITORY'] ?? '/').split('/')
  let payload: EventPayload = {}
  const eventPath = env['GITHUB_EVENT_PATH']
  if (eventPath) {
    try {
      payload = JSON.parse(readFileSync(eventPath, 'utf8')) as EventPayload
    } catch {
      payload = {}
    }
  }
  const pr = payload.pull_request
  const serverUrl = env['GITHUB_SERVER_URL'] ?? 'https://github.com'
  const runId = env['GITHUB_RUN_ID']
  return {
    eventName: env['GITHUB_EVENT_NAME'] ?? '',
    owner,
    repo,
    sha: env['GITHUB_SHA'] ?? '',
    ref: env['GITHUB_REF'] ?? '',
    workspace: env['GITHUB_WORKSPACE'] ?? process.cwd(),
    apiUrl: env['GITHUB_API_URL'] ?? 'https://api.github.com',
    serverUrl,
    runUrl: runId ? `${serverUrl}/${owner}/${repo}/actions/runs/${runId}` : undefined,
    pullRequest: pr
      ? {
          number: pr.number,
          baseSha: pr.base.sha,
          headSha: pr.head.sha,
          baseRef: pr.base.ref,
          headRef: pr.head.ref,
          fork: (pr.head.repo?.full_name ?? '') !== (pr.base.repo?.full_name ?? '')
        }
      : undefined,
    comment: commentOf(payload)
  }
}
