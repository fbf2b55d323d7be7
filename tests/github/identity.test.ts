/** Who the token is, against the fake GitHub server: a person's token, GITHUB_TOKEN, an App's. */
import { afterEach, describe, expect, it } from 'vitest'
import { DEFAULT_TOKEN_LOGIN, tokenIdentity } from '../../src/github/identity.js'
import { FAKE_GITHUB_TOKEN } from '../helpers/fake-github-server.js'
import { startGitHub } from './fixture.js'
import type { GitHubFixture } from './fixture.js'

let fx: GitHubFixture | undefined
afterEach(async () => {
  await fx?.gh.close()
  fx = undefined
})

const asked = (f: GitHubFixture): string[] => f.gh.requests.map((r) => `${r.method} ${r.path}`)

describe('tokenIdentity', () => {
  it("reads a person's token from GET /user", async () => {
    fx = await startGitHub({ tokens: { [FAKE_GITHUB_TOKEN]: 'alice' } })
    expect(await tokenIdentity(fx.api)).toEqual({ login: 'alice', source: 'api' })
    expect(asked(fx)).toEqual(['GET /user'])
  })

  it('reads an installation token (GET /user refused) from GraphQL viewer', async () => {
    fx = await startGitHub({ tokens: { [FAKE_GITHUB_TOKEN]: 'my-app[bot]' } })
    expect(await tokenIdentity(fx.api)).toEqual({ login: 'my-app[bot]', source: 'api' })
    expect(asked(fx)).toEqual(['GET /user', 'POST /graphql'])
  })

  it("assumes the default token's bot when GitHub will not say", async () => {
    fx = await startGitHub({ botViewer: false })
    expect(await tokenIdentity(fx.api)).toEqual({ login: DEFAULT_TOKEN_LOGIN, source: 'default' })
  })
})
