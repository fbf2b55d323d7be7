import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { InputError } from '../../src/errors.js'
import { renderHistoryFile } from '../../src/report/history-file.js'
import { historyRecordOf } from '../../src/report/history-record.js'
import type { HistoryRecord } from '../../src/report/history-record.js'
import { commentRegressionAlerts, loadHistory, recordHistory } from '../../src/run/history-run.js'
import type { RecordHistoryOptions } from '../../src/run/history-run.js'
import type { RunReport } from '../../src/report/types.js'
import { attributeValues, xmlProblems } from '../report/xml-check.js'
import { startGitHub } from '../github/fixture.js'
import type { GitHubFixture } from '../github/fixture.js'
import { flip, ones, reportWith } from './reports.js'

const DATA = 'prompt-descent-data'
const FILE = 'history/history.json'
const CHART = 'history/charts/triage.svg'
const noWait = (): Promise<void> => Promise.resolve()

const BASE = ones(120, 100)
// Arbitrary-looking right answers lost (a real drop) or a couple of flips (noise).
const LOST = [2, 5, 9, 14, 20, 23, 31, 37, 40, 44, 52, 58, 61, 66, 73, 79, 85, 88, 93, 97]

function history(fx: GitHubFixture): HistoryRecord[] {
  return (JSON.parse(fx.gh.state.fileAt(DATA, FILE) ?? 'null') as { records: HistoryRecord[] })
    .records
}

describe('recordHistory against the fake GitHub server', () => {
  let fx: GitHubFixture
  let commit = 0
  beforeEach(async () => {
    fx = await startGitHub({ files: { 'prompts/triage.md': 'Classify {{ticket}}\n' } })
  })
  afterEach(() => fx.gh.close())

  /** A new commit on main, and its run's report. */
  function push(scores: number[], promptHash = 'prompt-1'): { sha: string; report: RunReport } {
    commit += 1
    const sha = fx.gh.state.commitFiles('main', { 'prompts/triage.md': `v${commit}\n` })
    return { sha, report: reportWith([{ name: 'triage', scores, promptHash }]) }
  }

  function record(
    run: { sha: string; report: RunReport },
    extra: Partial<RecordHistoryOptions> = {}
  ) {
    return recordHistory(fx.api, run.report, {
      sha: run.sha,
      date: `2026-08-${String(commit).padStart(2, '0')}T10:00:00Z`,
      level: 0.95,
      maxRecords: 100,
      threshold: 0.8,
      sleep: noWait,
      ...extra
    })
  }

  it('appends a record per run with a chart beside it, and stays quiet on noise', async () => {
    const first = await record(push(BASE))
    expect(first).toMatchObject({ recorded: true, previous: undefined, alerts: [], trends: [] })
    expect(first.chartsWritten).toEqual([CHART])

    const second = await record(push(flip(BASE, [3, 105])))
    const third = await record(push(flip(BASE, [3, 7, 110])))
    expect(third.previous?.sha).toBe(second.record.sha)
    expect(third.alerts).toEqual([])
    expect(third.trends.map((t) => t.verdict)).toEqual(['within-noise'])

    const records = history(fx)
    expect(records.map((r) => r.sha)).toEqual([first, second, third].map((r) => r.record.sha))
    expect(records).toEqual(third.records)
    expect(records[0]?.tasks[0]?.examples?.ids).toHaveLength(120)
    // The chart committed with the third record has three points and the threshold.
    const svg = fx.gh.state.fileAt(DATA, CHART) ?? ''
    expect(xmlProblems(svg)).toEqual([])
    expect(attributeValues(svg, 'circle', 'cx')).toHaveLength(3)
    expect(svg).toContain('threshold 80.0%')
    expect(fx.gh.state.changedFiles(third.commitSha ?? '')).toHaveProperty(CHART)
    expect(third.chartUrl('triage')).toBe(
      `https://github.com/${fx.api.owner}/${fx.api.repo}/blob/${third.commitSha}/${CHART}?raw=true`
    )
    expect(third.chartUrl('nope')).toBeUndefined()
    // The default branch is never written to.
    expect(Object.keys(fx.gh.state.filesAt('main'))).toEqual(['prompts/triage.md'])
  })

  it('alerts on a planted drop, and comments it on the commit', async () => {
    await record(push(BASE))
    const bad = push(flip(BASE, LOST), 'prompt-2')
    const result = await record(bad)
    expect(result.alerts).toHaveLength(1)
    expect(result.alerts[0]).toMatchObject({
      task: 'triage',
      paired: true,
      test: 'mcnemar-exact',
      worsenedCount: 20,
      changed: ['prompt']
    })
    const comment = await commentRegressionAlerts(fx.api, bad.sha, result.alerts, {
      chartUrl: result.chartUrl,
      runUrl: 'https://github.com/octo/prompts/actions/runs/9'
    })
    expect(comment).toMatchObject({ action: 'created' })
    const posted = fx.gh.state.commitComments
    expect(posted).toHaveLength(1)
    expect(posted[0]?.commitId).toBe(bad.sha)
    expect(posted[0]?.body).toContain('prompt-descent: a score dropped at')
    expect(posted[0]?.body).toContain('prompt changed')
    expect(posted[0]?.body).toContain(`${result.commitSha}/${CHART}?raw=true`)
    expect(await commentRegressionAlerts(fx.api, bad.sha, [])).toBeUndefined()
    expect(fx.gh.state.commitComments).toHaveLength(1)
  })

  it('keeps both records when another run moved the branch first, and compares with theirs', async () => {
    await record(push(BASE))
    const theirs = push(flip(BASE, [1]))
    const theirRecord = historyRecordOf(theirs.report, { sha: theirs.sha, date: '2026-08-09' })
    fx.gh.inject({
      method: 'PATCH',
      path: `/repos/octo/prompts/git/refs/heads/${DATA}`,
      times: 1,
      before: (state) => {
        state.commitFiles(DATA, { [FILE]: renderHistoryFile([...history(fx), theirRecord]) })
      }
    })
    const ours = push(flip(BASE, LOST))
    const result = await record(ours)
    expect(result.retries).toBe(1)
    expect(history(fx).map((r) => r.sha)).toEqual([history(fx)[0]?.sha, theirs.sha, ours.sha])
    expect(result.previous?.sha).toBe(theirs.sha)
    expect(result.alerts.map((a) => a.previous.sha)).toEqual([theirs.sha])
    // The chart was redrawn from the final list: three points.
    expect(attributeValues(fx.gh.state.fileAt(DATA, CHART) ?? '', 'circle', 'cx')).toHaveLength(3)
  })

  it('applies the cap, and a re-run of a commit replaces its record', async () => {
    const runs = []
    for (let i = 0; i < 5; i++) runs.push(await record(push(flip(BASE, [i])), { maxRecords: 3 }))
    expect(history(fx).map((r) => r.sha)).toEqual(runs.slice(-3).map((r) => r.record.sha))
    expect(attributeValues(fx.gh.state.fileAt(DATA, CHART) ?? '', 'circle', 'cx')).toHaveLength(3)

    const last = runs[4]!
    const again = await recordHistory(fx.api, reportWith([{ name: 'triage', scores: BASE }]), {
      sha: last.record.sha,
      date: '2026-08-30T00:00:00Z',
      level: 0.95,
      maxRecords: 3,
      sleep: noWait
    })
    expect(history(fx).map((r) => r.sha)).toEqual(runs.slice(-3).map((r) => r.record.sha))
    expect(history(fx)[2]?.date).toBe('2026-08-30T00:00:00Z')
    // Compared with the commit before, not with its own earlier record.
    expect(again.previous?.sha).toBe(runs[3]?.record.sha)
  })

  it('with a cap of one, still compares with the record it replaced at the top', async () => {
    await record(push(BASE), { maxRecords: 1 })
    const result = await record(push(flip(BASE, LOST)), { maxRecords: 1 })
    expect(history(fx)).toHaveLength(1)
    expect(result.alerts).toHaveLength(1)
  })

  it('does not record a run that stopped early', async () => {
    await record(push(BASE))
    const run = push(flip(BASE, LOST))
    run.report.stop = { reason: 'budget', message: 'the $1 budget ran out' }
    const before = fx.gh.state.fileAt(DATA, FILE)
    const result = await record(run)
    expect(result).toMatchObject({ recorded: false, commitSha: undefined, chartsWritten: [] })
    expect(result.skippedReason).toMatch(/stopped early \(budget/)
    expect(fx.gh.state.fileAt(DATA, FILE)).toBe(before)
    const forced = await record(run, { recordIncomplete: true })
    expect(forced.recorded).toBe(true)
    expect(history(fx).at(-1)?.stop).toBe('budget')
  })

  it('refuses a history file it cannot read, naming it', async () => {
    fx.gh.state.commitFiles(DATA, {
      [FILE]: JSON.stringify({ schemaVersion: 1, records: [{ sha: 'x' }] })
    })
    const error = await record(push(BASE)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InputError)
    expect((error as Error).message).toContain(`${DATA}:${FILE}: records[0].date`)
  })
})

describe('loadHistory', () => {
  it('reads the checked records, or none without a data branch', async () => {
    const fx = await startGitHub()
    try {
      expect(await loadHistory(fx.api)).toEqual([])
      const record = historyRecordOf(reportWith([{ name: 't', scores: [1, 0] }]), {
        sha: 'abc',
        date: '2026-08-01'
      })
      fx.gh.state.commitFiles(DATA, { [FILE]: renderHistoryFile([record]) })
      expect(await loadHistory(fx.api)).toEqual([record])
      fx.gh.state.commitFiles(DATA, { [FILE]: '[{"sha": 1}]' })
      await expect(loadHistory(fx.api)).rejects.toThrow(`${DATA}:${FILE}: records[0].sha`)
    } finally {
      await fx.gh.close()
    }
  })
})
