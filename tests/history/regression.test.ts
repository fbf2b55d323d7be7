import { describe, expect, it } from 'vitest'
import { historyRecordOf } from '../../src/report/history-record.js'
import { compareRecords, detectRegressions } from '../../src/eval/trend.js'
import { renderAlertMarkdown } from '../../src/report/history-markdown.js'
import { brokenTableRows, splitCode } from '../report/markdown-check.js'
import { SAMPLE_DROP_AT, sampleHistory } from './sample-history.js'
import { flip, ones, recordWith, reportWith } from './reports.js'

const LEVEL = { level: 0.95 }
// Positions that look arbitrary, among the first 170 (right) and the last 30 (wrong) examples.
const RIGHT = [3, 11, 17, 26, 38, 41, 55, 62, 70, 77, 83, 91, 99, 104, 118, 120, 127, 133, 141, 149]
const MORE_RIGHT = [5, 8, 14, 22, 31, 47, 59, 66, 88, 95, 112, 137, 151, 158, 163, 166]
const WRONG = [171, 176, 183, 190, 197]

describe('detectRegressions, paired on example ids', () => {
  const before = ones(200, 170)
  const previous = recordWith('p1', [{ name: 'triage', scores: before }])

  it('alerts on a planted drop (McNemar exact) and names the examples that got worse', () => {
    const after = flip(before, [...RIGHT, ...MORE_RIGHT.slice(0, 10), ...WRONG.slice(0, 2)])
    const current = recordWith('c1', [{ name: 'triage', scores: after }])
    const alerts = detectRegressions(previous, current, LEVEL)
    expect(alerts).toHaveLength(1)
    const [alert] = alerts
    expect(alert).toMatchObject({
      task: 'triage',
      paired: true,
      n: 200,
      test: 'mcnemar-exact',
      verdict: 'regressed',
      worsenedCount: 30,
      changed: []
    })
    expect(alert?.delta).toBeCloseTo(-28 / 200, 10)
    expect(alert?.pValue).toBeLessThan(1e-5)
    expect(alert?.worsened).toHaveLength(10)
    expect(alert?.worsened[0]).toBe('triage-4')
    expect(alert?.previous.score).toBeCloseTo(0.85)
  })

  it('does not alert on noise: a few flips both ways', () => {
    const after = flip(
      before,
      [RIGHT[2], RIGHT[9], RIGHT[15], MORE_RIGHT[4], RIGHT[18], ...WRONG.slice(0, 3)].map(Number)
    )
    const current = recordWith('c2', [{ name: 'triage', scores: after }])
    expect(detectRegressions(previous, current, LEVEL)).toEqual([])
    const [trend] = compareRecords(previous, current, LEVEL)
    expect(trend).toMatchObject({ verdict: 'within-noise', test: 'mcnemar-exact', paired: true })
    expect(trend?.delta).toBeCloseTo(-2 / 200, 10)
    expect(trend?.pValue).toBeGreaterThan(0.5)
  })

  it('applies maxDrop: a significant drop within it is no alert', () => {
    const after = flip(before, [...RIGHT, ...MORE_RIGHT.slice(0, 10)])
    const current = recordWith('c3', [{ name: 'triage', scores: after }])
    expect(detectRegressions(previous, current, { level: 0.95, maxDrop: 0.2 })).toEqual([])
    expect(detectRegressions(previous, current, { level: 0.95, maxDrop: 0.1 })).toHaveLength(1)
    // Exactly max_drop is not beyond it.
    expect(detectRegressions(previous, current, { level: 0.95, maxDrop: 0.15 })).toEqual([])
  })

  it('uses a paired permutation test for scores in [0, 1], noise and drop alike', () => {
    const judge = Array.from({ length: 80 }, (_v, i) => [0.5, 0.75, 1, 0.25, 0.75][i % 5] ?? 0)
    const prev = recordWith('p2', [{ name: 'summarize', scores: judge, metric: 'judge' }])
    const noisy = judge.map((s, i) =>
      i === 7 ? s - 0.25 : i === 33 ? s + 0.25 : i === 61 ? s - 0.25 : s
    )
    const noise = recordWith('c4', [{ name: 'summarize', scores: noisy, metric: 'judge' }])
    expect(detectRegressions(prev, noise, LEVEL)).toEqual([])
    expect(compareRecords(prev, noise, LEVEL)[0]?.test).toBe('paired-permutation')

    const worse = judge.map((s, i) => (i % 2 === 0 ? Math.max(0, s - 0.25) : s))
    const drop = recordWith('c5', [{ name: 'summarize', scores: worse, metric: 'judge' }])
    const alerts = detectRegressions(prev, drop, LEVEL)
    expect(alerts.map((a) => [a.task, a.test])).toEqual([['summarize', 'paired-permutation']])
    // Seeded from the shas and the task: the same answer every time.
    expect(detectRegressions(prev, drop, LEVEL)[0]?.pValue).toBe(alerts[0]?.pValue)
  })

  it('pairs on the common ids when the dataset grew', () => {
    const grown = [...flip(before, [...RIGHT, ...MORE_RIGHT]), ...ones(100, 100)]
    const current = recordWith('c6', [{ name: 'triage', scores: grown, dataHash: 'data-2' }])
    const [alert] = detectRegressions(previous, current, LEVEL)
    expect(alert).toMatchObject({ paired: true, n: 200, changed: ['data'] })
    expect(alert?.delta).toBeCloseTo(-36 / 200, 10)
  })
})

describe('detectRegressions, unpaired', () => {
  const ids = (prefix: string, n: number): string[] =>
    Array.from({ length: n }, (_v, i) => `${prefix}-${i}`)

  it('falls back to a two-proportion test when the ids do not match', () => {
    const prev = recordWith('p', [{ name: 't', scores: ones(200, 170), ids: ids('old', 200) }])
    const drop = recordWith('c', [
      { name: 't', scores: ones(200, 140), ids: ids('new', 200), dataHash: 'data-2' }
    ])
    const [alert] = detectRegressions(prev, drop, LEVEL)
    expect(alert).toMatchObject({
      paired: false,
      test: 'two-proportion-z',
      n: 200,
      changed: ['data']
    })
    expect(alert?.delta).toBeCloseTo(-0.15, 10)
    expect(alert?.worsened).toEqual([])

    const close = recordWith('c2', [{ name: 't', scores: ones(200, 165), ids: ids('new', 200) }])
    expect(detectRegressions(prev, close, LEVEL)).toEqual([])
  })

  it('falls back to the intervals when a record kept no per-example scores', () => {
    const report = (right: number) => reportWith([{ name: 't', scores: ones(200, right) }])
    const meta = (sha: string) => ({ sha, date: '2026-08-01' })
    const prev = historyRecordOf(report(170), meta('p'), { maxExamples: 0 })
    expect(prev.tasks[0]?.examples).toBeUndefined()
    // Intervals of ±6 points: se ≈ 3.06 points each, so a 15-point drop has z ≈ −3.5.
    const drop = historyRecordOf(report(140), meta('c'))
    const [alert] = detectRegressions(prev, drop, LEVEL)
    expect(alert).toMatchObject({ paired: false, test: 'interval-z' })
    expect(alert?.pValue).toBeGreaterThan(1e-4)
    expect(alert?.pValue).toBeLessThan(1e-3)
    const small = historyRecordOf(report(160), meta('c2'))
    expect(detectRegressions(prev, small, LEVEL)).toEqual([])
  })
})

describe('what changed between the records', () => {
  const scores = ones(100, 90)
  const dropped = flip(scores, RIGHT.slice(0, 18))

  it('names the prompt, system prompt, data, model and metric changes', () => {
    const prev = recordWith('p', [{ name: 'a', scores }])
    const cur = recordWith(
      'c',
      [
        {
          name: 'a',
          scores: dropped,
          promptHash: 'prompt-2',
          systemPromptHash: 'sys-2',
          dataHash: 'data-2',
          metric: 'exact'
        }
      ],
      { models: { target: 'gpt-4.1-mini', optimizer: 'gpt-4o', judge: 'gpt-4o-mini' } }
    )
    const [alert] = detectRegressions(prev, cur, LEVEL)
    expect(alert?.changed).toEqual(['prompt', 'system prompt', 'data', 'model', 'metric'])
    expect(renderAlertMarkdown([alert!])).toContain(
      'prompt, system prompt, data, model, metric changed'
    )
  })

  it('blames the config only when nothing more precise changed, and the provider when nothing did', () => {
    const prev = recordWith('p', [{ name: 'a', scores }])
    const configOnly = recordWith('c', [{ name: 'a', scores: dropped }], {
      config: { path: 'prompt-descent.yml', hash: 'other' }
    })
    expect(detectRegressions(prev, configOnly, LEVEL)[0]?.changed).toEqual(['config'])
    const nothing = recordWith('c', [{ name: 'a', scores: dropped }])
    const [alert] = detectRegressions(prev, nothing, LEVEL)
    expect(alert?.changed).toEqual([])
    expect(renderAlertMarkdown([alert!])).toContain('the provider answered differently')
  })

  it('compares only tasks present in both records', () => {
    const prev = recordWith('p', [{ name: 'a', scores }])
    const cur = recordWith('c', [
      { name: 'a', scores },
      { name: 'b', scores: ones(100, 10) }
    ])
    expect(compareRecords(prev, cur, LEVEL).map((t) => [t.task, t.verdict])).toEqual([
      ['a', 'unchanged']
    ])
    expect(detectRegressions(undefined, cur, LEVEL)).toEqual([])
  })
})

describe('the sample history', () => {
  it('raises exactly one alert: the commit that shipped the bad prompt', () => {
    const records = sampleHistory()
    const alerts = records
      .slice(1)
      .flatMap((record, i) =>
        detectRegressions(records[i], record, LEVEL).map((a) => ({ at: i + 1, task: a.task }))
      )
    expect(alerts).toEqual([{ at: SAMPLE_DROP_AT, task: 'triage' }])
  })
})

describe('renderAlertMarkdown', () => {
  it('is a well-formed table with links, and escapes what it shows', () => {
    const before = ones(50, 45)
    const prev = recordWith('p', [{ name: 'x', scores: before }])
    const cur = recordWith('c', [
      {
        name: 'x',
        scores: flip(before, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
        ids: before.map((_v, i) => `@user-${i} #12`),
        promptHash: 'p2'
      }
    ])
    // Different ids: unpaired; the worsened list is empty.
    const alerts = detectRegressions(prev, cur, LEVEL)
    expect(alerts).toHaveLength(1)
    const md = renderAlertMarkdown(alerts, {
      runUrl: 'https://github.com/o/r/actions/runs/1',
      chartUrl: (task) => `https://example.test/${task}.svg`,
      maxDrop: 0.02
    })
    expect(md).toMatch(/^### ⚠️ prompt-descent: a score dropped at `c`/)
    expect(md).toContain('by more than 2.0 pts')
    expect(md).toContain(
      '[x chart](https://example.test/x.svg) · [workflow run](https://github.com/o/r/actions/runs/1)'
    )
    expect(brokenTableRows(splitCode(md).prose)).toEqual([])
    expect(renderAlertMarkdown([])).toBe('')
  })

  it('lists the examples that got worse, as code', () => {
    const before = ones(60, 55)
    const prev = recordWith('p', [
      { name: 'x', scores: before, ids: before.map((_v, i) => `@row-${i}`) }
    ])
    const cur = recordWith('c', [
      {
        name: 'x',
        scores: flip(
          before,
          RIGHT.slice(0, 14).filter((p) => p < 55)
        ),
        ids: before.map((_v, i) => `@row-${i}`)
      }
    ])
    const md = renderAlertMarkdown(detectRegressions(prev, cur, LEVEL))
    expect(md).toMatch(/\*\*x\*\*: 6 examples scored lower, e\.g\. `@row-3`, `@row-11`/)
    expect(splitCode(md).prose.join('\n')).not.toMatch(/@row/)
  })
})
