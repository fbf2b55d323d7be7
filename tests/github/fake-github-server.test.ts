import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { FAKE_GITHUB_TOKEN, startFakeGitHubServer } from '../helpers/fake-github-server.js'
import type { FakeGitHubServer } from '../helpers/fake-github-server.js'

describe('the fake GitHub server itself', () => {
  let gh: FakeGitHubServer
  beforeEach(async () => {
    gh = await startFakeGitHubServer()
  })
  afterEach(() => gh.close())

  const get = (path: string, auth = `Bearer ${FAKE_GITHUB_TOKEN}`) =>
    fetch(`${gh.url}${path}`, { headers: auth ? { authorization: auth } : {} })

  it('listens on loopback and requires a token', async () => {
    expect(gh.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect((await get('/repos/octo/prompts', '')).status).toBe(401)
    expect((await get('/repos/octo/prompts', 'token nope')).status).toBe(401)
    const ok = await get('/repos/octo/prompts')
    expect(ok.status).toBe(200)
    expect(await ok.json()).toMatchObject({ default_branch: 'main', full_name: 'octo/prompts' })
    expect(gh.requests.map((r) => r.status)).toEqual([401, 401, 200])
  })

  it('paginates with Link headers', async () => {
    const issue = gh.state.addIssue()
    for (let i = 0; i < 45; i++) gh.state.addComment(issue, `c${i}`)
    const first = await get(`/repos/octo/prompts/issues/${issue}/comments?per_page=20`)
    expect(((await first.json()) as unknown[]).length).toBe(20)
    const link = first.headers.get('link') ?? ''
    expect(link).toContain(`page=2>; rel="next"`)
    expect(link).toContain(`page=3>; rel="last"`)
    const last = await get(`/repos/octo/prompts/issues/${issue}/comments?per_page=20&page=3`)
    expect(((await last.json()) as Array<{ body: string }>).map((c) => c.body)).toEqual([
      'c40',
      'c41',
      'c42',
      'c43',
      'c44'
    ])
    expect(last.headers.get('link')).toContain('rel="prev"')
    expect(last.headers.get('link')).not.toContain('rel="next"')
  })

  it('injects a failure a limited number of times', async () => {
    gh.inject({ method: 'GET', path: '/repos/octo/prompts', status: 500, times: 1 })
    expect((await get('/repos/octo/prompts')).status).toBe(500)
    expect((await get('/repos/octo/prompts')).status).toBe(200)
  })

  it('keeps trees per commit so a test can see what a commit changed', () => {
    const { state } = gh
    const a = state.commitFiles('main', { 'p/x.md': 'x1', 'p/y.md': 'y1' })
    const b = state.commitFiles('main', { 'p/x.md': 'x2', 'README.md': null })
    expect(state.changedFiles(b)).toEqual({ 'p/x.md': 'x2', 'README.md': null })
    expect(state.filesAt(a)).toEqual({ 'README.md': '# prompts\n', 'p/x.md': 'x1', 'p/y.md': 'y1' })
    expect(state.isAncestor(a, b)).toBe(true)
    expect(state.isAncestor(b, a)).toBe(false)
  })
})
