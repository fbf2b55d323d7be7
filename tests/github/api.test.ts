import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createGitHubApi } from '../../src/github/api.js'
import {
  GitHubApiError,
  GitHubNotFoundError,
  GitHubPermissionError,
  NotFastForwardError,
  RefExistsError
} from '../../src/github/errors.js'
import { InputError } from '../../src/errors.js'
import { FAKE_GITHUB_TOKEN } from '../helpers/fake-github-server.js'
import { startGitHub } from './fixture.js'
import type { GitHubFixture } from './fixture.js'

describe('createGitHubApi against the fake server (real Octokit)', () => {
  let fx: GitHubFixture
  beforeEach(async () => {
    fx = await startGitHub({ files: { 'prompts/a.md': 'héllo\n' } })
  })
  afterEach(() => fx.gh.close())

  it('sends every request to baseUrl with the token', async () => {
    expect(await fx.api.getDefaultBranch()).toBe('main')
    expect(await fx.api.readFile('prompts/a.md', 'main')).toBe('héllo\n')
    expect(await fx.api.readFile('prompts/missing.md', 'main')).toBeUndefined()
    expect(fx.gh.requests.map((r) => r.path)).toEqual([
      '/repos/octo/prompts',
      '/repos/octo/prompts/contents/prompts/a.md',
      '/repos/octo/prompts/contents/prompts/missing.md'
    ])
    expect(fx.gh.requests.every((r) => r.authorization === `token ${FAKE_GITHUB_TOKEN}`)).toBe(true)
  })

  it('reads and writes git data, with branch names that contain slashes', async () => {
    const main = await fx.api.getBranchSha('main')
    expect(main).toBe(fx.gh.state.refs.get('main'))
    expect(await fx.api.getBranchSha('no/such/branch')).toBeUndefined()
    const commit = await fx.api.getCommit(main ?? '')
    const blob = await fx.api.createBlob('new\n')
    const tree = await fx.api.createTree({
      baseTree: commit.treeSha,
      changes: [{ path: 'b/c.md', blobSha: blob }]
    })
    const sha = await fx.api.createCommit({ message: 'add', tree, parents: [commit.sha] })
    await fx.api.createBranch('a/b', sha)
    expect(await fx.api.getBranchSha('a/b')).toBe(sha)
    expect(fx.gh.state.filesAt('a/b')).toEqual({ 'prompts/a.md': 'héllo\n', 'b/c.md': 'new\n' })
    await expect(fx.api.createBranch('a/b', sha)).rejects.toBeInstanceOf(RefExistsError)
    await expect(fx.api.updateBranch('a/b', commit.sha, { force: false })).rejects.toBeInstanceOf(
      NotFastForwardError
    )
    await fx.api.updateBranch('a/b', commit.sha, { force: true })
    expect(fx.gh.state.refs.get('a/b')).toBe(commit.sha)
  })

  it('maps 403 and 404 to typed errors that name the permission', async () => {
    fx.gh.inject({ method: 'POST', path: '/repos/octo/prompts/pulls', status: 403 })
    const denied = await fx.api
      .createPullRequest({ headBranch: 'x', base: 'main', title: 't', body: 'b' })
      .catch((e: unknown) => e)
    expect(denied).toBeInstanceOf(GitHubPermissionError)
    expect(denied).toMatchObject({ status: 403, permission: 'pull-requests: write', exitCode: 3 })
    expect((denied as Error).message).toMatch(
      /create a pull request from x: 403 .*permissions: pull-requests: write/
    )

    const missing = await fx.api.getPullRequest(99).catch((e: unknown) => e)
    expect(missing).toBeInstanceOf(GitHubNotFoundError)
    expect((missing as Error).message).toContain('read pull request #99: 404')
  })

  it('says how to fix the "Actions may not create pull requests" setting', async () => {
    fx.gh.inject({
      method: 'POST',
      path: '/repos/octo/prompts/pulls',
      status: 403,
      message: 'GitHub Actions is not permitted to create or approve pull requests.'
    })
    const error = await fx.api
      .createPullRequest({ headBranch: 'x', base: 'main', title: 't', body: 'b' })
      .catch((e: unknown) => e)
    expect((error as Error).message).toContain(
      'Allow GitHub Actions to create and approve pull requests'
    )
  })

  it('does not call a rate limit a permission problem', async () => {
    fx.gh.inject({
      method: 'GET',
      path: '/repos/octo/prompts',
      status: 403,
      message: 'API rate limit exceeded',
      headers: { 'x-ratelimit-remaining': '0' }
    })
    const error = await fx.api.getDefaultBranch().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GitHubApiError)
    expect(error).not.toBeInstanceOf(GitHubPermissionError)
    expect((error as Error).message).toMatch(/rate limit/)
  })

  it('surfaces the details of a 422', async () => {
    const error = await fx.api
      .createPullRequest({ headBranch: 'main', base: 'main', title: 't', body: 'b' })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GitHubApiError)
    expect((error as Error).message).toMatch(/422 .*No commits between main and main/)
  })

  it('a bad token is a permission error, and no token is an input error', async () => {
    const api = createGitHubApi({
      token: 'wrong',
      baseUrl: fx.gh.url,
      owner: 'octo',
      repo: 'prompts'
    })
    const error = await api.getDefaultBranch().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GitHubPermissionError)
    expect((error as Error).message).toMatch(/401 Bad credentials/)
    expect((error as Error).message).not.toContain('wrong')
    expect(() => createGitHubApi({ token: '', owner: 'o', repo: 'r' })).toThrow(InputError)
  })

  it('lists pull requests by head branch only', async () => {
    fx.gh.state.commitFiles('feature', { 'x.md': 'x' })
    fx.gh.state.commitFiles('other', { 'y.md': 'y' })
    const mine = await fx.api.createPullRequest({
      headBranch: 'feature',
      base: 'main',
      title: 'f',
      body: ''
    })
    await fx.api.createPullRequest({ headBranch: 'other', base: 'main', title: 'o', body: '' })
    const found = await fx.api.listPullRequests({ headBranch: 'feature' })
    expect(found.map((p) => p.number)).toEqual([mine.number])
    expect(found[0]).toMatchObject({
      headBranch: 'feature',
      baseBranch: 'main',
      state: 'open',
      title: 'f'
    })
  })

  it('reacts to a comment', async () => {
    const issue = fx.gh.state.addIssue()
    const comment = fx.gh.state.addComment(issue, '/optimize', 'alice')
    await fx.api.addCommentReaction(comment.id, 'eyes')
    expect(comment.reactions).toEqual(['eyes'])
  })
})
