import { afterEach, describe, expect, it } from 'vitest'
import type { ProviderConfig } from '../../src/config/types.js'
import { CancelledError, InputError, ProviderError } from '../../src/errors.js'
import type { ChatModel } from '../../src/llm/chat-model.js'
import {
  createOpenAIModel,
  isReasoningModel,
  resolveApiKey,
  resolveBaseUrl,
  resolveHeaders
} from '../../src/llm/openai-model.js'
import { withRetry } from '../../src/llm/retry.js'
import {
  FakeHttpError,
  startFakeOpenAI,
  type FakeOpenAI,
  type FakeOpenAIOptions
} from '../helpers/fake-openai-server.js'
import { testConfig } from './config-fixture.js'
import { instantClock } from './fake-clock.js'

const KEY = 'sk-test-0123456789abcdef'
let server: FakeOpenAI | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

const echo: FakeOpenAIOptions['respond'] = (body) => `echo: ${body.messages.at(-1)?.content ?? ''}`

async function setup(
  options: Partial<FakeOpenAIOptions> = {},
  provider: Partial<ProviderConfig> = {},
  modelName = 'gpt-4o-mini'
): Promise<{ fake: FakeOpenAI; model: ChatModel }> {
  server = await startFakeOpenAI({ respond: echo, ...options })
  const config = testConfig({ provider: { timeoutMs: 2_000, ...provider } })
  const model = createOpenAIModel({
    role: 'target',
    model: { model: modelName, temperature: 0, maxTokens: 50 },
    provider: config.provider,
    apiKey: KEY,
    baseUrl: provider.apiVersion ? `${server.origin}/openai` : server.url
  })
  return { fake: server, model }
}

const ask = (content: string) => ({ messages: [{ role: 'user' as const, content }] })
const retrying = <T>(fn: () => Promise<T>, maxRetries = 3, signal?: AbortSignal) =>
  withRetry(fn, { maxRetries, random: () => 0, clock: instantClock() }, signal)

describe('createOpenAIModel against a fake OpenAI-compatible server', () => {
  it('sends the request and maps the answer and its usage', async () => {
    const { fake, model } = await setup({ latencyMs: 30 })
    const answer = await model.complete({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello there' }
      ],
      temperature: 0.3
    })
    expect(answer).toEqual({
      text: 'echo: Hello there',
      usage: { inputTokens: 3 + 3, outputTokens: 5 },
      cached: false
    })
    expect(fake.record).toEqual([
      {
        index: 0,
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hello there' }
        ],
        // Exactly these fields: a model with no further parameters sends none of them.
        body: {
          model: 'gpt-4o-mini',
          messages: [
            { role: 'system', content: 'Be brief.' },
            { role: 'user', content: 'Hello there' }
          ],
          temperature: 0.3,
          max_tokens: 50
        },
        reply: 'echo: Hello there',
        status: 200
      }
    ])
  })

  it('sends max_completion_tokens and no temperature to reasoning models', async () => {
    let seen: Record<string, unknown> = {}
    const { model } = await setup({ respond: (body) => ((seen = body), 'ok') }, {}, 'o4-mini')
    await model.complete(ask('hi'))
    expect(seen.max_completion_tokens).toBe(50)
    expect(seen).not.toHaveProperty('max_tokens')
    expect(seen).not.toHaveProperty('temperature')
    expect(isReasoningModel('openai/gpt-5-mini')).toBe(true)
    expect(isReasoningModel('gpt-4o')).toBe(false)
  })

  it('speaks Azure deployment URLs with api-version and api-key', async () => {
    let deployment: string | undefined
    let headers: Record<string, unknown> = {}
    const { model } = await setup(
      {
        apiKey: KEY,
        respond: (_body, ctx) => (
          (deployment = ctx.deployment),
          (headers = ctx.headers),
          'azure ok'
        )
      },
      { apiVersion: '2024-10-21' }
    )
    expect((await model.complete(ask('hi'))).text).toBe('azure ok')
    expect(deployment).toBe('gpt-4o-mini')
    expect(headers['api-key']).toBe(KEY)
  })

  it('does not retry a 400 and reports the provider message', async () => {
    const { fake, model } = await setup({
      respond: () => {
        throw new FakeHttpError(400, "Invalid value for 'temperature'")
      }
    })
    const failure = retrying(() => model.complete(ask('x')))
    await expect(failure).rejects.toBeInstanceOf(ProviderError)
    await expect(failure).rejects.toThrow(/answered 400: Invalid value for 'temperature'/)
    expect(fake.stats.requests).toBe(1)
  })

  it('names the key variable on a 401 and never shows the key', async () => {
    const { fake, model } = await setup(
      { apiKey: 'sk-the-right-one-000000' },
      { apiKeyEnv: 'MY_LLM_KEY' }
    )
    const error = (await retrying(() => model.complete(ask('x'))).catch(
      (e: unknown) => e
    )) as ProviderError
    expect(error).toBeInstanceOf(ProviderError)
    expect(error.status).toBe(401)
    expect(error.message).toMatch(/401/)
    expect(error.message).toMatch(/environment variable MY_LLM_KEY/)
    expect(error.message).not.toContain(KEY)
    expect(error.message).not.toMatch(/sk-te\*\*\*st/)
    expect(fake.stats.requests).toBe(1)
  })

  it('waits what a 429 retry-after asks, between bounded attempts', async () => {
    const { fake, model } = await setup({
      faults: { hangFirstN: 0, rate429: 1, retryAfterSeconds: 2 }
    })
    // every request gets 429 with retry-after: 2 — check the wait asked and the give-up
    const clock = instantClock()
    const failure = withRetry(() => model.complete(ask('x')), {
      maxRetries: 0,
      maxRateLimitWaitMs: 4_000,
      random: () => 0,
      clock
    })
    await expect(failure).rejects.toThrow(/answered 429.*gave up after 3 attempts/)
    expect(clock.requested).toEqual([2000, 2000])
    expect(fake.stats.status429).toBe(3)
  })

  it('retries 500s, non-JSON 502s and malformed 200s until an answer comes', async () => {
    const { fake, model } = await setup({
      faults: { rate500: 0.25, rate502NonJson: 0.25, rateMalformed200: 0.25, seed: 7 }
    })
    const answers = []
    for (let i = 0; i < 12; i++)
      answers.push(await retrying(() => model.complete(ask(`q${i}`)), 20))
    expect(answers.map((a) => a.text)).toEqual(Array.from({ length: 12 }, (_, i) => `echo: q${i}`))
    const statuses = new Set(fake.record.map((r) => r.status))
    expect(statuses).toEqual(new Set([200, 500, 502]))
    expect(
      fake.record.filter((r) => r.status === 200 && r.reply === undefined).length
    ).toBeGreaterThan(0)
    expect(fake.stats.requests).toBeGreaterThan(12)
  })

  it('times out a hung request and retries it', async () => {
    const { fake, model } = await setup({ faults: { hangFirstN: 1 } }, { timeoutMs: 200 })
    const answer = await retrying(() => model.complete(ask('late')))
    expect(answer.text).toBe('echo: late')
    expect(fake.stats.hung).toBe(1)
    expect(fake.stats.requests).toBe(2)
  })

  it('reports a timeout that outlasts the retries as such', async () => {
    const { model } = await setup({ faults: { hangRate: 1 } }, { timeoutMs: 100 })
    await expect(retrying(() => model.complete(ask('x')), 1)).rejects.toThrow(
      /no answer within 100 ms.*gave up after 2/
    )
  })

  it('stops a hung call promptly when aborted', async () => {
    const { fake, model } = await setup({ faults: { hangFirstN: 1 } }, { timeoutMs: 60_000 })
    const controller = new AbortController()
    const call = retrying(
      () => model.complete(ask('x'), { signal: controller.signal }),
      3,
      controller.signal
    )
    while (fake.stats.hung === 0) await new Promise((r) => setTimeout(r, 5))
    controller.abort()
    await expect(call).rejects.toBeInstanceOf(CancelledError)
    expect(fake.stats.requests).toBe(1)
  })

  it('maps a refused connection to a retryable error', async () => {
    const { model } = await setup()
    await server?.close()
    server = undefined
    const error = (await model.complete(ask('x')).catch((e: unknown) => e)) as ProviderError
    expect(error).toBeInstanceOf(ProviderError)
    expect(error.retryable).toBe(true)
    expect(error.message).toMatch(/cannot connect/)
  })
})

describe('provider environment', () => {
  const provider = testConfig().provider

  it('reads the key from the named variable, or says which to set', () => {
    expect(resolveApiKey(provider, { OPENAI_API_KEY: ' sk-abc ' })).toBe('sk-abc')
    expect(() => resolveApiKey(provider, {})).toThrow(InputError)
    expect(() => resolveApiKey(provider, { OPENAI_API_KEY: '' })).toThrow(
      /set the environment variable OPENAI_API_KEY/
    )
    expect(() => resolveApiKey({ ...provider, apiKeyEnv: 'GROQ_KEY' }, {})).toThrow(/GROQ_KEY/)
  })

  it('takes the base URL from config, else OPENAI_BASE_URL', () => {
    expect(resolveBaseUrl(provider, {})).toBeUndefined()
    expect(resolveBaseUrl(provider, { OPENAI_BASE_URL: 'http://localhost:11434/v1' })).toBe(
      'http://localhost:11434/v1'
    )
    expect(
      resolveBaseUrl(
        { ...provider, baseUrl: 'https://openrouter.ai/api/v1' },
        { OPENAI_BASE_URL: 'x' }
      )
    ).toBe('https://openrouter.ai/api/v1')
  })

  it('fills ${VAR} in headers and names a missing variable', () => {
    const withHeaders = { ...provider, headers: { 'HTTP-Referer': 'https://${SITE}/x' } }
    expect(resolveHeaders(withHeaders, { SITE: 'example.com' })).toEqual({
      'HTTP-Referer': 'https://example.com/x'
    })
    expect(() => resolveHeaders(withHeaders, {})).toThrow(/provider\.headers\.HTTP-Referer.*SITE/)
  })
})
