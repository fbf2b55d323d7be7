/**
 * Servers that misbehave on purpose (issue 18): each attack is played by the shared fake server
 * against the real SDK path, and each must end the one call it hits, with a reason, and nothing
 * else: no unbounded wait, no unbounded memory, no frozen limiter, no secret in the message.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { ProviderConfig } from '../../src/config/types.js'
import { InputError, ProviderError } from '../../src/errors.js'
import { ProviderCallError } from '../../src/llm/call-error.js'
import type { ChatModel } from '../../src/llm/chat-model.js'
import { systemClock, type Clock } from '../../src/llm/clock.js'
import { createModelSet, type ModelRuntime } from '../../src/llm/model-stack.js'
import { createOpenAIModel } from '../../src/llm/openai-model.js'
import { stripUrlCredentials } from '../../src/llm/provider-env.js'
import {
  FakeHttpError,
  startFakeOpenAI,
  type FakeOpenAI,
  type FakeOpenAIOptions
} from '../helpers/fake-openai-server.js'
import { testConfig } from './config-fixture.js'
import { FakeClock, flush } from './fake-clock.js'

const KEY = 'sk-test-0123456789abcdef'
let server: FakeOpenAI | undefined
let runtime: ModelRuntime | undefined
afterEach(async () => {
  runtime?.dispose()
  runtime = undefined
  await server?.close()
  server = undefined
})

const ask = (content: string) => ({ messages: [{ role: 'user' as const, content }] })
const echo: FakeOpenAIOptions['respond'] = (body) => `echo: ${body.messages.at(-1)?.content ?? ''}`

async function model(
  options: Partial<FakeOpenAIOptions>,
  provider: Partial<ProviderConfig> = {},
  clock: Clock = systemClock
): Promise<{ fake: FakeOpenAI; model: ChatModel }> {
  server = await startFakeOpenAI({ respond: echo, ...options })
  const config = testConfig({ provider: { timeoutMs: 5_000, ...provider } })
  return {
    fake: server,
    model: createOpenAIModel({
      role: 'target',
      model: { model: 'gpt-4o-mini', temperature: 0, maxTokens: 50 },
      provider: config.provider,
      apiKey: KEY,
      baseUrl: server.url,
      clock
    })
  }
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5))
}

describe('a server that never finishes its reply', () => {
  it('cuts a reply trickling one byte every 50 ms at provider.timeout_ms, body included', async () => {
    const clock = new FakeClock()
    const { fake, model: m } = await model(
      { delivery: () => ({ chunkBytes: 1, intervalMs: 50 }) },
      { timeoutMs: 1_000 },
      clock
    )
    const call = m.complete(ask('slowly')).catch((error: unknown) => error)
    // The headers and the first bytes are in: the SDK's own timeout is over, ours is not.
    await until(() => fake.stats.bytesSent > 2)
    await clock.advance(1_000)
    const error = await call
    expect(error).toBeInstanceOf(ProviderCallError)
    expect((error as ProviderCallError).message).toMatch(
      /no answer within 1000 ms \(provider\.timeout_ms\)/
    )
    expect((error as ProviderCallError).retryable).toBe(true)
    await until(() => fake.stats.cutOff === 1)
  })

  it('cuts an endless reply at provider.max_response_bytes without reading it all', async () => {
    const cap = 64 * 1024
    const { fake, model: m } = await model(
      { delivery: () => ({ chunkBytes: 16 * 1024, endless: true }) },
      { maxResponseBytes: cap }
    )
    const error = (await m.complete(ask('forever')).catch((e: unknown) => e)) as ProviderCallError
    expect(error).toBeInstanceOf(ProviderCallError)
    expect(error.message).toMatch(
      /the reply is larger than 65536 bytes \(provider\.max_response_bytes\); it was cut off unread/
    )
    expect(error.retryable).toBe(false)
    await until(() => fake.stats.cutOff === 1)
    // What the server managed to push is the cap plus the sockets' buffers, not an endless stream.
    expect(fake.stats.bytesSent).toBeLessThan(cap + 32 * 1024 * 1024)
  })

  it('refuses a declared content-length over the cap before reading the body', async () => {
    const big = 'x'.repeat(2 * 1024 * 1024)
    const { fake, model: m } = await model(
      { respond: () => big },
      { maxResponseBytes: 1024 * 1024 }
    )
    await expect(m.complete(ask('big'))).rejects.toThrow(/larger than 1048576 bytes/)
    expect(fake.stats.ok).toBe(1)
  })

  it('reads a reply under the cap whole', async () => {
    const reply = 'y'.repeat(300 * 1024)
    const { model: m } = await model(
      { respond: () => reply, delivery: () => ({ chunkBytes: 8 * 1024 }) },
      { maxResponseBytes: 1024 * 1024 }
    )
    expect((await m.complete(ask('fits'))).text).toBe(reply)
  })
})

describe('a reply without text', () => {
  it('is a failed call counted apart, never an empty answer', async () => {
    server = await startFakeOpenAI({ respond: (_body, { index }) => (index === 0 ? null : 'ok') })
    const config = testConfig({ provider: { baseUrl: server.url, maxRetries: 2 } })
    runtime = createModelSet(config, {
      env: { OPENAI_API_KEY: KEY },
      root: '/nonexistent',
      cache: false,
      retryBaseDelayMs: 1
    })
    const error = (await runtime.models.target
      .complete(ask('filtered'))
      .catch((e: unknown) => e)) as ProviderError
    expect(error).toBeInstanceOf(ProviderError)
    expect(error.message).toMatch(
      /the reply has no text \(content: null, finish_reason: content_filter\)/
    )
    expect(server.stats.requests).toBe(1)
    expect((await runtime.models.target.complete(ask('fine'))).text).toBe('ok')
    const usage = runtime.ledger.snapshot()
    expect(usage.byRole.target.noContent).toBe(1)
    expect(usage.total.noContent).toBe(1)
    expect(usage.total.calls).toBe(2)
  })
})

describe('a 429 asking for a wait the run refuses', () => {
  for (const [label, retryAfter, said] of [
    ['an hour', '3600', /asked to wait 3600 s, longer than the 120 s a call waits/],
    ['a value past any timer', '1e300', /asked to wait practically forever/]
  ] as const) {
    it(`ends that call and pauses nobody (${label})`, async () => {
      const clock = new FakeClock()
      server = await startFakeOpenAI({
        respond: (body) => {
          const content = body.messages.at(-1)?.content
          if (content === 'greedy') {
            throw new FakeHttpError(429, 'slow down', undefined, { 'retry-after': retryAfter })
          }
          return `echo: ${content ?? ''}`
        }
      })
      const config = testConfig({ provider: { baseUrl: server.url, concurrency: 1 } })
      runtime = createModelSet(config, {
        env: { OPENAI_API_KEY: KEY },
        root: '/nonexistent',
        cache: false,
        clock
      })
      await expect(runtime.models.target.complete(ask('greedy'))).rejects.toThrow(said)
      // With the clock standing still, a paused limiter would hold the next call in its queue.
      const next = runtime.models.target.complete(ask('next'))
      await flush()
      expect(runtime.limiter.stats().queued).toBe(0)
      expect((await next).text).toBe('echo: next')
      expect(clock.requested.filter((ms) => ms > 120_000)).toEqual([])
      expect(runtime.ledger.snapshot().total.rateLimited).toBe(1)
    })
  }

  it('holds a timer past the longest setTimeout instead of firing it at once', async () => {
    let fired = false
    const cancel = systemClock.setTimer(() => {
      fired = true
    }, 1e12)
    // Timers fire in order of their due time: a 1e12 ms timer clamped to 1 ms would beat this one.
    await new Promise((resolve) => setTimeout(resolve, 20))
    cancel()
    expect(fired).toBe(false)
  })
})

describe('credentials in URLs', () => {
  it('refuses a base URL with a user and password, without echoing them', async () => {
    server = await startFakeOpenAI({ respond: echo })
    const config = testConfig()
    const url = server.url.replace('http://', 'http://admin:hunter2@')
    let error: unknown
    try {
      createOpenAIModel({
        role: 'target',
        model: { model: 'gpt-4o-mini', temperature: 0, maxTokens: undefined },
        provider: config.provider,
        apiKey: KEY,
        baseUrl: url
      })
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(InputError)
    const message = (error as InputError).message
    expect(message).toMatch(/provider\.base_url.*carries a user name or password/)
    expect(message).toContain(server.url)
    expect(message).not.toMatch(/admin|hunter2/)
    expect(server.stats.requests).toBe(0)
  })

  it('strips them from a provider error that quotes a URL', async () => {
    const { model: m } = await model({
      respond: () => {
        throw new FakeHttpError(400, 'upstream http://admin:s3cret@10.0.0.7:8080/v1 refused you')
      }
    })
    const error = (await m.complete(ask('x')).catch((e: unknown) => e)) as ProviderError
    expect(error.message).toContain('upstream http://10.0.0.7:8080/v1 refused you')
    expect(error.message).not.toMatch(/admin|s3cret/)
  })

  it('removes user and password from every URL in a text, and nothing else', () => {
    expect(
      stripUrlCredentials(
        'fetch http://u:p@a.example/v1/x?q=1 and https://tok@b.example, not mail@example.com'
      )
    ).toBe('fetch http://a.example/v1/x?q=1 and https://b.example, not mail@example.com')
    expect(stripUrlCredentials('http://u:p@ss@host:1/x')).toBe('http://host:1/x')
  })
})
