import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { proposeChanges } from '../../src/github/pull-request.js'
import type { ProposeChangesOptions } from '../../src/github/pull-request.js'
import { InputError } from '../../src/errors.js'
import { GitHubPermissionError } from '../../src/github/errors.js'
import { startGitHub, writes } from './fixture.js'
import type { GitHubFixture } from './fixture.js'

const BRANCH = 'prompt-descent/optimize/triage'
const BASE_FILES = {
  'README.md': '# app\n',
  'prompts/system.md': 'You are helpful.\n',
  'prompts/triage.md': 'Classify {{ticket}}.\n',
  'evals/triage.jsonl': '{"ticket":"x","label":"bug"}\n'
}

function options(overrides: Partial<ProposeChangesOptions> = {}): ProposeChangesOptions {
  return {
    base: 'main',
    branch: BRANCH,
    files: [{ path: 'prompts/triage.md', content: 'Classify {{ticket}} into one label.\n' }],
    commitMessage: 'prompt-descent: improve triage',
    title: 'Improve the triage prompt (+8 points)',
    body: 'before 0.70, after 0.78',
    labels: ['prompt-descent'],
    reviewers: ['alice'],
    ...overrides
  }
}

describe('proposeChanges', () => {
  let fx: GitHubFixture
  beforeEach(async () => {
    fx = await startGitHub({ files: BASE_FILES })
  })
  afterEach(() => fx.gh.close())

  it('first run: a branch with one commit holding exactly the changed files, and a pull request', async () => {
    const { state } = fx.gh
    const baseSha = state.refs.get('main')
    const result = await proposeChanges(
      fx.api,
      options({
        files: [
          { path: 'prompts/triage.md', content: 'Classify {{ticket}} into one label.\n' },
          { path: 'prompts/system.md', content: 'You are helpful.\n' }, // unchanged: not in the diff
          { path: 'prompts/new.md', content: 'A new prompt.\n' }
        ]
      })
    )

    expect(result).toMatchObject({ action: 'created', number: 1, warnings: [] })
    expect(result.url).toBe('https://github.com/octo/prompts/pull/1')
    expect(state.refs.get(BRANCH)).toBe(result.commitSha)
    const commit = state.commits.get(result.commitSha ?? '')
    expect(commit?.parents).toEqual([baseSha])
    expect(commit?.message).toBe('prompt-descent: improve triage')
    expect(state.changedFiles(result.commitSha ?? '')).toEqual({
      'prompts/triage.md': 'Classify {{ticket}} into one label.\n',
      'prompts/new.md': 'A new prompt.\n'
    })
    expect(state.filesAt(BRANCH)['evals/triage.jsonl']).toBe(BASE_FILES['evals/triage.jsonl'])
    expect(state.refs.get('main')).toBe(baseSha)

    expect(state.pulls).toHaveLength(1)
    expect(state.pulls[0]).toMatchObject({
      head: BRANCH,
      base: 'main',
      title: 'Improve the triage prompt (+8 points)',
      body: 'before 0.70, after 0.78',
      state: 'open',
      draft: false,
      labels: ['prompt-descent'],
      requestedReviewers: ['alice']
    })
  })

  it('second run with new contents: force-updates the same branch and edits the same pull request', async () => {
    const { state } = fx.gh
    const first = await proposeChanges(fx.api, options())
    // The base moves on meanwhile: the new commit sits on the new base, not on the old branch.
    const newBase = state.commitFiles('main', { 'README.md': '# app v2\n' }, 'docs')
    const second = await proposeChanges(
      fx.api,
      options({
        files: [
          { path: 'prompts/triage.md', content: 'Read {{ticket}}; answer with one label.\n' }
        ],
        title: 'Improve the triage prompt (+11 points)',
        body: 'before 0.70, after 0.81'
      })
    )

    expect(second).toMatchObject({ action: 'updated', number: first.number })
    expect(second.commitSha).not.toBe(first.commitSha)
    expect(state.commits.get(second.commitSha ?? '')?.parents).toEqual([newBase])
    expect(state.isAncestor(first.commitSha ?? '', second.commitSha ?? '')).toBe(false)
    expect(state.refs.get(BRANCH)).toBe(second.commitSha)
    expect(state.changedFiles(second.commitSha ?? '')).toEqual({
      'prompts/triage.md': 'Read {{ticket}}; answer with one label.\n'
    })
    const forced = fx.gh.requests.find((r) => r.method === 'PATCH' && r.path.includes('/git/refs/'))
    expect(forced?.body).toMatchObject({ force: true })

    expect(state.pulls).toHaveLength(1)
    expect(state.pulls[0]).toMatchObject({
      title: 'Improve the triage prompt (+11 points)',
      body: 'before 0.70, after 0.81'
    })
    // Reviewers were asked once, when the PR opened.
    expect(fx.gh.requests.filter((r) => r.path.endsWith('/requested_reviewers'))).toHaveLength(1)
  })

  it('same contents again: unchanged, nothing pushed', async () => {
    const first = await proposeChanges(fx.api, options())
    const before = fx.gh.requests.length
    const again = await proposeChanges(fx.api, options())
    expect(again).toMatchObject({
      action: 'unchanged',
      number: first.number,
      commitSha: first.commitSha
    })
    const later = fx.gh.requests.slice(before)
    expect(later.some((r) => r.path.includes('/git/refs') || r.path.endsWith('/git/commits'))).toBe(
      false
    )
    expect(later.some((r) => r.method === 'PATCH' && r.path.includes('/pulls/'))).toBe(false)
    expect(fx.gh.state.pulls).toHaveLength(1)
  })

  it('unchanged branch with a new body: the body is refreshed, the branch is not pushed', async () => {
    const first = await proposeChanges(fx.api, options())
    const again = await proposeChanges(
      fx.api,
      options({ body: 'before 0.70, after 0.78 (re-run)' })
    )
    expect(again.action).toBe('unchanged')
    expect(fx.gh.state.refs.get(BRANCH)).toBe(first.commitSha)
    expect(fx.gh.state.pulls[0]?.body).toBe('before 0.70, after 0.78 (re-run)')
  })

  it('files equal to the base: not-needed, nothing written', async () => {
    const result = await proposeChanges(
      fx.api,
      options({
        files: [{ path: 'prompts/triage.md', content: BASE_FILES['prompts/triage.md'] }]
      })
    )
    expect(result).toMatchObject({ action: 'not-needed', number: undefined, commitSha: undefined })
    expect(writes(fx.gh)).toEqual([])
    expect(fx.gh.state.refs.has(BRANCH)).toBe(false)
  })

  it('not-needed reports the open pull request it leaves alone', async () => {
    const first = await proposeChanges(fx.api, options())
    const result = await proposeChanges(
      fx.api,
      options({
        files: [{ path: 'prompts/triage.md', content: BASE_FILES['prompts/triage.md'] }]
      })
    )
    expect(result).toMatchObject({ action: 'not-needed', number: first.number, url: first.url })
    expect(fx.gh.state.pulls[0]?.state).toBe('open')
    expect(fx.gh.state.refs.get(BRANCH)).toBe(first.commitSha)
  })

  it('opens a new pull request when the earlier one was closed', async () => {
    await proposeChanges(fx.api, options())
    const pull = fx.gh.state.pulls[0]
    if (pull) pull.state = 'closed'
    const result = await proposeChanges(fx.api, options())
    expect(result).toMatchObject({ action: 'created', number: 2 })
    expect(fx.gh.state.pulls.map((p) => p.state)).toEqual(['closed', 'open'])
  })

  it('creates a draft, and turns label and reviewer failures into warnings', async () => {
    fx.gh.inject({ method: 'POST', path: /\/issues\/\d+\/labels$/, status: 403 })
    const result = await proposeChanges(
      fx.api,
      options({ draft: true, reviewers: ['github-actions[bot]'] })
    )
    expect(result.action).toBe('created')
    expect(fx.gh.state.pulls[0]?.draft).toBe(true)
    expect(result.warnings).toHaveLength(2)
    expect(result.warnings[0]).toMatch(/label.*permissions: pull-requests: write/s)
    expect(result.warnings[1]).toMatch(/Review cannot be requested from pull request author/)
  })

  it('a token without contents: write fails with the permission named', async () => {
    fx.gh.inject({ method: 'POST', path: /\/git\/blobs$/, status: 403 })
    const error = await proposeChanges(fx.api, options()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(GitHubPermissionError)
    expect((error as GitHubPermissionError).permission).toBe('contents: write')
    expect((error as Error).message).toContain('permissions: contents: write')
  })

  it('rejects unsafe paths and a missing base', async () => {
    await expect(
      proposeChanges(fx.api, options({ files: [{ path: '../etc/passwd', content: 'x' }] }))
    ).rejects.toThrow(InputError)
    await expect(proposeChanges(fx.api, options({ base: 'nope' }))).rejects.toThrow(
      /base branch "nope" does not exist/
    )
    expect(writes(fx.gh)).toEqual([])
  })
})
