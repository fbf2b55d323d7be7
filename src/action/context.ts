import { readFileSync } from 'node:fs'

/** The part of the workflow run the action needs, as plain data (no @actions/github side effects). */
export interface RunContext {
  eventName: string
  owner: string
  repo: string
  sha: string
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
}

interface PullPayload {
  number?: number
  pull_request?: {
    number: number
    base: { sha: string; ref: string; repo?: { full_name?: string } }
    head: { sha: string; ref: string; repo?: { full_name?: string } | null }
  }
}

/** Reads GITHUB_* variables and the event payload the runner wrote. */
export function readRunContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const [owner = '', repo = ''] = (env['GITHUB_REPOSITORY'] ?? '/').split('/')
  let payload: PullPayload = {}
  const eventPath = env['GITHUB_EVENT_PATH']
  if (eventPath) {
    try {
      payload = JSON.parse(readFileSync(eventPath, 'utf8')) as PullPayload
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
      : undefined
  }
}
