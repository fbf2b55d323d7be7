/**
 * GEPA's per-example feedback and the reflection's guards.
 */
import { describe, expect, it } from 'vitest'
import type { Example } from '../../src/config/project-types.js'
import type { ExampleResult } from '../../src/eval/types.js'
import { exampleFeedback } from '../../src/optimize/gepa/feedback.js'
import { copyIndex, readReflection, reflectionMessages } from '../../src/optimize/gepa/reflect.js'
import { answerAsOptimizer } from '../../src/simulate/optimizer-model.js'

function example(
  expected: unknown,
  text = 'The app crashes when I upload a photo of my cat'
): Example {
  return { id: 'r1', fields: { text }, expected, split: 'train', line: 1 }
}

function result(over: Partial<ExampleResult>): ExampleResult {
  return {
    id: 'r1',
    split: 'train',
    expected: null,
    output: 'reply',
    answer: null,
    score: 0,
    unreadable: false,
    ...over
  }
}

describe('GEPA feedback', () => {
  it('says correct, label expected vs given, nothing readable, a numeric miss', () => {
    expect(exampleFeedback(example('bug'), result({ score: 1, answer: 'bug' }))).toBe('correct')
    expect(exampleFeedback(example('bug'), result({ answer: 'billing' }))).toBe(
      'wrong (score 0.00): expected "bug", got "billing"'
    )
    expect(exampleFeedback(example('bug'), result({ unreadable: true }))).toContain(
      'nothing readable'
    )
    expect(exampleFeedback(example(12), result({ answer: '15' }))).toContain(
      'expected the number 12, got 15 (off by 3)'
    )
  })

  it('names missing and wrong JSON fields, never a long gold text', () => {
    const json = exampleFeedback(
      example({ a: 1, b: 2, c: 3 }),
      result({ answer: JSON.stringify({ a: 1, b: 5 }) })
    )
    expect(json).toContain('fields missing: c')
    expect(json).toContain('fields with a wrong value: b')
    const gold = 'A long reference answer that the reflection must never be shown verbatim.'
    const long = exampleFeedback(example(gold), result({ answer: 'short' }))
    expect(long).not.toContain('reference answer')
    expect(long).toContain('too long to show')
  })

  it('reads failed checks and the judge critique', () => {
    const text = exampleFeedback(
      example('bug'),
      result({
        score: 0.5,
        checks: [
          { name: 'label', score: 1, answer: 'bug', unreadable: false },
          { name: 'tone', score: 0, answer: 'rude', unreadable: false, rationale: 'too curt' }
        ]
      })
    )
    expect(text).toBe(
      'wrong (score 0.50): check tone failed: expected "", got "rude" — judge: too curt'
    )
  })

  it('tells a schema miss and GitHub Models evaluators by their own rule, not the row', () => {
    const schema = exampleFeedback(
      example({ total: 12 }),
      result({ answer: '{"total":"x"}', rationale: '/total must be number' }),
      { metric: { type: 'json_schema', schema: { file: undefined, value: { type: 'object' } } } }
    )
    expect(schema).toContain('the reply breaks the response schema')
    expect(schema).toContain('/total must be number')
    expect(schema).not.toContain('fields with a wrong value')
    const string = exampleFeedback(example(null, 'bug'), result({ answer: 'billing' }), {
      metric: { type: 'gh-string', op: 'contains', value: '{{text}}' }
    })
    expect(string).toBe('wrong (score 0.00): the reply does not satisfy contains "bug"')
    const passedCheck = exampleFeedback(
      example(null),
      result({
        score: 0.5,
        checks: [
          { name: 'tone', score: 0.5, passed: true, answer: 'ok', unreadable: false },
          { name: 'label', score: 0, passed: false, answer: 'no', unreadable: false }
        ]
      }),
      {
        metric: { type: 'exact' },
        checks: {
          pass: 'all',
          checks: [
            {
              name: 'tone',
              weight: 1,
              not: false,
              value: undefined,
              metric: { type: 'gh-builtin', builtin: 'fluency' }
            },
            {
              name: 'label',
              weight: 1,
              not: false,
              value: undefined,
              metric: { type: 'gh-builtin', builtin: 'relevance' }
            }
          ]
        }
      }
    )
    expect(passedCheck).toContain('check label failed: the evaluator graded it "no"')
    expect(passedCheck).not.toContain('check tone')
  })
})

describe('GEPA reflection guards', () => {
  const parent =
    'Classify the ticket.\n\nTicket: {{text}}\nGive exactly one label, inside <answer></answer> tags.'
  const rules = { requiredSlots: ['text'], requiredMarkers: ['<answer>'] }
  const index = copyIndex([example('bug')])

  it('rejects a prompt that copies train text, an over-long one and an unclosed one', () => {
    const copied = `${parent}\nFor example: the app crashes when I upload a photo`
    expect(
      readReflection(`<new_prompt>${copied}</new_prompt>`, parent, rules, 2000, index)
    ).toMatchObject({
      ok: false,
      reason: 'copiesTrain'
    })
    expect(
      readReflection(`<new_prompt>${parent.repeat(30)}</new_prompt>`, parent, rules, 2000, index)
    ).toMatchObject({ ok: false, reason: 'tooLong' })
    expect(readReflection(`<new_prompt>${parent}`, parent, rules, 2000, index)).toMatchObject({
      ok: false,
      reason: 'missingTags'
    })
    const fine = `Read sarcasm as the opposite of its words.\n${parent}`
    expect(
      readReflection(`<new_prompt>${fine}</new_prompt>`, parent, rules, 2000, index)
    ).toMatchObject({
      ok: true
    })
  })

  it('is answered by the simulated optimizer with an instruction for the failing rows only', () => {
    const messages = reflectionMessages({
      prompt: parent,
      kind: 'user',
      conversation: undefined,
      slots: ['text'],
      maxChars: 2000,
      records: [
        {
          input: 'Ticket: Oh great, the app crashed again. Just wonderful.',
          output: '<answer>praise</answer>',
          feedback: 'wrong (score 0.00): expected "bug", got "praise"'
        },
        {
          input: 'Ticket: I was charged twice',
          output: '<answer>billing</answer>',
          feedback: 'correct'
        }
      ]
    })
    const reply = answerAsOptimizer(messages, {
      seed: 1,
      critiqueRates: { useful: 1, useless: 0 },
      mistakeRate: 0
    })
    expect(reply).toMatch(/^<new_prompt>[\s\S]*<\/new_prompt>$/)
    const outcome = readReflection(reply, parent, rules, 2000, index)
    expect(outcome.ok).toBe(true)
    if (outcome.ok) {
      expect(outcome.prompt).not.toBe(parent)
      expect(outcome.prompt.toLowerCase()).toMatch(/sarcas|ironic|irony/)
    }
  })
})
