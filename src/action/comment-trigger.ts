/**
 * The `/optimize` pull-request comment: parsing the command, and deciding whether to run it. Only
 * a user who could push to the repository may spend its budget; anyone else gets a reply saying so.
 * A fork's pull request is refused too: its head branch lives in another repository, so the
 * suggestion could not be based on it, and its code must not run with this repository's secrets.
 */
import { OPTIMIZE_METHODS, type OptimizeMethod } from '../config/methods.js'
import * as core from '@actions/core'
import { errorMessage } from '../errors.js'
import type { GitHubApi, PullRequest, ReactionContent } from '../github/api.js'
import { hasWriteAccess } from '../github/permissions.js'
import { escapeInline, inlineCode } from '../report/sanitize.js'
import type { CommentContext } from './context.js'

/** What a `/optimize` comment asks for; unset fields fall back to the inputs, then the config. */
export interface OptimizeCommand {
  task?: string
  method?: OptimizeMethod
  prompt?: 'user' | 'system'
  /** Caps asked for in the comment; they can only lower the workflow's caps. */
  budget: { usd?: number; calls?: number; tokens?: number; minutes?: number }
}

export type ParsedComment =
  | { kind: 'not-a-command' }
  | { kind: 'command'; command: OptimizeCommand }
  | { kind: 'invalid'; message: string }

export const COMMAND_USAGE = `\`/optimize [task=NAME] [method=${OPTIMIZE_METHODS.join('|')}] [prompt=user|system] [budget=USD] [calls=N] [minutes=N]\``

const KEYS: Record<
  string,
  keyof OptimizeCommand | `budget.${'usd' | 'calls' | 'tokens' | 'minutes'}`
> = {
  task: 'task',
  method: 'method',
  prompt: 'prompt',
  budget: 'budget.usd',
  usd: 'budget.usd',
  'budget-usd': 'budget.usd',
  calls: 'budget.calls',
  'max-calls': 'budget.calls',
  tokens: 'budget.tokens',
  'max-tokens': 'budget.tokens',
  minutes: 'budget.minutes',
  'max-minutes': 'budget.minutes'
}

function positive(key: string, value: string, whole: boolean): number | string {
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0 || (whole && !Number.isInteger(n))) {
    return `${inlineCode(key, 40)} must be a positive ${whole ? 'whole number' : 'number'}, got ${inlineCode(value, 40)}`
  }
  return n
}

/**
 * Reads a comment body: a command is a first line `/optimize` followed by `key=value` words.
 * `/optimizer …` or `/optimize` later in the text is not a command.
 */
export function parseOptimizeComment(body: string): ParsedComment {
  const firstLine = body.replace(/^\s+/, '').split(/\r?\n/)[0] ?? ''
  const match = /^\/optimize(?:\s+(.*))?$/.exec(firstLine.trimEnd())
  if (!match) return { kind: 'not-a-command' }
  const command: OptimizeCommand = { budget: {} }
  for (const word of (match[1] ?? '').split(/\s+/).filter(Boolean)) {
    const eq = word.indexOf('=')
    const key = eq > 0 ? word.slice(0, eq).toLowerCase() : word
    const value = eq > 0 ? word.slice(eq + 1) : ''
    const field = KEYS[key]
    if (eq <= 0 || value === '' || field === undefined) {
      return {
        kind: 'invalid',
        message: `${inlineCode(word, 60)} is not an option I know. Usage: ${COMMAND_USAGE}`
      }
    }
    if (field === 'task') {
      if (value.length > 100) return { kind: 'invalid', message: 'the task name is too long' }
      command.task = value
    } else if (field === 'method' || field === 'prompt') {
      const allowed: readonly string[] = field === 'method' ? OPTIMIZE_METHODS : ['user', 'system']
      if (!allowed.includes(value)) {
        return {
          kind: 'invalid',
          message: `${inlineCode(field, 20)} must be ${orList(allowed.map((a) => inlineCode(a, 20)))}, got ${inlineCode(value, 40)}`
        }
      }
      if (field === 'method') command.method = value as OptimizeMethod
      else command.prompt = value as 'user' | 'system'
    } else {
      const cap = field.slice('budget.'.length) as 'usd' | 'calls' | 'tokens' | 'minutes'
      const n = positive(key, value, cap === 'calls' || cap === 'tokens')
      if (typeof n === 'string') return { kind: 'invalid', message: n }
      command.budget[cap] = n
    }
  }
  return { kind: 'command', command }
}

export type CommentDecision =
  | { kind: 'ignored'; reason: string }
  | { kind: 'refused'; reason: string }
  | { kind: 'accepted'; command: OptimizeCommand; pull: PullRequest; author: string }

/** `@login` when the login looks like one (it pings the commenter, who asked), else plain text. */
export function mention(login: string | undefined): string {
  if (login && /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})(?:\[bot\])?$/.test(login)) return `@${login}`
  return escapeInline(login ?? 'someone', 60)
}

/** Posts a reply on the issue or pull request; failures (e.g. a read-only token) only warn. */
export async function reply(api: GitHubApi, issueNumber: number, body: string): Promise<void> {
  try {
    await api.createIssueComment(issueNumber, body)
  } catch (error) {
    core.warning(`could not reply on #${issueNumber}: ${errorMessage(error)}`)
  }
}

async function react(api: GitHubApi, commentId: number, content: ReactionContent): Promise<void> {
  try {
    await api.addCommentReaction(commentId, content)
  } catch (error) {
    core.warning(`could not react to comment ${commentId}: ${errorMessage(error)}`)
  }
}

/**
 * Decides what to do with the comment that started the run: ignore it (not a command), refuse it
 * with a reply (no write access, a fork, a closed pull request, bad arguments), or accept it.
 */
export async function judgeComment(
  api: GitHubApi,
  comment: CommentContext
): Promise<CommentDecision> {
  if (comment.action !== 'created') {
    return {
      kind: 'ignored',
      reason: `the comment was ${comment.action || 'changed'}, not created`
    }
  }
  const parsed = parseOptimizeComment(comment.body)
  if (parsed.kind === 'not-a-command') {
    return { kind: 'ignored', reason: 'the comment does not start with /optimize' }
  }
  const author = comment.author
  if (author === undefined) return { kind: 'ignored', reason: 'the comment has no author' }
  const who = mention(author)
  const refuse = async (
    reason: string,
    text: string,
    reaction: ReactionContent
  ): Promise<CommentDecision> => {
    await reply(api, comment.issueNumber, text)
    await react(api, comment.id, reaction)
    return { kind: 'refused', reason }
  }
  if (!(await hasWriteAccess(api, author))) {
    return refuse(
      `${author} has no write access to the repository`,
      `${who} \`/optimize\` runs only for people with write access to this repository, since it spends the project's model budget and pushes a branch. Ask a maintainer to comment \`/optimize\` if you would like a suggestion.`,
      '-1'
    )
  }
  if (parsed.kind === 'invalid') {
    return refuse(`invalid arguments: ${parsed.message}`, `${who} ${parsed.message}`, 'confused')
  }
  if (!comment.onPullRequest) {
    return refuse(
      'the comment is on an issue, not a pull request',
      `${who} \`/optimize\` works on pull requests: it suggests better prompts as a pull request into the pull request's branch. To optimize the default branch, run the optimize workflow by hand (workflow_dispatch).`,
      'confused'
    )
  }
  const pull = await api.getPullRequest(comment.issueNumber)
  if (pull.state !== 'open') {
    return refuse(
      `pull request #${pull.number} is closed`,
      `${who} this pull request is closed; \`/optimize\` works on open pull requests.`,
      'confused'
    )
  }
  if (pull.headRepo !== `${api.owner}/${api.repo}`) {
    return refuse(
      `pull request #${pull.number} comes from a fork`,
      `${who} this pull request comes from a fork, so its branch is not in this repository: \`/optimize\` cannot base a suggestion on it, and it does not run a fork's code with this repository's secrets. Run the optimization on a branch of this repository instead.`,
      '-1'
    )
  }
  await react(api, comment.id, 'eyes')
  return { kind: 'accepted', command: parsed.command, pull, author }
}

/** "a or b", "a, b or c". */
function orList(items: readonly string[]): string {
  return items.length <= 2
    ? items.join(' or ')
    : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1] ?? ''}`
}
