import { describe, expect, it } from 'vitest'
import type { ExtractConfig, MetricConfig } from '../../src/config/types.js'
import { InputError } from '../../src/errors.js'
import { createMetric } from '../../src/eval/metrics/index.js'
import type { MetricContext } from '../../src/eval/types.js'

const ctx: MetricContext = { judge: undefined, input: 'question' }
const raw: ExtractConfig = { type: 'raw' }
const tag: ExtractConfig = { type: 'tag', tag: 'answer' }

async function score(
  metric: MetricConfig,
  extract: ExtractConfig,
  reply: string,
  expected: unknown
) {
  return createMetric(metric, extract).score(reply, expected, ctx)
}

describe('exact', () => {
  const exact: MetricConfig = { type: 'exact' }

  it('matches after normalisation', async () => {
    expect(await score(exact, raw, '  New-York!  ', 'new york')).toEqual({
      score: 1,
      answer: 'New-York!',
      unreadable: false
    })
    expect((await score(exact, raw, 'New York City', 'new york')).score).toBe(0)
  })

  it('compares numbers and lists of accepted answers as text', async () => {
    expect((await score(exact, raw, '42', 42)).score).toBe(1)
    expect((await score(exact, raw, 'NYC', ['New York', 'nyc'])).score).toBe(1)
  })

  it('is unreadable when the tag is missing', async () => {
    expect(await score(exact, tag, 'Paris', 'paris')).toEqual({
      score: 0,
      answer: null,
      unreadable: true
    })
  })

  it('throws an InputError when the expected value is empty', async () => {
    await expect(score(exact, raw, 'x', '')).rejects.toThrow(InputError)
  })

  it('aggregates as the mean', () => {
    const metric = createMetric(exact, raw)
    const results = [1, 0, 1, 1].map((s) => ({ score: s, answer: 'a', expected: 'a' }))
    expect(metric.aggregate(results)).toBe(0.75)
    expect(metric.aggregate([])).toBe(0)
    expect(metric.name).toBe('exact')
  })
})

describe('contains', () => {
  it('finds the expected text, ignoring case by default', async () => {
    const metric: MetricConfig = { type: 'contains', caseSensitive: false }
    expect((await score(metric, raw, 'The capital is PARIS, France.', 'paris')).score).toBe(1)
    expect((await score(metric, raw, 'The capital is Lyon.', 'paris')).score).toBe(0)
  })

  it('respects caseSensitive', async () => {
    const metric: MetricConfig = { type: 'contains', caseSensitive: true }
    expect((await score(metric, raw, 'the capital is paris', 'Paris')).score).toBe(0)
    expect((await score(metric, raw, 'the capital is Paris.', 'Paris')).score).toBe(1)
  })

  it('searches the extracted answer only', async () => {
    const metric: MetricConfig = { type: 'contains', caseSensitive: false }
    const reply = 'Paris is tempting, but <answer>Lyon</answer>'
    expect((await score(metric, tag, reply, 'paris')).score).toBe(0)
  })
})

describe('regex metric', () => {
  it('scores whether the answer matches, ignoring the expected value', async () => {
    const metric: MetricConfig = { type: 'regex', pattern: '^\\d{4}-\\d{2}-\\d{2}$', flags: '' }
    expect((await score(metric, raw, '2024-01-31', 'anything')).score).toBe(1)
    expect((await score(metric, raw, 'Jan 31', undefined)).score).toBe(0)
  })

  it('is not stateful with the g flag', async () => {
    const metric = createMetric({ type: 'regex', pattern: 'yes', flags: 'gi' }, raw)
    expect((await metric.score('YES', null, ctx)).score).toBe(1)
    expect((await metric.score('YES', null, ctx)).score).toBe(1)
  })

  it('throws an InputError on a bad pattern', () => {
    expect(() => createMetric({ type: 'regex', pattern: '[', flags: '' }, raw)).toThrow(InputError)
  })
})

describe('numeric', () => {
  const absolute: MetricConfig = { type: 'numeric', tolerance: 0.01, relative: false }

  it('accepts answers within an absolute tolerance', async () => {
    expect(await score(absolute, raw, '3.145', 3.14)).toEqual({
      score: 1,
      answer: '3.145',
      unreadable: false
    })
    expect((await score(absolute, raw, '3.16', '3.14')).score).toBe(0)
  })

  it('reads formatted numbers and the last number of a sentence', async () => {
    const exactly: MetricConfig = { type: 'numeric', tolerance: 0, relative: false }
    expect((await score(exactly, raw, '1,234.5', 1234.5)).score).toBe(1)
    expect((await score(exactly, raw, 'So the answer is -3.', '-3')).score).toBe(1)
    expect((await score(exactly, raw, '50%', '50')).score).toBe(1)
    expect((await score(exactly, raw, '0.30000000000000004', 0.3)).score).toBe(1)
    expect((await score(exactly, raw, 'step 1 gives 5, then 7', '#### 7')).score).toBe(1)
  })

  it('supports a relative tolerance', async () => {
    const relative: MetricConfig = { type: 'numeric', tolerance: 0.05, relative: true }
    expect((await score(relative, raw, '104', 100)).score).toBe(1)
    expect((await score(relative, raw, '106', 100)).score).toBe(0)
    expect((await score(relative, raw, '0.001', 0)).score).toBe(0)
  })

  it('is unreadable without a number', async () => {
    expect(await score(absolute, raw, 'I cannot tell', 3)).toEqual({
      score: 0,
      answer: null,
      unreadable: true
    })
  })

  it('throws an InputError when the expected value is not a number', async () => {
    await expect(score(absolute, raw, '3', 'three')).rejects.toThrow(/expected value, got "three"/)
  })
})

/** Fields compared exactly, all-or-nothing: the json metric before field scores. */
function exactFields(...paths: string[]): MetricConfig {
  return {
    type: 'json',
    fields: paths.map((path) => ({ path, match: { type: 'exact' } })),
    credit: 'all'
  }
}

describe('json metric', () => {
  it('compares listed fields, with the expected value as an object or a JSON string', async () => {
    const metric = exactFields('name', 'tags[0]')
    const reply = 'Here: {"name": "Ada", "tags": ["math", "x"], "extra": 1}'
    expect((await score(metric, raw, reply, { name: 'Ada', tags: ['math'] })).score).toBe(1)
    expect((await score(metric, raw, reply, '{"name": "Ada", "tags": ["math"]}')).score).toBe(1)
    expect((await score(metric, raw, reply, { name: 'ada', tags: ['math'] })).score).toBe(0)
  })

  it('fails when a listed field is missing in the answer', async () => {
    const metric = exactFields('age')
    expect((await score(metric, raw, '{"name": "Ada"}', { age: 36 })).score).toBe(0)
  })

  it('deep-compares the whole value without fields', async () => {
    const metric: MetricConfig = { type: 'json', fields: undefined, credit: 'partial' }
    const result = await score(metric, raw, '```json\n{"b": [1, 2], "a": 1}\n```', {
      a: 1,
      b: [1, 2]
    })
    expect(result).toEqual({ score: 1, answer: '{"b":[1,2],"a":1}', unreadable: false })
    expect((await score(metric, raw, '{"a": 1}', { a: 1, b: [1, 2] })).score).toBe(0)
  })

  it('works with a json extraction path', async () => {
    const metric: MetricConfig = { type: 'json', fields: undefined, credit: 'partial' }
    const extract: ExtractConfig = { type: 'json', path: 'result' }
    expect((await score(metric, extract, '{"result": {"x": 1}}', '{"x": 1}')).score).toBe(1)
  })

  it('is unreadable when the answer holds no JSON', async () => {
    const metric = exactFields('a')
    expect((await score(metric, raw, 'sorry, no idea', { a: 1 })).unreadable).toBe(true)
  })
})
