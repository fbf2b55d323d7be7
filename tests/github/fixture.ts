/** Starts the fake GitHub server and the real Octokit-backed port pointed at it. */
import { createGitHubApi } from '../../src/github/api.js'
import type { GitHubApi } from '../../src/github/api.js'
import { FAKE_GITHUB_TOKEN, startFakeGitHubServer } from '../helpers/fake-github-server.js'
import type { FakeGitHubOptions, FakeGitHubServer } from '../helpers/fake-github-server.js'

export interface GitHubFixture {
  gh: FakeGitHubServer
  api: GitHubApi
}

export async function startGitHub(options: FakeGitHubOptions = {}): Promise<GitHubFixture> {
  const gh = await startFakeGitHubServer(options)
  const api = createGitHubApi({
    token: FAKE_GITHUB_TOKEN,
    baseUrl: gh.url,
    owner: gh.state.owner,
    repo: gh.state.repo
  })
  return { gh, api }
}

/** Requests that changed state (anything but GET). */
export function writes(gh: FakeGitHubServer): string[] {
  return gh.requests.filter((r) => r.method !== 'GET').map((r) => `${r.method} ${r.path}`)
}
