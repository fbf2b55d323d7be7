import { afterEach, describe, expect, it } from 'vitest'
import type { ProviderConfig } from '../../src/config/types.js'
import { createOpenAIModel } from '../../src/llm/openai-model.js'
import { critiqueMessages } from '../../src/optimize/meta-prompts.js'
import { simulatedModelFor } from '../../src/simulate/index.js'
import { answerAsOptimizer } from '../../src/simulate/optimizer-model.js'
import { decideAsTarget } from '../../src/simulate/target-model.js'
import { makeSyntheticTask } from '../../src/simulate/tasks.js'
import { makeInvoiceTask } from '../../src/simulate/invoice-task.js'
import { decideAsJsonTarget } from '../../src/simulate/json-target.js'
import type { ResponseFormat } from '../../src/llm/chat-model.js'
import { startFakeOpenAI } from '../helpers/fake-openai-server.js'
import type { FakeOpenAI } from '../helpers/fake-openai-server.js'
import { render, triageTask } from './helpers.js'

const provider: ProviderConfig = {
  type: 'openai',
  baseUrl: undefined,
  apiKeyEnv: 'OPENAI_API_KEY',
  concurrency: 4,
  requestsPerMinute: undefined,
  tokensPerMinute: undefined,
  timeoutMs: 5_000,
  maxResponseBytes: 4_194_304,
  maxRetries: 0,
  prices: {},
  headers: {},
  apiVersion: undefined
}

let server: FakeOpenAI | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
})

describe('the simulation served over an OpenAI-compatible HTTP endpoint', () => {
  it('answers through the openai SDK exactly as in process', async () => {
    const seed = 9
    server = await startFakeOpenAI({
      respond: async (body) =>
        (await simulatedModelFor(body.model, seed).complete({ messages: body.messages as never }))
          .text
    })
    const model = (name: string, role: 'target' | 'optimizer') =>
      createOpenAIModel({
        role,
        model: { model: name, temperature: 0, maxTokens: undefined },
        provider,
        apiKey: 'test-key',
        baseUrl: server?.url
      })
    const target = model('sim-target', 'target')
    const optimizer = model('sim-optimizer', 'optimizer')
    const task = triageTask(makeSyntheticTask, 12)
    const failing = []
    for (const row of task.rows) {
      const messages = [{ role: 'user' as const, content: render(task.initialPrompt, row) }]
      const reply = await target.complete({ messages })
      expect(reply.text).toBe(decideAsTarget(messages, { seed }).reply)
      failing.push({ input: messages[0]!.content, expected: row.label, output: reply.text })
    }
    const messages = critiqueMessages({
      prompt: task.initialPrompt,
      kind: 'user',
      examples: failing.slice(0, 4),
      count: 2
    })
    const critique = await optimizer.complete({ messages })
    expect(critique.text).toBe(answerAsOptimizer(messages, { seed }))
    expect(critique.text).toMatch(/<critique>[\s\S]+<\/critique>/)
    expect(server.record.map((r) => r.model)).toEqual([
      ...task.rows.map(() => 'sim-target'),
      'sim-optimizer'
    ])
  })

  it('answers JSON extraction requests with their response_format as in process', async () => {
    const seed = 4
    server = await startFakeOpenAI({
      respond: async (body) =>
        (
          await simulatedModelFor(body.model, seed).complete({
            messages: body.messages as never,
            responseFormat: body['response_format'] as never
          })
        ).text
    })
    const target = createOpenAIModel({
      role: 'target',
      model: { model: 'sim-target', temperature: 0, maxTokens: undefined },
      provider,
      apiKey: 'test-key',
      baseUrl: server.url
    })
    const invoices = makeInvoiceTask({ name: 'invoices', size: 30, seed: 2 })
    const formats: Array<ResponseFormat | undefined> = [
      undefined,
      { type: 'json_object' },
      {
        type: 'json_schema',
        json_schema: { name: 'invoice', strict: true, schema: invoices.schema }
      }
    ]
    for (const [i, row] of invoices.rows.entries()) {
      const responseFormat = formats[i % formats.length]
      const messages = [{ role: 'user' as const, content: render(invoices.initialPrompt, row) }]
      const reply = await target.complete({ messages, responseFormat })
      expect(reply.text).toBe(decideAsJsonTarget(messages, responseFormat, { seed })?.reply)
    }
    expect(server.record.map((r) => r.body?.['response_format'])).toEqual(
      invoices.rows.map((_, i) => formats[i % formats.length])
    )
  })
})
