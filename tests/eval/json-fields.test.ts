/** JSON field scores (the json metric with fields), the json_schema metric, and "fields that fail most". */
import { describe, expect, it } from 'vitest'
import type { ExtractConfig, JsonFieldConfig, MetricConfig } from '../../src/config/types.js'
import { InputError } from '../../src/errors.js'
import { fieldFailures } from '../../src/eval/field-failures.js'
import { createMetric } from '../../src/eval/metrics/index.js'
import type { ExampleResult, MetricContext } from '../../src/eval/types.js'

const ctx: MetricContext = { judge: undefined, input: 'question' }
const raw: ExtractConfig = { type: 'raw' }

const FIELDS: JsonFieldConfig[] = [
  { path: 'vendor', match: { type: 'text' } },
  { path: 'total', match: { type: 'numeric', tolerance: 0.01, relative: false } },
  { path: 'currency', match: { type: 'exact' } },
  { path: 'lines[0].sku', match: { type: 'exact' } },
  { path: 'date', match: { type: 'exact' } }
]
const EXPECTED = {
  vendor: 'ACME Corp.',
  total: 12.5,
  currency: 'EUR',
  lines: [{ sku: 'A-1' }],
  date: '2024-05-01'
}

const json = (credit: 'partial' | 'all'): MetricConfig => ({ type: 'json', fields: FIELDS, credit })

describe('json field scores', () => {
  it('gives partial credit: 4 of 5 fields right scores 0.8, with each field recorded', async () => {
    const reply =
      '```json\n{"vendor": "acme corp", "total": "12.504", "currency": "EUR", "lines": [{"sku": "A-1"}], "date": "2024-05-02"}\n```'
    const scored = await createMetric(json('partial'), raw).score(reply, EXPECTED, ctx)
    expect(scored.score).toBeCloseTo(0.8, 12)
    expect(scored.unreadable).toBe(false)
    expect(scored.fields).toEqual({
      vendor: true,
      total: true,
      currency: true,
      'lines[0].sku': true,
      date: false
    })
    const all = await createMetric(json('all'), raw).score(reply, EXPECTED, ctx)
    expect(all.score).toBe(0)
    expect(all.fields).toEqual(scored.fields)
  })

  it('compares numbers within the tolerance, text after normalisation, exact structurally', async () => {
    const metric = createMetric(json('partial'), raw)
    const reply = JSON.stringify({
      vendor: 'ACME  corp',
      total: 12.52,
      currency: 'eur',
      lines: [{ sku: 'A-1', qty: 2 }]
    })
    const scored = await metric.score(reply, EXPECTED, ctx)
    expect(scored.fields).toEqual({
      vendor: true,
      total: false,
      currency: false,
      'lines[0].sku': true,
      date: false
    })
    expect(scored.score).toBeCloseTo(0.4, 12)
  })

  it('counts a field missing on both sides as a match, and on one side as a miss', async () => {
    const metric = createMetric(json('partial'), raw)
    const expected = { ...EXPECTED, date: undefined }
    const scored = await metric.score(
      JSON.stringify({ ...EXPECTED, date: undefined, total: null }),
      expected,
      ctx
    )
    expect(scored.fields?.date).toBe(true)
    expect(scored.fields?.total).toBe(false)
  })

  it('is unreadable, with no field results, when the reply holds no JSON', async () => {
    const scored = await createMetric(json('partial'), raw).score('no idea', EXPECTED, ctx)
    expect(scored).toEqual({ score: 0, answer: null, unreadable: true })
  })

  it('names the field when its expected value is not a number', async () => {
    const error = await createMetric(json('partial'), raw)
      .score('{"total": 1}', { ...EXPECTED, total: 'twelve' }, ctx)
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InputError)
    expect((error as Error).message).toContain(`field "total" is compared as a number`)
  })
})

describe('json_schema metric', () => {
  const metric = createMetric(
    {
      type: 'json_schema',
      schema: {
        file: undefined,
        value: {
          type: 'object',
          required: ['vendor', 'total'],
          properties: { vendor: { type: 'string' }, total: { type: 'number', minimum: 0 } }
        }
      }
    },
    raw
  )

  it('scores 1 for a reply that validates, without needing an expected value', async () => {
    const scored = await metric.score('{"vendor": "ACME", "total": 3}', undefined, ctx)
    expect(scored).toEqual({ score: 1, answer: '{"vendor":"ACME","total":3}', unreadable: false })
  })

  it('scores 0 with the first violation as the rationale', async () => {
    const scored = await metric.score('Sure: {"vendor": "ACME", "total": -1}', undefined, ctx)
    expect(scored.score).toBe(0)
    expect(scored.unreadable).toBe(false)
    expect(scored.rationale).toBe('/total: must be >= 0')
    const missing = await metric.score('{"vendor": 5}', undefined, ctx)
    expect(missing.rationale).toMatch(/^\(root\): must have required property 'total'|^\/vendor/)
  })

  it('counts a reply with no JSON as unreadable, never a crash', async () => {
    for (const reply of ['', 'I cannot help with that.', '{"vendor": "ACME", "total": ', '}{'])
      expect(await metric.score(reply, undefined, ctx)).toEqual({
        score: 0,
        answer: null,
        unreadable: true
      })
  })

  it('reads 2020-12 schemas ($schema) as 2020-12', async () => {
    const tuple = createMetric(
      {
        type: 'json_schema',
        schema: {
          file: undefined,
          value: {
            $schema: 'https://json-schema.org/draft/2020-12/schema',
            type: 'array',
            prefixItems: [{ type: 'string' }, { type: 'number' }],
            items: false
          }
        }
      },
      raw
    )
    expect((await tuple.score('["a", 1]', undefined, ctx)).score).toBe(1)
    expect((await tuple.score('["a", 1, 2]', undefined, ctx)).score).toBe(0)
  })
})

describe('fieldFailures', () => {
  const example = (id: string, fields?: Record<string, boolean>): ExampleResult => ({
    id,
    split: 'test',
    expected: null,
    output: '{}',
    answer: '{}',
    score: 0,
    unreadable: fields === undefined,
    ...(fields ? { fields } : {})
  })

  it('counts failures per field over the replies scored on it, most failures first', () => {
    const results = [
      example('1', { vendor: true, total: false, date: false }),
      example('2', { vendor: false, total: false, date: true }),
      example('3', { vendor: true, total: false, date: true }),
      example('4'),
      example('5', { vendor: true, total: true, date: false })
    ]
    expect(fieldFailures(results)).toEqual([
      { field: 'total', failed: 3, n: 4 },
      { field: 'date', failed: 2, n: 4 },
      { field: 'vendor', failed: 1, n: 4 }
    ])
  })

  it('is undefined without field results and empty when every field passed', () => {
    expect(fieldFailures([example('1'), example('2')])).toBeUndefined()
    expect(fieldFailures([example('1', { a: true })])).toEqual([])
  })
})
