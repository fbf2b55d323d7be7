import { describe, expect, it } from 'vitest'
import type { ExtractConfig, MetricConfig } from '../../src/config/types.js'
import { InputError } from '../../src/errors.js'
import { createLabelReader, createMetric, macroF1 } from '../../src/eval/metrics/index.js'
import type { MetricContext } from '../../src/eval/types.js'

const ctx: MetricContext = { judge: undefined, input: '' }
const raw: ExtractConfig = { type: 'raw' }
const tag: ExtractConfig = { type: 'tag', tag: 'answer' }
const spam: MetricConfig = { type: 'choice', choices: ['spam', 'not spam'], score: 'accuracy' }

describe('label reading', () => {
  const reader = createLabelReader(['billing', 'bug', 'account', 'other'])

  it('lets the last mention win', () => {
    expect(reader.lastMention('Could be billing, but it is really a bug.')).toBe('bug')
    expect(reader.lastMention('Bug? No: BILLING')).toBe('billing')
  })

  it('matches whole words only', () => {
    expect(reader.lastMention('debugging the accountant')).toBeNull()
    expect(reader.lastMention('(bug)')).toBe('bug')
  })

  it('gives overlapping mentions to the longer label', () => {
    const r = createLabelReader(['spam', 'not spam'])
    expect(r.lastMention('This is not spam.')).toBe('not spam')
    expect(r.lastMention('Not   spam, definitely spam')).toBe('spam')
    expect(r.lastMention('spam? no, not spam')).toBe('not spam')
  })

  it('matches one-letter labels in their own case only', () => {
    const r = createLabelReader(['A', 'B', 'C', 'D'])
    expect(r.lastMention('B is a good answer')).toBe('B')
    expect(r.read('b')).toBe('B')
  })

  it('reads an exact label ignoring case and punctuation', () => {
    expect(reader.read(' **Billing.** ')).toBe('billing')
  })
})

describe('choice metric', () => {
  it('reads the label from the tag when it holds one', async () => {
    const metric = createMetric(spam, tag)
    const reply = 'Spam-like wording, yet <answer>Not Spam</answer>'
    expect(await metric.score(reply, 'not spam', ctx)).toEqual({
      score: 1,
      answer: 'not spam',
      unreadable: false
    })
  })

  it('reads the last mention inside a tag that holds a sentence', async () => {
    const metric = createMetric(spam, tag)
    const reply = '<answer>I first thought not spam, but it is spam</answer>'
    expect((await metric.score(reply, 'spam', ctx)).answer).toBe('spam')
  })

  it('falls back to the whole reply when the tag is missing', async () => {
    const metric = createMetric(spam, tag)
    expect((await metric.score('Verdict: not spam', 'NOT SPAM', ctx)).score).toBe(1)
  })

  it('makes a reply naming no label unreadable', async () => {
    const metric = createMetric(spam, raw)
    expect(await metric.score('I am not sure.', 'spam', ctx)).toEqual({
      score: 0,
      answer: null,
      unreadable: true
    })
  })

  it('throws an InputError for an expected label outside the choices', async () => {
    const metric = createMetric(spam, raw)
    await expect(metric.score('spam', 'ham', ctx)).rejects.toThrow(InputError)
    await expect(metric.score('spam', 'ham', ctx)).rejects.toThrow(
      /not one of the choices: spam, not spam/
    )
  })

  it('rejects an empty label set', () => {
    expect(() => createMetric({ type: 'choice', choices: [' '], score: 'accuracy' }, raw)).toThrow(
      InputError
    )
  })

  it('aggregates accuracy as the mean score', () => {
    const metric = createMetric(spam, raw)
    expect(metric.name).toBe('accuracy')
    const results = [
      { score: 1, answer: 'spam', expected: 'spam' },
      { score: 0, answer: null, expected: 'spam' },
      { score: 1, answer: 'not spam', expected: 'not spam' }
    ]
    expect(metric.aggregate(results)).toBeCloseTo(2 / 3, 12)
  })
})

describe('macro-F1', () => {
  // a: tp 2, fp 1, fn 2 → 4/7; b: tp 1, fp 1, fn 1 → 1/2; c: tp 1 → 1; d: no support, no
  // predictions → left out. Macro = (4/7 + 1/2 + 1)/3 = 29/42.
  const rows: Array<[string | null, string]> = [
    ['a', 'a'],
    ['a', 'a'],
    ['b', 'a'],
    [null, 'a'],
    ['b', 'b'],
    ['a', 'b'],
    ['c', 'c']
  ]

  it('matches a hand-computed value', () => {
    const pairs = rows.map(([predicted, actual]) => ({ predicted, actual }))
    expect(macroF1(['a', 'b', 'c', 'd'], pairs)).toBeCloseTo(29 / 42, 12)
  })

  it('is what the choice metric aggregates, with labels in any case', () => {
    const metric = createMetric(
      { type: 'choice', choices: ['a', 'b', 'c', 'd'], score: 'macro_f1' },
      raw
    )
    expect(metric.name).toBe('macro_f1')
    const results = rows.map(([answer, expected]) => ({
      score: answer === expected ? 1 : 0,
      answer,
      expected: expected.toUpperCase()
    }))
    expect(metric.aggregate(results)).toBeCloseTo(29 / 42, 12)
  })

  it('counts a predicted class with no support as F1 0', () => {
    const pairs = [
      { predicted: 'x', actual: 'y' },
      { predicted: 'y', actual: 'y' }
    ]
    // x: tp 0, fp 1 → 0; y: tp 1, fn 1 → 2/3.
    expect(macroF1(['x', 'y'], pairs)).toBeCloseTo(1 / 3, 12)
  })

  it('is 0 with no results', () => {
    expect(macroF1(['a'], [])).toBe(0)
  })
})
