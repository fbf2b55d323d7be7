/**
 * Output formats end to end: `prompt-descent eval` in process, the real openai SDK, the fake
 * OpenAI-compatible server on loopback. Every request must carry the task's response_format and
 * the target's model parameters as configured; the json field scores and the json_schema scores
 * in the report must equal what the server's recorded replies give, recomputed here on their own.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseReport } from '../../src/report/json.js'
import type { RunReport } from '../../src/report/types.js'
import { makeRepo } from '../config/helpers.js'
import { startFakeOpenAI } from '../helpers/fake-openai-server.js'
import type { FakeChatBody, FakeOpenAI } from '../helpers/fake-openai-server.js'
import { KEY_ENV, TEST_KEY, runCli } from './fixture.js'
import type { CliResult } from './fixture.js'

interface Invoice {
  id: string
  text: string
  expected: { vendor: string; total: number; currency: string; date: string }
}

const VENDORS = ['ACME Corp.', 'Globex', 'Initech GmbH', 'Umbrella Ltd', 'Hooli', 'Stark & Co']
const ROWS: Invoice[] = Array.from({ length: 18 }, (_, i) => {
  const vendor = VENDORS[i % VENDORS.length] as string
  const total = Math.round((10 + i * 7.35) * 100) / 100
  const currency = i % 4 === 0 ? 'USD' : 'EUR'
  const date = `2024-0${1 + (i % 9)}-1${i % 10}`
  return {
    id: `inv-${i}`,
    text: `${vendor} billed ${total} ${currency} on ${date}`,
    expected: { vendor, total, currency, date }
  }
})

const FIELD_ORDER = ['vendor', 'total', 'currency', 'date']

const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['vendor', 'total', 'currency', 'date'],
  properties: {
    vendor: { type: 'string' },
    total: { type: 'number' },
    currency: { type: 'string', enum: ['EUR', 'USD'] },
    date: { type: 'string' }
  }
}

const MODEL = `  target:
    model: extractor-1
    max_tokens: 200
    top_p: 0.5
    seed: 11
    stop: ["<END>"]
    extra:
      top_k: 20
      provider: { order: [fast, cheap], allow_fallbacks: false }`

const TASKS = `tasks:
  - name: fields
    prompt: prompts/invoice.md
    data: evals/invoices.jsonl
    split: { test: 1 }
    response_format: { type: json_schema, name: invoice, strict: true, schema: schemas/invoice.json }
    metric:
      type: json
      fields: [{ path: vendor, match: text }, { path: total, match: numeric, tolerance: 0.01 }, currency, date]
  - name: valid
    prompt: prompts/invoice.md
    data: evals/invoices.jsonl
    split: { test: 1 }
    response_format: json_object
    metric: { type: json_schema, schema: schemas/invoice.json }
`

/** The server's answer for a row: six kinds of reply, cycling, none of them random. */
function replyFor(row: Invoice, index: number): string {
  const e = row.expected
  switch (index % 6) {
    case 0:
      return JSON.stringify(e)
    case 1: // vendor in other case and spacing (a text match), wrong date
      return JSON.stringify({ ...e, vendor: `  ${e.vendor.toLowerCase()} `, date: '1999-01-01' })
    case 2: // total off by more than the tolerance
      return JSON.stringify({ ...e, total: e.total + 0.5 })
    case 3: // total written as text: right number, but breaks the schema
      return `Here it is:\n\`\`\`json\n${JSON.stringify({ ...e, total: String(e.total) })}\n\`\`\``
    case 4: // no currency: a missing field, and the schema's required breaks
      return JSON.stringify({ vendor: e.vendor, total: e.total, date: e.date })
    default:
      return 'I could not read this invoice.'
  }
}

function respond(body: FakeChatBody): string {
  const user = body.messages[body.messages.length - 1]?.content ?? ''
  const index = ROWS.findIndex((row) => user.includes(`Invoice ${row.id}:`))
  if (index < 0) throw new Error(`no row in ${user}`)
  return replyFor(ROWS[index] as Invoice, index)
}

/** The reply's JSON as this test reads it: the whole reply, else the fenced block. */
function replyJson(reply: string): Record<string, unknown> | undefined {
  const fenced = /```json\n([\s\S]*?)\n```/.exec(reply)?.[1]
  for (const text of [reply, fenced]) {
    if (text === undefined) continue
    try {
      return JSON.parse(text) as Record<string, unknown>
    } catch {
      // not this one
    }
  }
  return undefined
}

const fold = (text: unknown): string =>
  String(text)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()

/** Which of the four fields the reply gets right, recomputed from the recorded reply. */
function fieldsRight(reply: Record<string, unknown>, row: Invoice): Record<string, boolean> {
  const e = row.expected
  return {
    vendor: reply.vendor !== undefined && fold(reply.vendor) === fold(e.vendor),
    total: reply.total !== undefined && Math.abs(Number(reply.total) - e.total) <= 0.01 + 1e-9,
    currency: reply.currency === e.currency,
    date: reply.date === e.date
  }
}

/** Schema validity of the reply, checked by hand against SCHEMA. */
function followsSchema(reply: Record<string, unknown>): boolean {
  const keys = Object.keys(reply).sort()
  return (
    keys.join(',') === 'currency,date,total,vendor' &&
    typeof reply.vendor === 'string' &&
    typeof reply.total === 'number' &&
    (reply.currency === 'EUR' || reply.currency === 'USD') &&
    typeof reply.date === 'string'
  )
}

let server: FakeOpenAI
let root: string
let cleanup: () => Promise<void>
let result: CliResult
let report: RunReport

beforeAll(async () => {
  server = await startFakeOpenAI({ respond, apiKey: TEST_KEY })
  const config = `provider:
  type: openai
  base_url: ${server.url}
  api_key_env: ${KEY_ENV}
  concurrency: 3
  timeout_ms: 5000
  max_retries: 0
models:
${MODEL}
cache: { enabled: false }
${TASKS}`
  const made = await makeRepo({
    'prompt-descent.yml': config,
    'prompts/invoice.md':
      'Extract vendor, total, currency and date as JSON.\nInvoice {{id}}: {{text}}',
    'evals/invoices.jsonl': ROWS.map((row) => JSON.stringify(row)).join('\n') + '\n',
    'schemas/invoice.json': JSON.stringify(SCHEMA, null, 2)
  })
  root = made.root
  cleanup = made.cleanup
  result = await runCli(
    ['eval', '--split', 'all', '--json', 'out/report.json', '--markdown', 'out/report.md'],
    { cwd: root }
  )
  report = parseReport(await readFile(join(root, 'out/report.json'), 'utf8'), 'report.json')
})

afterAll(async () => {
  await server.close()
  await cleanup()
})

describe('response formats and model parameters end to end', () => {
  it('sends response_format and every model parameter as configured, one request per row and task', () => {
    expect(result.code, result.stderr).toBe(0)
    expect(server.stats.requests).toBe(ROWS.length * 2)
    const formats = new Map<string, number>()
    for (const entry of server.record) {
      const body = entry.body as FakeChatBody
      expect(body.model).toBe('extractor-1')
      expect(body.temperature).toBe(0)
      expect(body.max_tokens).toBe(200)
      expect(body.top_p).toBe(0.5)
      expect(body.seed).toBe(11)
      expect(body.stop).toEqual(['<END>'])
      expect(body.top_k).toBe(20)
      expect(body.provider).toEqual({ order: ['fast', 'cheap'], allow_fallbacks: false })
      const format = JSON.stringify(body.response_format)
      formats.set(format, (formats.get(format) ?? 0) + 1)
    }
    expect(formats).toEqual(
      new Map([
        [
          JSON.stringify({
            type: 'json_schema',
            json_schema: { name: 'invoice', strict: true, schema: SCHEMA }
          }),
          ROWS.length
        ],
        [JSON.stringify({ type: 'json_object' }), ROWS.length]
      ])
    )
  })

  it('reports the field scores the recorded replies give, with partial credit', () => {
    const task = report.tasks.find((t) => t.task === 'fields')
    const strict = server.record.filter(
      (r) => (r.body?.response_format as { type?: string }).type === 'json_schema'
    )
    const failures = new Map<string, number>()
    let total = 0
    let unreadable = 0
    for (const entry of strict) {
      const row = ROWS.find((r) => entry.messages[0]?.content.includes(`Invoice ${r.id}:`))
      const example = task?.examples.find((e) => e.id === row?.id)
      expect(example?.output).toBe(entry.reply)
      const json = replyJson(entry.reply ?? '')
      if (json === undefined || row === undefined) {
        unreadable++
        expect(example?.unreadable).toBe(true)
        expect(example?.score).toBe(0)
        expect(example?.fields).toBeUndefined()
        continue
      }
      const right = fieldsRight(json, row)
      expect(example?.fields, `fields of ${row.id}`).toEqual(right)
      const score = Object.values(right).filter(Boolean).length / 4
      expect(example?.score, `score of ${row.id}`).toBeCloseTo(score, 12)
      total += score
      for (const [field, ok] of Object.entries(right))
        if (!ok) failures.set(field, (failures.get(field) ?? 0) + 1)
    }
    expect(task?.score).toBeCloseTo(total / ROWS.length, 12)
    expect(task?.unreadable).toBe(unreadable)
    expect(unreadable).toBe(ROWS.length / 6)
    // 3 of 4 right somewhere, so partial credit shows up in the score.
    expect(task?.examples.some((e) => e.score === 0.75)).toBe(true)
    const readable = ROWS.length - unreadable
    expect(task?.fieldFailures).toEqual(
      [...failures]
        // Most failures first; ties in the config's field order.
        .sort((a, b) => b[1] - a[1] || FIELD_ORDER.indexOf(a[0]) - FIELD_ORDER.indexOf(b[0]))
        .map(([field, failed]) => ({ field, failed, n: readable }))
    )
  })

  it('reports json_schema validity as the recorded replies give, unparseable ones apart', () => {
    const task = report.tasks.find((t) => t.task === 'valid')
    const plain = server.record.filter(
      (r) => (r.body?.response_format as { type?: string }).type === 'json_object'
    )
    let valid = 0
    let unreadable = 0
    for (const entry of plain) {
      const row = ROWS.find((r) => entry.messages[0]?.content.includes(`Invoice ${r.id}:`))
      const example = task?.examples.find((e) => e.id === row?.id)
      const json = replyJson(entry.reply ?? '')
      if (json === undefined) {
        unreadable++
        expect(example?.unreadable).toBe(true)
      } else {
        const ok = followsSchema(json)
        if (ok) valid++
        expect(example?.score, `validity of ${row?.id}`).toBe(ok ? 1 : 0)
        expect(example?.rationale !== undefined).toBe(!ok)
      }
    }
    expect(task?.score).toBeCloseTo(valid / ROWS.length, 12)
    expect(task?.unreadable).toBe(unreadable)
    expect(valid).toBeGreaterThan(0)
    expect(valid).toBeLessThan(ROWS.length - unreadable)
    expect(task?.failed).toBe(0)
  })

  it('shows the fields that fail most in the terminal and Markdown reports', async () => {
    const fields = report.tasks.find((t) => t.task === 'fields')?.fieldFailures ?? []
    const [first] = fields
    expect(first).toBeDefined()
    const line = result.stdout.split('\n').find((l) => l.trim().startsWith('fields:'))
    expect(line).toBe(`  fields: ${fields.map((f) => `${f.field} ${f.failed}/${f.n}`).join(' · ')}`)
    expect(result.stdout).toContain('JSON fields that fail most (wrong / scored replies):')
    const markdown = await readFile(join(root, 'out/report.md'), 'utf8')
    expect(markdown).toContain(
      `- fields: ${fields.map((f) => `\`${f.field}\` ${f.failed}/${f.n}`).join(' · ')}`
    )
    expect(result.stdout + result.stderr + markdown).not.toContain(TEST_KEY)
  })
})
