/**
 * Without a baseUrl, @actions/github 9 takes the API URL from GITHUB_API_URL when the module is
 * first loaded — which is how the built action reaches a fake server (or GHES) under a runner.
 * This file imports it only after setting the variable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FAKE_GITHUB_TOKEN, startFakeGitHubServer } from '../helpers/fake-github-server.js'
import type { FakeGitHubServer } from '../helpers/fake-github-server.js'

describe('GITHUB_API_URL', () => {
  let gh: FakeGitHubServer
  beforeAll(async () => {
    gh = await startFakeGitHubServer()
  })
  afterAll(() => gh.close())

  it('is the default base URL when none is passed', async () => {
    process.env['GITHUB_API_URL'] = gh.url
    try {
      const { createGitHubApi } = await import('../../src/github/api.js')
      const api = createGitHubApi({ token: FAKE_GITHUB_TOKEN, owner: 'octo', repo: 'prompts' })
      expect(await api.getDefaultBranch()).toBe('main')
      expect(gh.requests.map((r) => r.path)).toEqual(['/repos/octo/prompts'])
    } finally {
      delete process.env['GITHUB_API_URL']
    }
  })
})
