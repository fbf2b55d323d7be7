/** provider.type github-models: endpoint, token, org route, rate limits, prices, refusals. */
import { afterEach, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config/load-project.js'
import { InputError, ProviderError } from '../../src/errors.js'
import { freeTierWarnings, rateTier } from '../../src/llm/github-models-limits.js'
import { createModelSet } from '../../src/llm/model-stack.js'
import type { ModelRuntime } from '../../src/llm/model-stack.js'
import { GITHUB_MODELS_BASE_URL, resolveBaseUrl } from '../../src/llm/provider-env.js'
import { parseRetryAfter } from '../../src/llm/retry.js'
import { startFakeOpenAI } from '../helpers/fake-openai-server.js'
import type { FakeOpenAI } from '../helpers/fake-openai-server.js'
import { testConfig } from './config-fixture.js'

const TOKEN = 'ghs_workflowtoken0123456789'
let server: FakeOpenAI | undefined
const runtimes: ModelRuntime[] = []
afterEach(async () => {
  for (const r of runtimes.splice(0)) r.dispose()
  await server?.close()
  server = undefined
})

function runtime(env: Record<string, string>, provider: Record<string, unknown> = {}) {
  const config = testConfig({
    cache: { enabled: false, dir: '.cache' },
    provider: {
      type: 'github-models',
      apiKeyEnv: 'GITHUB_TOKEN',
      baseUrl: undefined,
      maxRetries: 2,
      ...provider
    },
    models: {
      target: { model: 'openai/gpt-4o-mini', temperature: 0, maxTokens: undefined },
      optimizer: { model: 'openai/gpt-4o', temperature: 1, maxTokens: undefined },
      judge: { model: 'openai/gpt-4o', temperature: 0, maxTokens: undefined }
    }
  })
  const r = createModelSet(config, { env, root: '/nonexistent', cache: false, retryBaseDelayMs: 1 })
  runtimes.push(r)
  return r
}

const hello = { messages: [{ role: 'user' as const, content: 'hello' }] }

describe('provider.type github-models', () => {
  it('is read from the config with GITHUB_TOKEN as its default key variable', () => {
    const config = parseConfig(
      'provider: { type: github-models, org: my-org }\nmodels: { target: openai/gpt-4o-mini }\ntasks: [{name: t, prompt: p.md, data: d.jsonl}]\n',
      'prompt-descent.yml'
    )
    expect(config.provider).toMatchObject({
      type: 'github-models',
      apiKeyEnv: 'GITHUB_TOKEN',
      org: 'my-org'
    })
    expect(() =>
      parseConfig(
        'provider: { org: my-org }\nmodels: { target: m }\ntasks: [{name: t, prompt: p.md, data: d.jsonl}]\n',
        'prompt-descent.yml'
      )
    ).toThrow(/provider.org: expected `org:` only with `type: github-models`/)
  })

  it('resolves the endpoint: default, GITHUB_MODELS_BASE_URL, base_url, and the org route', () => {
    const p = testConfig({ provider: { type: 'github-models' } }).provider
    expect(resolveBaseUrl(p, {})).toBe(GITHUB_MODELS_BASE_URL)
    expect(resolveBaseUrl(p, { GITHUB_MODELS_BASE_URL: 'http://proxy/inference/' })).toBe(
      'http://proxy/inference'
    )
    expect(resolveBaseUrl({ ...p, baseUrl: 'https://ghes.example/api/inference' }, {})).toBe(
      'https://ghes.example/api/inference'
    )
    expect(resolveBaseUrl({ ...p, org: 'acme' }, {})).toBe(
      'https://models.github.ai/orgs/acme/inference'
    )
  })

  it('sends the token as a bearer and publisher/model ids, priced at 0', async () => {
    server = await startFakeOpenAI({
      githubModels: { token: TOKEN },
      respond: (body) => `echo ${body.model}`
    })
    const r = runtime({ GITHUB_TOKEN: TOKEN, GITHUB_MODELS_BASE_URL: server.url })
    const reply = await r.models.target.complete(hello)
    expect(reply.text).toBe('echo openai/gpt-4o-mini')
    expect(server.record[0]?.model).toBe('openai/gpt-4o-mini')
    expect(r.ledger.hasPrice('openai/gpt-4o-mini')).toBe(true)
    expect(r.ledger.spentUsd()).toBe(0)
  })

  it('calls the organisation route with provider.org', async () => {
    server = await startFakeOpenAI({ githubModels: { token: TOKEN }, respond: () => 'ok' })
    const r = runtime({ GITHUB_TOKEN: TOKEN }, { baseUrl: server.url, org: 'acme' })
    await r.models.target.complete(hello)
    expect(server.record[0]?.org).toBe('acme')
  })

  it('waits out a 429 by x-ratelimit-timeremaining', async () => {
    server = await startFakeOpenAI({
      githubModels: { token: TOKEN, rateLimitFirstN: 1 },
      respond: () => 'ok'
    })
    const r = runtime({ GITHUB_TOKEN: TOKEN }, { baseUrl: server.url })
    expect((await r.models.target.complete(hello)).text).toBe('ok')
    expect(server.record.map((e) => e.status)).toEqual([429, 200])
    const headers = new Headers({ 'x-ratelimit-timeremaining': '12' })
    expect(parseRetryAfter(headers, 0)).toBe(12_000)
  })

  it('a refused token names `permissions: models: read` and never shows the token', async () => {
    server = await startFakeOpenAI({ githubModels: { token: TOKEN }, respond: () => 'ok' })
    const r = runtime({ GITHUB_TOKEN: 'ghs_another_token_without_models' }, { baseUrl: server.url })
    const error = await r.models.target.complete(hello).then(
      () => undefined,
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(ProviderError)
    expect((error as ProviderError).status).toBe(403)
    expect((error as Error).message).toContain('permissions: models: read')
    expect((error as Error).message).not.toContain('ghs_another')
  })

  it('without a token says where one comes from', () => {
    expect(() => runtime({})).toThrow(InputError)
    expect(() => runtime({})).toThrow(
      /no GitHub token: set the environment variable GITHUB_TOKEN.*models: read/
    )
  })
})

describe('free-tier limits', () => {
  it('a 40-row base-vs-head gate fits; an optimization run does not', () => {
    expect(rateTier('openai/gpt-4o-mini')).toBe('low')
    expect(rateTier('openai/gpt-4o')).toBe('high')
    expect(freeTierWarnings(new Map([['openai/gpt-4o-mini', 80]]))).toEqual([])
    const [line] = freeTierWarnings(new Map([['openai/gpt-4o-mini', 2400]]))
    expect(line).toContain(
      "2400 calls to openai/gpt-4o-mini (low rate tier) — more than even Copilot Enterprise's 450"
    )
    expect(line).toContain('docs.github.com')
    expect(freeTierWarnings(new Map([['openai/gpt-4o', 100]]))[0]).toContain(
      "fits Copilot Enterprise's 150 but not Copilot Free's 50"
    )
  })
})
