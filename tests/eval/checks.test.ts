import { plainPrompt } from '../../src/config/prompt.js'
import { describe, expect, it } from 'vitest'
import type { CheckConfig, ChecksConfig, MetricConfig } from '../../src/config/types.js'
import { compareTaskResults } from '../../src/eval/compare.js'
import { summarizeTask } from '../../src/eval/evaluate.js'
import { applyGate } from '../../src/eval/gate.js'
import { createTaskMetric, macroF1 } from '../../src/eval/metrics/index.js'
import type { ExampleResult, MetricContext, TaskEvalResult } from '../../src/eval/types.js'
import type { ChatModel } from '../../src/llm/chat-model.js'
import { taskResult } from './fixtures.js'

function check(metric: MetricConfig, more: Partial<CheckConfig> = {}): CheckConfig {
  return { name: metric.type, weight: 1, not: false, value: undefined, metric, ...more }
}

function taskMetric(checks: CheckConfig[], pass: ChecksConfig['pass'] = 'mean') {
  return createTaskMetric({
    metric: { type: 'exact' },
    checks: { checks, pass },
    extract: { type: 'raw' }
  })
}

const ctx = (fields: Record<string, unknown> = {}): MetricContext => ({
  judge: undefined,
  input: 'q',
  fields,
  row: { id: 'r1', line: 1 }
})

const contains: MetricConfig = { type: 'contains', caseSensitive: false }
const apology: MetricConfig = { type: 'regex', pattern: 'sorry', flags: 'i' }

describe('several checks per example', () => {
  it("carries a json check's per-field results onto the example", async () => {
    const json: MetricConfig = {
      type: 'json',
      fields: [
        { path: 'vendor', match: { type: 'text' } },
        { path: 'total', match: { type: 'numeric', tolerance: 0.01, relative: false } }
      ],
      credit: 'partial'
    }
    const metric = taskMetric([check(json), check(contains, { name: 'says_total', value: '12' })])
    const scored = await metric.score(
      '{"vendor": "ACME", "total": 13}',
      { vendor: 'Acme', total: 12 },
      ctx()
    )
    expect(scored.checks?.[0]?.score).toBe(0.5)
    expect(Object.keys(scored.fields ?? {})).toEqual(['vendor', 'total'])
  })

  it('weights the checks in the mean and keeps each check on the example', async () => {
    const metric = taskMetric([
      check(contains, { name: 'refund', value: 'refund' }),
      check(contains, { name: 'days', value: '30 days', weight: 3 })
    ])
    const scored = await metric.score('You get a refund.', 'unused', ctx())
    expect(scored.score).toBe(0.25)
    expect(scored.checks).toEqual([
      {
        name: 'refund',
        score: 1,
        answer: 'You get a refund.',
        unreadable: false,
        expected: 'refund'
      },
      {
        name: 'days',
        score: 0,
        answer: 'You get a refund.',
        unreadable: false,
        expected: '30 days'
      }
    ])
    expect(scored.unreadable).toBe(false)
  })

  it('negates with not: a match fails, no match passes, an unreadable answer fails', async () => {
    const no = taskMetric([check(apology, { not: true })])
    expect((await no.score('Sorry, no.', 'x', ctx())).score).toBe(0)
    expect((await no.score('Here it is.', 'x', ctx())).score).toBe(1)
    const tagged = createTaskMetric({
      metric: { type: 'exact' },
      checks: { checks: [check(apology, { not: true })], pass: 'mean' },
      extract: { type: 'tag', tag: 'answer' }
    })
    const unreadable = await tagged.score('no tag here', 'x', ctx())
    expect(unreadable).toMatchObject({ score: 0, unreadable: true })
  })

  it('with pass: all scores 1 only when every check passes', async () => {
    const checks = [check({ type: 'exact' }), check(apology, { not: true, weight: 5 })]
    const all = taskMetric(checks, 'all')
    expect((await all.score('Paris', 'paris', ctx())).score).toBe(1)
    expect((await all.score('Sorry: Paris', 'paris', ctx())).score).toBe(0)
    expect((await taskMetric(checks).score('Paris, sorry', 'paris', ctx())).score).toBe(0)
    expect((await taskMetric(checks).score('sorry', 'sorry', ctx())).score).toBe(1 / 6)
  })

  it('fills a value from the row: a whole slot keeps the field, a text is rendered', async () => {
    const metric = taskMetric([
      check(contains, { name: 'vendor', value: 'by {{vendor.name}}' }),
      check({ type: 'exact' }, { name: 'any', value: '{{accepted}}' }),
      check({ type: 'numeric', tolerance: 0, relative: false }, { name: 'n', value: '{{n}}' })
    ])
    const fields = { vendor: { name: 'Acme' }, accepted: ['yes', 'made by acme'], n: 3 }
    const scored = await metric.score('Made by ACME', 'ignored', ctx(fields))
    expect(scored.checks?.map((c) => [c.name, c.score, c.expected])).toEqual([
      ['vendor', 1, 'by Acme'],
      ['any', 1, ['yes', 'made by acme']],
      ['n', 0, 3]
    ])
    expect(scored.score).toBeCloseTo(2 / 3, 12)
    const missing = await metric
      .score('x', 'y', ctx({ accepted: 'x', n: 1 }))
      .catch((e: Error) => e)
    expect((missing as Error).message).toBe(
      'check value of vendor: slot {{vendor.name}} has no field in row "r1" (line 1); the row\'s fields are: accepted, n'
    )
  })

  it('asks the judge once per judge check and combines its verdict with the others', async () => {
    const calls: string[] = []
    const judge: ChatModel = {
      model: 'j',
      role: 'judge',
      complete(request) {
        calls.push(request.messages.map((m) => m.content).join('\n'))
        return Promise.resolve({
          text: '<reason>rude</reason><score>2</score>',
          usage: { inputTokens: 1, outputTokens: 1 },
          cached: false
        })
      }
    }
    const metric = taskMetric([
      check({ type: 'exact' }),
      check({ type: 'judge', rubric: 'Rude?', scale: 5, passAt: 4 }, { not: true })
    ])
    const scored = await metric.score('paris', 'Paris', { ...ctx(), judge })
    expect(calls).toHaveLength(1)
    expect(scored.score).toBe(1)
    expect(scored.rationale).toBe('judge: rude')
  })

  it("fails a negated judge check whose judge gave no grade, and marks it as the judge's", async () => {
    const judge: ChatModel = {
      model: 'j',
      role: 'judge',
      complete: () =>
        Promise.resolve({
          text: 'Seems polite enough.',
          usage: { inputTokens: 1, outputTokens: 1 },
          cached: false
        })
    }
    const metric = taskMetric([
      check({ type: 'exact' }),
      check({ type: 'judge', rubric: 'Rude?', scale: 5, passAt: 4 }, { not: true })
    ])
    const scored = await metric.score('paris', 'Paris', { ...ctx(), judge })
    expect(scored.score).toBe(0.5)
    expect(scored.unreadable).toBe(false)
    expect(scored.judgeUnreadable).toBe(true)
    expect(scored.checks?.[1]).toMatchObject({ score: 0, unreadable: false, judgeUnreadable: true })
  })
})

function example(id: number, expected: string, answer: string, polite: boolean): ExampleResult {
  const label = expected === answer ? 1 : 0
  return {
    id: String(id),
    split: 'test',
    expected,
    output: answer,
    answer,
    score: (label + (polite ? 1 : 0)) / 2,
    unreadable: false,
    checks: [
      { name: 'label', score: label, answer, unreadable: false },
      { name: 'polite', score: polite ? 1 : 0, answer, unreadable: false }
    ]
  }
}

describe('task scores of several checks', () => {
  const prompt = plainPrompt(undefined, { path: 'q.md', text: 'Q {{x}}' })
  const polite = check(contains, { name: 'polite', value: 'please' })

  it('is the mean of the example scores when every check is a mean, with each check summarised', () => {
    const results = [
      example(1, 'a', 'a', true),
      example(2, 'b', 'a', true),
      example(3, 'a', 'a', false)
    ]
    const metric = taskMetric([
      check({ type: 'choice', choices: ['a', 'b'], score: 'accuracy' }, { name: 'label' }),
      polite
    ])
    const task = summarizeTask({
      task: 't',
      metric,
      prompt,
      dataHash: 'd',
      results,
      level: 0.95,
      seed: 1
    })
    expect(task.metric).toBe('mean of checks')
    expect(task.score).toBeCloseTo(4 / 6, 12)
    expect(task.interval.value).toBe(task.score)
    expect(task.checks).toEqual([
      {
        name: 'label',
        metric: 'accuracy',
        weight: 1,
        not: false,
        score: 2 / 3,
        passed: 2,
        unreadable: 0
      },
      {
        name: 'polite',
        metric: 'contains',
        weight: 1,
        not: false,
        score: 2 / 3,
        passed: 2,
        unreadable: 0
      }
    ])
  })

  it('takes a macro_f1 check as its macro-F1 in the weighted mean of the checks', () => {
    const results = [
      ...Array.from({ length: 8 }, (_, i) => example(i, 'a', 'a', i < 4)),
      example(10, 'b', 'a', true),
      example(11, 'b', 'b', true)
    ]
    const metric = taskMetric([
      check(
        { type: 'choice', choices: ['a', 'b'], score: 'macro_f1' },
        { name: 'label', weight: 3 }
      ),
      polite
    ])
    const task = summarizeTask({
      task: 't',
      metric,
      prompt,
      dataHash: 'd',
      results,
      level: 0.95,
      seed: 1
    })
    const f1 = macroF1(
      ['a', 'b'],
      results.map((r) => ({ predicted: r.answer, actual: String(r.expected) }))
    )
    expect(f1).toBeCloseTo((16 / 17 + 2 / 3) / 2, 12)
    expect(task.checks?.[0]?.score).toBeCloseTo(f1, 12)
    expect(task.score).toBeCloseTo((3 * f1 + 6 / 10) / 4, 12)
    expect(task.interval.value).toBe(task.score)
  })
})

describe('comparing tasks with several checks', () => {
  // 20 examples; base passes both checks everywhere, head loses `polite` on 12 examples.
  const run = (politeFails: number): TaskEvalResult => {
    const examples = Array.from({ length: 20 }, (_, i) => example(i, 'a', 'a', i >= politeFails))
    const scores = examples.map((e) => e.score)
    const value = scores.reduce((a, b) => a + b) / scores.length
    return {
      ...taskResult(scores),
      score: value,
      examples,
      metric: 'mean of checks'
    }
  }

  it('runs the paired test on the combined score and breaks the change down per check', () => {
    const comparison = compareTaskResults(run(0), run(12), { level: 0.95, seed: 3 })
    expect(comparison.base.value).toBe(1)
    expect(comparison.head.value).toBeCloseTo(1 - 12 / 40, 12)
    expect(comparison.test).toBe('paired-permutation')
    expect(comparison.checks).toEqual([
      { name: 'label', base: 1, head: 1, delta: 0, pValue: 1, verdict: 'unchanged' },
      expect.objectContaining({ name: 'polite', base: 1, head: 0.4, verdict: 'regressed' })
    ])
    expect(comparison.checks?.[1]?.delta).toBeCloseTo(-0.6, 12)
    const gate = applyGate([], [comparison], {
      source: 'config',
      minScore: undefined,
      maxDrop: 0.05,
      confidence: 0.95,
      newTasks: 'warn',
      sequential: true,
      firstLook: 50,
      lookEvery: 25
    })
    expect(gate.passed).toBe(false)
    expect(gate.checks[0]?.message).toMatch(
      /^1\.00 → 0\.70 drops 0\.30, more than max_drop 0\.05 \(p[<=][\d.]+\); checks that dropped: polite 1\.00 → 0\.40 \(p[<=][\d.]+\)$/
    )
  })

  it('leaves one-metric tasks without a per-check breakdown', () => {
    const comparison = compareTaskResults(taskResult([1, 0, 1]), taskResult([1, 1, 1]), {
      level: 0.95,
      seed: 3
    })
    expect(comparison).not.toHaveProperty('checks')
  })
})
