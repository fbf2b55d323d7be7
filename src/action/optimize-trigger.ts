/**
 * What started an optimize run and where its proposal goes: a `/optimize` comment (judged first),
 * a pull_request run (its head branch is the base), or a dispatch or schedule (the branch it runs
 * on, else the default branch).
 */
import type { GitHubApi } from '../github/api.js'
import { judgeComment } from './comment-trigger.js'
import type { OptimizeCommand } from './comment-trigger.js'
import type { RunContext } from './context.js'

/** Where the run's proposal goes, and who asked for it. */
export interface Trigger {
  /** The branch the pull request goes into. */
  base: string
  /** Set when the suggestion is for a pull request (its head branch is the base). */
  pullNumber: number | undefined
  command: OptimizeCommand | undefined
  /** The `/optimize` comment: its issue and author, for the replies. */
  comment: { issueNumber: number; author: string } | undefined
}

export type TriggerOutcome =
  | { kind: 'run'; trigger: Trigger }
  | { kind: 'stop'; operation: 'skipped' | 'refused'; reason: string }

/** The branch a dispatch or schedule runs on (GITHUB_REF), else the repository's default branch. */
async function branchOfRun(api: GitHubApi, context: RunContext): Promise<string> {
  if (context.ref.startsWith('refs/heads/')) return context.ref.slice('refs/heads/'.length)
  return api.getDefaultBranch()
}

export async function resolveTrigger(api: GitHubApi, context: RunContext): Promise<TriggerOutcome> {
  if (context.eventName === 'issue_comment') {
    if (!context.comment) {
      return { kind: 'stop', operation: 'skipped', reason: 'the event carries no comment' }
    }
    const decision = await judgeComment(api, context.comment)
    if (decision.kind === 'ignored')
      return { kind: 'stop', operation: 'skipped', reason: decision.reason }
    if (decision.kind === 'refused')
      return { kind: 'stop', operation: 'refused', reason: decision.reason }
    return {
      kind: 'run',
      trigger: {
        base: decision.pull.headBranch,
        pullNumber: decision.pull.number,
        command: decision.command,
        comment: { issueNumber: decision.pull.number, author: decision.author }
      }
    }
  }
  const pr = context.pullRequest
  if (pr) {
    if (pr.fork) {
      return {
        kind: 'stop',
        operation: 'refused',
        reason: `pull request #${pr.number} comes from a fork: its branch is not in this repository, so no suggestion can be based on it`
      }
    }
    return {
      kind: 'run',
      trigger: { base: pr.headRef, pullNumber: pr.number, command: undefined, comment: undefined }
    }
  }
  return {
    kind: 'run',
    trigger: {
      base: await branchOfRun(api, context),
      pullNumber: undefined,
      command: undefined,
      comment: undefined
    }
  }
}
