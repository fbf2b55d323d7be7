import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { commentOnCommit } from '../../src/github/commit-comment.js'
import { hasWriteAccess } from '../../src/github/permissions.js'
import { startGitHub } from './fixture.js'
import type { GitHubFixture } from './fixture.js'

describe('hasWriteAccess', () => {
  let fx: GitHubFixture
  beforeEach(async () => {
    fx = await startGitHub()
  })
  afterEach(() => fx.gh.close())

  it('admin, maintain and write may; triage, read and strangers may not', async () => {
    const roles = ['admin', 'maintain', 'write', 'triage', 'read'] as const
    for (const role of roles) fx.gh.state.collaborators.set(`u-${role}`, role)
    const answers: Record<string, boolean> = {}
    for (const user of [...roles.map((r) => `u-${r}`), 'stranger']) {
      answers[user] = await hasWriteAccess(fx.api, user)
    }
    expect(answers).toEqual({
      'u-admin': true,
      'u-maintain': true,
      'u-write': true,
      'u-triage': false,
      'u-read': false,
      stranger: false
    })
    expect(fx.gh.requests.at(-1)?.path).toBe(
      '/repos/octo/prompts/collaborators/stranger/permission'
    )
  })

  it('a login GitHub does not know has no access', async () => {
    fx.gh.inject({
      method: 'GET',
      path: /\/collaborators\/ghost\/permission$/,
      status: 404,
      message: 'Not Found'
    })
    expect(await hasWriteAccess(fx.api, 'ghost')).toBe(false)
  })
})

describe('commentOnCommit', () => {
  let fx: GitHubFixture
  beforeEach(async () => {
    fx = await startGitHub()
  })
  afterEach(() => fx.gh.close())

  it('comments on the commit', async () => {
    const sha = fx.gh.state.refs.get('main') ?? ''
    const result = await commentOnCommit(fx.api, sha, '**triage** dropped from 0.82 to 0.71')
    expect(result).toMatchObject({ action: 'created', truncated: false })
    expect(result.action === 'created' && result.url).toBe(
      `https://github.com/octo/prompts/commit/${sha}#commitcomment-${result.action === 'created' ? result.id : 0}`
    )
    expect(fx.gh.state.commitComments).toEqual([
      expect.objectContaining({ commitId: sha, body: '**triage** dropped from 0.82 to 0.71' })
    ])
  })

  it('a 403 is a warning naming contents: write', async () => {
    fx.gh.inject({ method: 'POST', path: /\/commits\/[0-9a-f]+\/comments$/, status: 403 })
    const result = await commentOnCommit(fx.api, fx.gh.state.refs.get('main') ?? '', 'alert')
    expect(result.action).toBe('skipped')
    expect(result.action === 'skipped' && result.warning).toContain('permissions: contents: write')
    expect(fx.gh.state.commitComments).toHaveLength(0)
  })
})
