/**
 * The `/optimize` comment: what counts as a command, and who and what gets refused (with a reply
 * and a reaction) before anything is spent.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { judgeComment, mention, parseOptimizeComment } from '../../src/action/comment-trigger.js'
import type { CommentContext } from '../../src/action/context.js'
import type { GitHubApi, PullRequest } from '../../src/github/api.js'

describe('parseOptimizeComment', () => {
  it('reads the command and its options from the first line', () => {
    expect(parseOptimizeComment('/optimize')).toEqual({ kind: 'command', command: { budget: {} } })
    expect(
      parseOptimizeComment(
        '  /optimize task=triage method=apo prompt=system budget=2 calls=300 minutes=5\nthanks!'
      )
    ).toEqual({
      kind: 'command',
      command: {
        task: 'triage',
        method: 'apo',
        prompt: 'system',
        budget: { usd: 2, calls: 300, minutes: 5 }
      }
    })
    expect(parseOptimizeComment('/optimize max-tokens=9000 budget-usd=0.5')).toEqual({
      kind: 'command',
      command: { budget: { tokens: 9000, usd: 0.5 } }
    })
  })

  it.each(['/optimizer', 'please /optimize', 'LGTM\n/optimize', '', '/ optimize'])(
    'does not read %j as a command',
    (body) => {
      expect(parseOptimizeComment(body)).toEqual({ kind: 'not-a-command' })
    }
  )

  it.each([
    ['/optimize now', /`now` is not an option I know\. Usage: `\/optimize \[task=NAME\]/],
    ['/optimize method=dspy', /`method` must be `apo`, `metaspo` or `gepa`, got `dspy`/],
    ['/optimize prompt=both', /`prompt` must be `user` or `system`/],
    ['/optimize calls=2.5', /`calls` must be a positive whole number, got `2.5`/],
    ['/optimize budget=0', /`budget` must be a positive number/],
    ['/optimize task=', /`task=` is not an option I know/],
    ['/optimize <b>x</b>=1', /`<b>x<\/b>=1` is not an option I know/]
  ])('explains what is wrong with %j', (body, message) => {
    const parsed = parseOptimizeComment(body)
    expect(parsed.kind).toBe('invalid')
    if (parsed.kind === 'invalid') expect(parsed.message).toMatch(message)
  })

  it('mentions only what looks like a login', () => {
    expect(mention('octo-cat')).toBe('@octo-cat')
    expect(mention('dependabot[bot]')).toBe('@dependabot[bot]')
    expect(mention('<img src=x>')).not.toContain('<')
    expect(mention(undefined)).toBe('someone')
  })
})

/** A GitHubApi with only what judgeComment uses, recording replies and reactions. */
function fakeApi(options: { permission: string; pull?: Partial<PullRequest> }) {
  const replies: Array<{ issue: number; body: string }> = []
  const reactions: Array<{ id: number; content: string }> = []
  const api = {
    owner: 'octo',
    repo: 'prompts',
    getCollaboratorPermission: vi.fn(() =>
      Promise.resolve({ permission: options.permission, roleName: undefined })
    ),
    getPullRequest: vi.fn((n: number): Promise<PullRequest> =>
      Promise.resolve({
        number: n,
        url: `https://github.com/octo/prompts/pull/${n}`,
        title: 't',
        body: '',
        headBranch: 'feature',
        headRepo: 'octo/prompts',
        baseBranch: 'main',
        state: 'open',
        draft: false,
        ...options.pull
      })
    ),
    createIssueComment: vi.fn((issue: number, body: string) => {
      replies.push({ issue, body })
      return Promise.resolve({ id: 1, body, authorLogin: 'bot', url: '' })
    }),
    addCommentReaction: vi.fn((id: number, content: string) => {
      reactions.push({ id, content })
      return Promise.resolve()
    })
  }
  return { api: api as unknown as GitHubApi, replies, reactions, raw: api }
}

const comment = (over: Partial<CommentContext> = {}): CommentContext => ({
  action: 'created',
  id: 77,
  body: '/optimize task=triage',
  author: 'alice',
  issueNumber: 5,
  onPullRequest: true,
  url: undefined,
  ...over
})

describe('judgeComment', () => {
  beforeEach(() => {
    // Warnings from failed replies go to stdout as workflow commands; keep the test output clean.
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
  })
  afterEach(() => vi.restoreAllMocks())

  it('accepts a writer on an open pull request of this repository, with an eyes reaction', async () => {
    const fx = fakeApi({ permission: 'write' })
    const decision = await judgeComment(fx.api, comment())
    expect(decision).toMatchObject({
      kind: 'accepted',
      author: 'alice',
      command: { task: 'triage', budget: {} },
      pull: { number: 5, headBranch: 'feature' }
    })
    expect(fx.reactions).toEqual([{ id: 77, content: 'eyes' }])
    expect(fx.replies).toEqual([])
  })

  it('ignores comments that are not new /optimize commands, without a call', async () => {
    const fx = fakeApi({ permission: 'admin' })
    expect(await judgeComment(fx.api, comment({ body: 'looks good' }))).toMatchObject({
      kind: 'ignored'
    })
    expect(await judgeComment(fx.api, comment({ action: 'edited' }))).toMatchObject({
      kind: 'ignored'
    })
    expect(fx.raw.getCollaboratorPermission).not.toHaveBeenCalled()
    expect(fx.replies).toEqual([])
  })

  it.each([
    [
      'a reader',
      { permission: 'read' },
      {},
      /^@alice `\/optimize` runs only for people with write access/,
      '-1'
    ],
    [
      'a fork',
      { permission: 'write', pull: { headRepo: 'mallory/prompts' } },
      {},
      /comes from a fork/,
      '-1'
    ],
    [
      'a deleted fork',
      { permission: 'write', pull: { headRepo: undefined } },
      {},
      /comes from a fork/,
      '-1'
    ],
    [
      'a closed pull request',
      { permission: 'admin', pull: { state: 'closed' as const } },
      {},
      /this pull request is closed/,
      'confused'
    ],
    [
      'an issue',
      { permission: 'write' },
      { onPullRequest: false },
      /works on pull requests/,
      'confused'
    ],
    [
      'bad arguments',
      { permission: 'write' },
      { body: '/optimize method=gradient' },
      /^@alice `method` must be `apo`, `metaspo` or `gepa`/,
      'confused'
    ]
  ])('refuses %s with a reply and a reaction', async (_what, api, over, reply, reaction) => {
    const fx = fakeApi(api)
    const decision = await judgeComment(fx.api, comment(over))
    expect(decision.kind).toBe('refused')
    expect(fx.replies).toHaveLength(1)
    expect(fx.replies[0]?.issue).toBe(5)
    expect(fx.replies[0]?.body).toMatch(reply)
    expect(fx.reactions).toEqual([{ id: 77, content: reaction }])
  })

  it('checks write access before reading the arguments, so strangers learn nothing more', async () => {
    const fx = fakeApi({ permission: 'none' })
    await judgeComment(fx.api, comment({ body: '/optimize nonsense' }))
    expect(fx.replies[0]?.body).toContain('write access')
    expect(fx.raw.getPullRequest).not.toHaveBeenCalled()
  })

  it('still refuses when the reply cannot be posted (a read-only token)', async () => {
    const fx = fakeApi({ permission: 'read' })
    fx.raw.createIssueComment.mockImplementation(() => Promise.reject(new Error('403 nope')))
    expect(await judgeComment(fx.api, comment())).toMatchObject({ kind: 'refused' })
  })
})
