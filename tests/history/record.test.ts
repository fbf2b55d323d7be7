import { describe, expect, it } from 'vitest'
import { InputError } from '../../src/errors.js'
import { readHistoryText } from '../../src/report/history-check.js'
import { parseHistoryFile, renderHistoryFile } from '../../src/report/history-file.js'
import * as fromGithub from '../../src/github/history-file.js'
import { exampleScores } from '../../src/eval/trend-tests.js'
import { MAX_EXAMPLES_PER_TASK, historyRecordOf } from '../../src/report/history-record.js'
import { makeEvalReport } from '../report/fixtures.js'
import { ones, reportWith } from './reports.js'

const META = {
  sha: 'a'.repeat(40),
  date: '2026-08-01T12:00:00.000Z',
  ref: 'refs/heads/main',
  runUrl: 'https://github.com/o/r/actions/runs/7',
  threshold: 0.8
}

describe('historyRecordOf', () => {
  it('records the model each task ran on and the judge its checks named', () => {
    const report = reportWith([
      { name: 'route', scores: [1, 0] },
      { name: 'summarize', scores: [1, 1] }
    ])
    const [route, summarize] = report.tasks
    if (route === undefined || summarize === undefined) throw new Error('two tasks expected')
    route.model = 'openai/gpt-4.1'
    route.checks = [
      {
        name: 'polite',
        metric: 'llm',
        weight: 1,
        not: false,
        score: 1,
        passed: 2,
        unreadable: 0,
        judgeModel: 'openai/gpt-4o'
      }
    ]
    const record = historyRecordOf(report, META)
    expect(record.tasks.map((t) => [t.task, t.model, t.judgeModel])).toEqual([
      ['route', 'openai/gpt-4.1', 'openai/gpt-4o'],
      ['summarize', report.models.target, undefined]
    ])
  })

  it('keeps per task the score, interval, n, hashes, model, cost and per-example scores', () => {
    const report = reportWith([
      { name: 'triage', scores: [1, 0, 1, 0.333333], promptHash: 'p', dataHash: 'd' },
      { name: 'judge', scores: [0.5, 1], metric: 'judge', systemPromptHash: 's' }
    ])
    const record = historyRecordOf(report, META)
    expect(record).toMatchObject({
      ...META,
      tool: '0.1.0',
      provider: 'openai',
      split: 'test',
      configHash: report.config.hash,
      stop: 'completed',
      cost: { usd: 1.2345, calls: 1536, cachedCalls: 212, tokens: 1_234_567 + 40_123 }
    })
    const [triage, judge] = record.tasks
    expect(triage).toMatchObject({
      task: 'triage',
      n: 4,
      failed: 0,
      metric: 'accuracy',
      model: 'gpt-4o-mini',
      promptHash: 'p',
      systemPromptHash: null,
      dataHash: 'd',
      interval: { level: 0.95 },
      examples: {
        ids: ['triage-1', 'triage-2', 'triage-3', 'triage-4'],
        scores: [1, 0, 1, 0.3333],
        total: 4
      }
    })
    expect(triage?.judgeModel).toBeUndefined()
    expect(judge).toMatchObject({ judgeModel: 'gpt-4o-mini', systemPromptHash: 's' })
    // The run's dollars, shared out by tokens: 400 of 1,274,690 tokens.
    expect(triage?.cost?.tokens).toBe(400)
    expect(triage?.cost?.usd).toBeCloseTo((1.2345 * 400) / 1_274_690, 12)
    expect(exampleScores(triage!).get('triage-4')).toBe(0.3333)
  })

  it('leaves out examples whose call failed, and the cost when it was not measured', () => {
    const report = makeEvalReport()
    const task = report.tasks[0]!
    task.examples[0] = { ...task.examples[0]!, output: null, error: 'timeout' }
    const record = historyRecordOf(report, META)
    expect(record.tasks[0]?.examples?.ids).not.toContain(task.examples[0]?.id)
    expect(record.tasks[0]?.examples?.total).toBe(task.examples.length - 1)
    expect(record.tasks[0]?.cost).toBeUndefined()
  })

  it('caps the per-example scores with a subset chosen by id, stable under reordering', () => {
    const n = MAX_EXAMPLES_PER_TASK + 500
    const ids = Array.from({ length: n }, (_v, i) => `row-${i}`)
    const scores = ones(n, 1800)
    const a = historyRecordOf(reportWith([{ name: 't', scores, ids }]), META)
    const reversed = reportWith([
      { name: 't', scores: [...scores].reverse(), ids: [...ids].reverse() }
    ])
    const b = historyRecordOf(reversed, META)
    const kept = a.tasks[0]?.examples
    expect(kept?.ids).toHaveLength(MAX_EXAMPLES_PER_TASK)
    expect(kept?.total).toBe(n)
    expect([...(b.tasks[0]?.examples?.ids ?? [])].sort()).toEqual([...(kept?.ids ?? [])].sort())
    // Not simply the first rows.
    expect(kept?.ids.some((id) => Number(id.slice(4)) >= MAX_EXAMPLES_PER_TASK)).toBe(true)
    // Each kept id keeps its own score.
    const map = exampleScores(a.tasks[0]!)
    for (const id of kept?.ids ?? []) expect(map.get(id)).toBe(Number(id.slice(4)) < 1800 ? 1 : 0)
    expect(
      historyRecordOf(reportWith([{ name: 't', scores, ids }]), META, { maxExamples: 10 }).tasks[0]
        ?.examples?.ids
    ).toHaveLength(10)
  })
})

describe('the history file', () => {
  it('round-trips records, keeping arrays of values on one line', () => {
    const record = historyRecordOf(reportWith([{ name: 't', scores: ones(300, 250) }]), META)
    const text = renderHistoryFile([record, record])
    expect(parseHistoryFile(text, 'h.json')).toEqual([record, record])
    expect(text).toMatch(
      /^\{\n {2}"schemaVersion": 1,\n {2}"records": \[\n {4}\{\n {6}"sha": "a{40}",/
    )
    expect(text).toContain(`"scores": [${ones(300, 250).join(',')}]`)
    expect(text.split('\n').length).toBeLessThan(120)
    expect(text.endsWith('}\n')).toBe(true)
    // The old import path still works.
    expect(fromGithub.renderHistoryFile).toBe(renderHistoryFile)
    expect(fromGithub.HISTORY_SCHEMA_VERSION).toBe(1)
  })

  it('renders like JSON.stringify(…, null, 2) apart from the one-line arrays', () => {
    const value = [{ a: [{ b: 1 }, { c: [] }], d: {}, e: null, f: 'x"y', g: undefined }]
    expect(JSON.parse(renderHistoryFile(value))).toEqual({
      schemaVersion: 1,
      records: [{ a: [{ b: 1 }, { c: [] }], d: {}, e: null, f: 'x"y' }]
    })
    expect(renderHistoryFile([])).toBe('{\n  "schemaVersion": 1,\n  "records": []\n}\n')
  })

  it('names the record and key of a malformed history', () => {
    const good = historyRecordOf(reportWith([{ name: 't', scores: [1, 0] }]), META)
    const bad = (mutate: (r: Record<string, unknown>) => void): unknown => {
      const copy = JSON.parse(JSON.stringify(good)) as Record<string, unknown>
      mutate(copy)
      const text = renderHistoryFile([good, copy])
      return (() => {
        try {
          return readHistoryText(text, 'history.json')
        } catch (error) {
          return error
        }
      })()
    }
    const cases: Array<[(r: Record<string, unknown>) => void, RegExp]> = [
      [(r) => delete r['sha'], /history\.json: records\[1\]\.sha: expected a commit sha/],
      [(r) => (r['tasks'] = 'x'), /records\[1\]\.tasks: expected an array/],
      [
        (r) => ((r['tasks'] as Array<Record<string, unknown>>)[0]!['score'] = 'high'),
        /records\[1\]\.tasks\[0\]\.score/
      ],
      [
        (r) =>
          ((
            (r['tasks'] as Array<Record<string, unknown>>)[0]!['examples'] as Record<
              string,
              unknown
            >
          )['scores'] = [1]),
        /records\[1\]\.tasks\[0\]\.examples: expected as many scores as ids/
      ]
    ]
    for (const [mutate, message] of cases) {
      const error = bad(mutate)
      expect(error).toBeInstanceOf(InputError)
      expect((error as Error).message).toMatch(message)
    }
    expect(() => readHistoryText('{"schemaVersion": 9, "records": []}', 'h.json')).toThrow(
      /schemaVersion 9/
    )
    expect(() => readHistoryText('nope', 'h.json')).toThrow(InputError)
    expect(readHistoryText(renderHistoryFile([good]), 'h.json')).toEqual([good])
  })
})
