import { getEventListeners } from 'node:events'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Config } from '../../src/config/types.js'
import { BudgetExceededError, CancelledError, InputError } from '../../src/errors.js'
import type { ChatModel, ChatRequest } from '../../src/llm/chat-model.js'
import {
  createModelSet,
  type ModelRuntime,
  type ModelSetOptions
} from '../../src/llm/model-stack.js'
import {
  startFakeOpenAI,
  type FakeOpenAI,
  type FakeOpenAIOptions
} from '../helpers/fake-openai-server.js'
import { testConfig } from './config-fixture.js'

const KEY = 'sk-stack-test-9876543210'
let server: FakeOpenAI | undefined
let root: string
const runtimes: ModelRuntime[] = []

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'pd-stack-'))
})
afterEach(async () => {
  for (const runtime of runtimes.splice(0)) runtime.dispose()
  await server?.close()
  server = undefined
  await rm(root, { recursive: true, force: true })
})

const answerOf = (content: string) => `label:${content.length % 7}`
const respond: FakeOpenAIOptions['respond'] = (body) =>
  answerOf(body.messages.at(-1)?.content ?? '')
const ask = (content: string, sampleIndex = 0): ChatRequest => ({
  messages: [
    { role: 'system', content: 'Classify the ticket.' },
    { role: 'user', content }
  ],
  sampleIndex
})
const questions = (n: number) =>
  Array.from({ length: n }, (_, i) => `ticket number ${i} ${'x'.repeat(i % 13)}`)

async function runtimeFor(
  fake: FakeOpenAI,
  overrides: Parameters<typeof testConfig>[0] = {},
  options: Partial<ModelSetOptions> = {}
): Promise<ModelRuntime> {
  const config: Config = testConfig({
    cache: { enabled: true, dir: '.prompt-descent/cache' },
    ...overrides,
    provider: { baseUrl: fake.url, timeoutMs: 2_000, ...overrides.provider }
  })
  const runtime = createModelSet(config, {
    env: { OPENAI_API_KEY: KEY },
    root,
    retryBaseDelayMs: 1,
    ...options
  })
  runtimes.push(runtime)
  return runtime
}

describe('createModelSet over the fake server', () => {
  it('answers every request under 10% injected 5xx faults, as a clean run does', async () => {
    server = await startFakeOpenAI({
      respond,
      latencyMs: 2,
      faults: { rate500: 0.05, rate502NonJson: 0.05, seed: 3 }
    })
    const runtime = await runtimeFor(server, { cache: { enabled: false, dir: 'unused' } }, {})
    const all = questions(200)
    const answers = await Promise.all(all.map((q) => runtime.models.target.complete(ask(q))))
    expect(answers.map((a) => a.text)).toEqual(all.map(answerOf))
    const failed = server.stats.status5xx
    expect(failed).toBeGreaterThan(5)
    expect(server.stats.ok).toBe(200)
    const snap = runtime.ledger.snapshot()
    expect(snap.byRole.target).toMatchObject({ calls: 200, cachedCalls: 0, retries: failed })
    expect(snap.total.inputTokens).toBe(answers.reduce((s, a) => s + a.usage.inputTokens, 0))
    expect(snap.total.usd).toBeGreaterThan(0)
  })

  it('serves a repeated request from the cache, also in a new process, and keeps no secret on disk', async () => {
    server = await startFakeOpenAI({ respond })
    const first = await runtimeFor(server, {
      provider: { headers: { 'X-Team-Token': 'team-secret-42' } }
    })
    const a = await first.models.target.complete(ask('refund please'))
    const b = await first.models.target.complete(ask('refund please'))
    expect(a.cached).toBe(false)
    expect(b).toEqual({ ...a, cached: true })
    expect(server.stats.requests).toBe(1)
    // another sample of the same request is a different answer, so a different call
    await first.models.target.complete(ask('refund please', 1))
    expect(server.stats.requests).toBe(2)
    expect(first.ledger.snapshot().byRole.target).toMatchObject({ calls: 2, cachedCalls: 1 })

    const second = await runtimeFor(server, {
      provider: { headers: { 'X-Team-Token': 'team-secret-42' } }
    })
    const again = await second.models.target.complete(ask('refund please'))
    expect(again).toEqual({ ...a, cached: true })
    expect(server.stats.requests).toBe(2)
    expect(second.ledger.snapshot().total).toMatchObject({
      calls: 0,
      cachedCalls: 1,
      inputTokens: 0,
      usd: 0
    })

    const dir = join(root, '.prompt-descent/cache')
    const files = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((e) =>
      e.isFile()
    )
    expect(files).toHaveLength(2)
    for (const file of files) {
      const text = await readFile(join(file.parentPath, file.name), 'utf8')
      expect(text).not.toContain(KEY)
      expect(text).not.toContain('team-secret-42')
      expect(text).not.toContain('127.0.0.1')
    }
  })

  it('leaves no abort listener behind on the run signal or a caller signal', async () => {
    server = await startFakeOpenAI({ respond })
    const runtime = await runtimeFor(server, { cache: { enabled: false, dir: 'unused' } })
    const caller = new AbortController()
    for (let i = 0; i < 30; i++) {
      await runtime.models.target.complete(ask(`q${i}`), i % 2 ? { signal: caller.signal } : {})
    }
    expect(getEventListeners(runtime.signal, 'abort')).toHaveLength(0)
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0)
  })

  it('shares one call among identical requests in flight', async () => {
    server = await startFakeOpenAI({ respond, latencyMs: 30 })
    const runtime = await runtimeFor(server)
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => runtime.models.target.complete(ask('same')))
    )
    expect(server.stats.requests).toBe(1)
    expect(answers.filter((x) => x.cached)).toHaveLength(4)
    expect(runtime.ledger.snapshot().byRole.target).toMatchObject({ calls: 1, cachedCalls: 4 })
  })

  it('stops at exactly the calls cap, and a re-run resumes from the cache', async () => {
    server = await startFakeOpenAI({ respond, latencyMs: 10 })
    const capped = await runtimeFor(server, { budget: { calls: 4 }, provider: { concurrency: 3 } })
    const all = questions(10)
    const results = await Promise.allSettled(all.map((q) => capped.models.target.complete(ask(q))))
    const done = results.filter((r) => r.status === 'fulfilled')
    const stopped = results.filter((r) => r.status === 'rejected')
    expect(done).toHaveLength(4)
    expect(stopped.every((r) => r.reason instanceof BudgetExceededError)).toBe(true)
    expect(server.stats.requests).toBe(4)
    expect(capped.ledger.snapshot().total.calls).toBe(4)

    const rerun = await runtimeFor(server)
    const answers = await Promise.all(all.map((q) => rerun.models.target.complete(ask(q))))
    expect(answers.map((x) => x.text)).toEqual(all.map(answerOf))
    expect(server.stats.requests).toBe(10)
    expect(rerun.ledger.snapshot().total).toMatchObject({ calls: 6, cachedCalls: 4 })
  })

  it('a dollar cap reached mid-run aborts the calls in flight', async () => {
    server = await startFakeOpenAI({ respond: () => 'y'.repeat(40_000), faults: { hangFirstN: 1 } })
    const runtime = await runtimeFor(server, {
      budget: { usd: 0.001 },
      provider: { timeoutMs: 60_000 }
    })
    const hung = runtime.models.target.complete(ask('first')).catch((e: unknown) => e)
    while (server.stats.hung === 0) await new Promise((r) => setTimeout(r, 5))
    // 10 000 output tokens of gpt-4o-mini = $0.006, over the cap
    await runtime.models.target.complete(ask('second'))
    const third = runtime.models.target.complete(ask('third')).catch((e: unknown) => e)
    expect(await third).toBeInstanceOf(BudgetExceededError)
    const error = await hung
    expect(error).toBeInstanceOf(BudgetExceededError)
    expect((error as BudgetExceededError).cap).toBe('usd')
    expect(runtime.signal.aborted).toBe(true)
    expect(server.stats.requests).toBe(2)
  })

  it('cancels calls in flight when the run is cancelled', async () => {
    server = await startFakeOpenAI({ respond, faults: { hangFirstN: 1 } })
    const controller = new AbortController()
    const runtime = await runtimeFor(
      server,
      { provider: { timeoutMs: 60_000 } },
      { signal: controller.signal }
    )
    const call = runtime.models.optimizer.complete(ask('x')).catch((e: unknown) => e)
    while (server.stats.hung === 0) await new Promise((r) => setTimeout(r, 5))
    controller.abort()
    expect(await call).toBeInstanceOf(CancelledError)
    await expect(runtime.models.target.complete(ask('y'))).rejects.toBeInstanceOf(CancelledError)
    expect(server.stats.requests).toBe(1)
  })

  it("keeps to the server's rate limit through 429 + retry-after, losing no request", async () => {
    server = await startFakeOpenAI({ respond, latencyMs: 20, rateLimitPerSecond: 100 })
    const runtime = await runtimeFor(server, {
      cache: { enabled: false, dir: 'unused' },
      provider: { concurrency: 16, maxRetries: 8 }
    })
    const all = questions(150)
    const answers = await Promise.all(all.map((q) => runtime.models.judge.complete(ask(q))))
    expect(answers.map((a) => a.text)).toEqual(all.map(answerOf))
    expect(server.stats.ok).toBe(150)
    const snap = runtime.ledger.snapshot().byRole.judge
    expect(snap.rateLimited).toBe(server.stats.status429)
    expect(snap.retries).toBe(server.stats.status429)
  })

  it('says which variable to set when the API key is missing', () => {
    const config = testConfig({ provider: { apiKeyEnv: 'ACME_KEY' } })
    expect(() => createModelSet(config, { env: {}, root })).toThrow(InputError)
    expect(() => createModelSet(config, { env: {}, root })).toThrow(/ACME_KEY/)
  })

  it('stacks injected inner models for the simulated provider, priced at zero', async () => {
    const made: string[] = []
    const fake = (role: ChatModel['role'], model: { model: string }): ChatModel => {
      made.push(`${role}:${model.model}`)
      return {
        role,
        model: model.model,
        complete: async (request) => ({
          text: `sim ${request.messages.at(-1)?.content ?? ''}`,
          usage: { inputTokens: 10, outputTokens: 2 },
          cached: false
        })
      }
    }
    const config = testConfig({
      provider: { type: 'simulated' },
      budget: { usd: 1 },
      cache: { enabled: true, dir: 'cache' }
    })
    const runtime = createModelSet(config, { env: {}, root, simulated: fake })
    runtimes.push(runtime)
    expect(made).toEqual(['target:gpt-4o-mini', 'optimizer:gpt-4o', 'judge:gpt-4o-mini'])
    expect((await runtime.models.optimizer.complete(ask('a'))).text).toBe('sim a')
    expect((await runtime.models.optimizer.complete(ask('a'))).cached).toBe(true)
    expect(runtime.ledger.snapshot().byRole.optimizer).toMatchObject({
      calls: 1,
      cachedCalls: 1,
      usd: 0
    })
  })

  it('warns and still answers when the cache cannot be written', async () => {
    server = await startFakeOpenAI({ respond })
    const warnings: string[] = []
    const broken = {
      get: async () => undefined,
      set: async () => Promise.reject(new Error('disk full'))
    }
    const runtime = await runtimeFor(
      server,
      {},
      { cache: broken, onWarning: (m) => warnings.push(m) }
    )
    expect((await runtime.models.target.complete(ask('q'))).text).toBe(answerOf('q'))
    expect(warnings).toEqual(['could not write the response cache: disk full'])
  })
})
