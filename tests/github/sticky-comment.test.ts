import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { markerComment, upsertStickyComment } from '../../src/github/sticky-comment.js'
import { GITHUB_BODY_LIMIT } from '../../src/github/truncate.js'
import { startGitHub } from './fixture.js'
import type { GitHubFixture } from './fixture.js'

const BOT = 'github-actions[bot]'
const MARKER = 'prompt-descent:gate'

describe('upsertStickyComment', () => {
  let fx: GitHubFixture
  let pr: number
  beforeEach(async () => {
    fx = await startGitHub()
    pr = fx.gh.state.addIssue()
  })
  afterEach(() => fx.gh.close())

  it('creates the comment, then updates the same one', async () => {
    const first = await upsertStickyComment(fx.api, {
      issueNumber: pr,
      marker: MARKER,
      body: 'score 0.80',
      authorLogin: BOT
    })
    expect(first).toMatchObject({ action: 'created', truncated: false })
    const second = await upsertStickyComment(fx.api, {
      issueNumber: pr,
      marker: MARKER,
      body: 'score 0.85',
      authorLogin: BOT
    })
    expect(second.action).toBe('updated')
    const comments = fx.gh.state.commentsOn(pr)
    expect(comments).toHaveLength(1)
    expect(comments[0]?.body).toBe('<!-- prompt-descent:gate -->\nscore 0.85')
    expect(comments[0]?.user.login).toBe(BOT)
    expect(
      first.action !== 'skipped' && second.action !== 'skipped' && first.id === second.id
    ).toBe(true)
    expect(first.action !== 'skipped' && first.url).toMatch(
      new RegExp(`/issues/${pr}#issuecomment-\\d+$`)
    )
  })

  it('does not write when the body is the same', async () => {
    await upsertStickyComment(fx.api, {
      issueNumber: pr,
      marker: MARKER,
      body: 'same',
      authorLogin: BOT
    })
    const again = await upsertStickyComment(fx.api, {
      issueNumber: pr,
      marker: MARKER,
      body: 'same',
      authorLogin: BOT
    })
    expect(again.action).toBe('unchanged')
    expect(fx.gh.requests.filter((r) => r.method === 'PATCH')).toHaveLength(0)
  })

  it('finds ours among 150 comments, on page 2, by following the Link header', async () => {
    for (let i = 0; i < 120; i++) fx.gh.state.addComment(pr, `chatter ${i}`)
    const ours = fx.gh.state.addComment(pr, `${markerComment(MARKER)}\nold table`, BOT, 'Bot')
    for (let i = 0; i < 29; i++) fx.gh.state.addComment(pr, `more chatter ${i}`)
    expect(fx.gh.state.commentsOn(pr)).toHaveLength(150)

    const result = await upsertStickyComment(fx.api, {
      issueNumber: pr,
      marker: MARKER,
      body: 'new table',
      authorLogin: BOT
    })

    expect(result).toMatchObject({ action: 'updated', id: ours.id })
    expect(fx.gh.state.commentsOn(pr)).toHaveLength(150)
    expect(ours.body).toBe(`${markerComment(MARKER)}\nnew table`)
    const pages = fx.gh.requests.filter(
      (r) => r.method === 'GET' && r.path.endsWith(`/issues/${pr}/comments`)
    )
    expect(pages.map((r) => r.query['page'] ?? '1')).toEqual(['1', '2'])
    expect(pages.every((r) => r.query['per_page'] === '100')).toBe(true)
  })

  it('searches every page and creates when the marker is nowhere', async () => {
    for (let i = 0; i < 230; i++) fx.gh.state.addComment(pr, `chatter ${i}`)
    const result = await upsertStickyComment(fx.api, {
      issueNumber: pr,
      marker: MARKER,
      body: 'table',
      authorLogin: BOT
    })
    expect(result.action).toBe('created')
    const pages = fx.gh.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/comments'))
    expect(pages).toHaveLength(3)
    expect(fx.gh.state.commentsOn(pr)).toHaveLength(231)
  })

  it('does not take a comment with our marker by another author', async () => {
    const quoted = fx.gh.state.addComment(pr, `> ${markerComment(MARKER)}\n> quoted table`, 'alice')
    const result = await upsertStickyComment(fx.api, {
      issueNumber: pr,
      marker: MARKER,
      body: 'table',
      authorLogin: BOT
    })
    expect(result.action).toBe('created')
    expect(quoted.body).toContain('quoted table')
    expect(fx.gh.state.commentsOn(pr).map((c) => c.user.login)).toEqual(['alice', BOT])
  })

  it("does not take a person's comment that copies our marker on its first line (no 403, no edit)", async () => {
    const forged = fx.gh.state.addComment(
      pr,
      `${markerComment(MARKER)}\nlooks like ours`,
      'mallory'
    )
    const result = await upsertStickyComment(fx.api, {
      issueNumber: pr,
      marker: MARKER,
      body: 'table',
      authorLogin: BOT
    })
    expect(result.action).toBe('created')
    expect(forged.body).toBe(`${markerComment(MARKER)}\nlooks like ours`)
    expect(fx.gh.requests.filter((r) => r.method === 'PATCH')).toHaveLength(0)
  })

  it("matches the marker only on the first line: another config's comment quoting it is not ours", async () => {
    // Our own comment for config b.yml, whose table shows a dataset row id holding a.yml's marker.
    const other = fx.gh.state.addComment(
      pr,
      `${markerComment('prompt-descent:b.yml')}\n| \`${markerComment(MARKER)}\` | 1 |`,
      BOT,
      'Bot'
    )
    const result = await upsertStickyComment(fx.api, {
      issueNumber: pr,
      marker: MARKER,
      body: 'table for a.yml',
      authorLogin: BOT
    })
    expect(result.action).toBe('created')
    expect(other.body).toContain('prompt-descent:b.yml')
    expect(fx.gh.state.commentsOn(pr)).toHaveLength(2)
  })

  it('turns a 403 into a warning that names the permission', async () => {
    fx.gh.inject({ method: 'POST', path: /\/issues\/\d+\/comments$/, status: 403 })
    const result = await upsertStickyComment(fx.api, {
      issueNumber: pr,
      marker: MARKER,
      body: 'table',
      authorLogin: BOT
    })
    expect(result.action).toBe('skipped')
    expect(result.action === 'skipped' && result.warning).toContain(
      'permissions: pull-requests: write'
    )
    expect(result.action === 'skipped' && result.warning).toContain(
      'Resource not accessible by integration'
    )
    expect(fx.gh.state.commentsOn(pr)).toHaveLength(0)
  })

  it('keeps a huge body under the limit, with the marker and a note', async () => {
    const table = Array.from({ length: 5000 }, (_, i) => `| task-${i} | 0.${i % 100} |`).join('\n')
    const result = await upsertStickyComment(fx.api, {
      issueNumber: pr,
      marker: MARKER,
      body: `<details><summary>rows</summary>\n\n\`\`\`\n${table}`,
      truncationNote: 'See the job summary.',
      authorLogin: BOT
    })
    expect(result).toMatchObject({ action: 'created', truncated: true })
    const body = fx.gh.state.commentsOn(pr)[0]?.body ?? ''
    expect(body.length).toBeLessThan(GITHUB_BODY_LIMIT)
    expect(body.startsWith(markerComment(MARKER))).toBe(true)
    expect(body).toContain('See the job summary.')
    expect(body.split('\n').filter((l) => l.startsWith('```'))).toHaveLength(2)
    expect(body).toContain('</details>')
  })

  it('rejects a marker that would end the HTML comment early', async () => {
    await expect(
      upsertStickyComment(fx.api, {
        issueNumber: pr,
        marker: 'a-->b',
        body: 'x',
        authorLogin: BOT
      })
    ).rejects.toThrow(/marker/)
  })
})
