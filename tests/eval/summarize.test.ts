import { describe, expect, it } from 'vitest'
import { plainPrompt } from '../../src/config/prompt.js'
import { keepOutput, summarizeTask } from '../../src/eval/evaluate.js'
import { createMetric } from '../../src/eval/metrics/index.js'
import { OUTPUT_KEEP_CHARS, type ExampleResult } from '../../src/eval/types.js'

function result(id: number, expected: string, answer: string): ExampleResult {
  return {
    id: String(id),
    split: 'test',
    expected,
    output: `<answer>${answer}</answer>`,
    answer,
    score: expected === answer ? 1 : 0,
    unreadable: false
  }
}

describe('summarizeTask', () => {
  const results = [
    ...Array.from({ length: 30 }, (_, i) => result(i, 'a', 'a')),
    ...Array.from({ length: 6 }, (_, i) => result(100 + i, 'b', i < 2 ? 'b' : 'a'))
  ]
  const prompt = plainPrompt(undefined, { path: 'q.md', text: 'Q {{x}}' })

  it('gives a macro-F1 task the interval of its own score, not of the accuracy', () => {
    const metric = createMetric(
      { type: 'choice', choices: ['a', 'b'], score: 'macro_f1' },
      { type: 'tag', tag: 'answer' }
    )
    const task = summarizeTask({
      task: 't',
      metric,
      prompt,
      dataHash: 'd',
      results,
      level: 0.95,
      seed: 1
    })
    const accuracy = 32 / 36
    expect(task.score).not.toBeCloseTo(accuracy, 3)
    expect(task.interval.value).toBe(task.score)
    expect(task.interval.low).toBeLessThanOrEqual(task.score)
    expect(task.interval.high).toBeGreaterThanOrEqual(task.score)
  })

  it('gives an accuracy task the interval of the mean per-example score', () => {
    const metric = createMetric(
      { type: 'choice', choices: ['a', 'b'], score: 'accuracy' },
      { type: 'tag', tag: 'answer' }
    )
    const task = summarizeTask({
      task: 't',
      metric,
      prompt,
      dataHash: 'd',
      results,
      level: 0.95,
      seed: 1
    })
    expect(task.score).toBeCloseTo(32 / 36, 12)
    expect(task.interval.value).toBeCloseTo(32 / 36, 12)
  })
})

describe('keepOutput', () => {
  it('keeps a reply up to the cap and never ends in half a surrogate pair', () => {
    expect(keepOutput('short')).toBe('short')
    expect(keepOutput('a'.repeat(OUTPUT_KEEP_CHARS + 5))).toBe('a'.repeat(OUTPUT_KEEP_CHARS))
    const emoji = 'a'.repeat(OUTPUT_KEEP_CHARS - 1) + '\u{1F600}' + 'tail'
    expect(keepOutput(emoji)).toBe('a'.repeat(OUTPUT_KEEP_CHARS - 1))
  })
})
