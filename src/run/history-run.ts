/**
 * Score history per commit: append this run's record to the history file on the data branch, with
 * a trend chart per task beside it, and find the tasks whose score dropped significantly below the
 * previous record's. The action calls this on pushes to the default branch (see
 * examples/workflows/prompt-history.yml); pull requests keep their base commit as the baseline.
 */
import { posix } from 'node:path'
import type { GitHubApi } from '../github/api.js'
import { commentOnCommit } from '../github/commit-comment.js'
import type { CommitCommentResult } from '../github/commit-comment.js'
import {
  DEFAULT_HISTORY_BRANCH,
  DEFAULT_HISTORY_PATH,
  appendHistoryRecord,
  readHistory
} from '../github/history-branch.js'
import { historyCharts } from '../report/history-chart.js'
import { checkHistoryRecords } from '../report/history-check.js'
import { renderAlertMarkdown } from '../report/history-markdown.js'
import type { AlertMarkdownOptions } from '../report/history-markdown.js'
import { historyRecordOf, shortSha, taskSeries } from '../report/history-record.js'
import type { HistoryRecord } from '../report/history-record.js'
import { compareRecords, regressionsOf } from '../eval/trend.js'
import type { RegressionAlert, TaskTrend } from '../eval/trend.js'
import type { RunReport } from '../report/types.js'

export const DEFAULT_HISTORY_MAX_RECORDS = 200

export interface RecordHistoryOptions {
  /** The commit scored (GITHUB_SHA). */
  sha: string
  /** ISO time of the run. */
  date: string
  ref?: string
  runUrl?: string
  /** Default `prompt-descent-data`. */
  branch?: string
  /** Default `history/history.json`; charts go to `charts/<task>.svg` beside it. */
  path?: string
  /** Keep the newest this many records (default 200). */
  maxRecords?: number
  /** Confidence level of the alert test (the gate's confidence). */
  level: number
  /** Alert only on drops beyond this (the gate's max_drop). */
  maxDrop?: number
  /** Drawn on the charts and kept in the record (the gate's min_score). */
  threshold?: number
  /** Web URL of the GitHub server, for chart links (default https://github.com). */
  serverUrl?: string
  /** Record a run that stopped early (budget, provider error, cancel). Default false. */
  recordIncomplete?: boolean
  /** Injectable waits and attempts of the race retry, for tests. */
  sleep?: (ms: number) => Promise<void>
  maxAttempts?: number
}

export interface RecordHistoryResult {
  /** False when the run stopped early and was not recorded (see `skippedReason`). */
  recorded: boolean
  skippedReason?: string
  record: HistoryRecord
  /** The record compared against: the one before ours in the committed file. */
  previous: HistoryRecord | undefined
  /** Every task scored in both, with its test; `alerts` are the significant drops among them. */
  trends: TaskTrend[]
  alerts: RegressionAlert[]
  /** The history after the append (oldest first); the records read when not recorded. */
  records: HistoryRecord[]
  /** The data-branch commit written. */
  commitSha: string | undefined
  /** Repository paths of the charts committed. */
  chartsWritten: string[]
  /** Races lost and redone. */
  retries: number
  /** A task's chart at the data-branch commit written (undefined when nothing was written). */
  chartUrl: (task: string) => string | undefined
}

/** The last record of another commit, searching from the end. */
function lastOtherThan(records: readonly HistoryRecord[], sha: string): HistoryRecord | undefined {
  for (let i = records.length - 1; i >= 0; i--) {
    const r = records[i]
    if (r && r.sha !== sha) return r
  }
  return undefined
}

/**
 * Appends the report's record to the history (retrying when another run moved the branch first;
 * a re-run of the same commit replaces its record), commits the charts rendered from the final
 * record list, and compares the record with the one before it.
 */
export async function recordHistory(
  api: GitHubApi,
  report: RunReport,
  options: RecordHistoryOptions
): Promise<RecordHistoryResult> {
  const branch = options.branch ?? DEFAULT_HISTORY_BRANCH
  const path = options.path ?? DEFAULT_HISTORY_PATH
  const where = `${branch}:${path}`
  const record = historyRecordOf(report, options)
  const compare = (previous: HistoryRecord | undefined): TaskTrend[] =>
    previous ? compareRecords(previous, record, options) : []
  const alertsOf = (trends: TaskTrend[]): RegressionAlert[] =>
    regressionsOf(trends, options.maxDrop)

  const read = await readHistory(api, { branch, path })
  const before = checkHistoryRecords(read.records, where)
  const finished = report.stop.reason === 'completed' || report.stop.reason === 'no-gain'
  if (!finished && !options.recordIncomplete) {
    const previous = lastOtherThan(before, record.sha)
    const trends = compare(previous)
    return {
      recorded: false,
      skippedReason: `the run stopped early (${report.stop.reason}: ${report.stop.message}); a partial score is not recorded`,
      record,
      previous,
      trends,
      alerts: alertsOf(trends),
      records: before,
      commitSha: undefined,
      chartsWritten: [],
      retries: 0,
      chartUrl: () => undefined
    }
  }

  const dir = posix.dirname(path)
  const inDir = (file: string): string => (dir === '.' ? file : `${dir}/${file}`)
  let committed: HistoryRecord[] = []
  let chartFiles = new Map<string, string>()
  const appended = await appendHistoryRecord<HistoryRecord>(api, {
    branch,
    path,
    record,
    maxRecords: options.maxRecords ?? DEFAULT_HISTORY_MAX_RECORDS,
    message: `prompt-descent history: ${shortSha(record.sha)}`,
    replaces: (existing) => existing.sha === record.sha,
    extraFiles: (records) => {
      // Called once per attempt; the last call is the list that was committed.
      committed = checkHistoryRecords(records, where)
      const charts = historyCharts(committed, { threshold: options.threshold })
      chartFiles = new Map(charts.map((c) => [c.task, inDir(c.path)]))
      return charts.map((c) => ({ path: inDir(c.path), content: c.content }))
    },
    ...(options.sleep ? { sleep: options.sleep } : {}),
    ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {})
  })

  // The record before ours in the committed file; with a cap of 1 it is gone, so fall back to the
  // one read before appending.
  const previous =
    lastOtherThan(committed.slice(0, -1), record.sha) ?? lastOtherThan(before, record.sha)
  const trends = compare(previous)
  const server = (options.serverUrl ?? 'https://github.com').replace(/\/+$/, '')
  return {
    recorded: true,
    record,
    previous,
    trends,
    alerts: alertsOf(trends),
    records: committed,
    commitSha: appended.commitSha,
    chartsWritten: [...chartFiles.values()],
    retries: appended.retries,
    chartUrl: (task) => {
      const file = chartFiles.get(task)
      if (!file) return undefined
      const at = `${server}/${api.owner}/${api.repo}/blob/${appended.commitSha}`
      return `${at}/${file.split('/').map(encodeURIComponent).join('/')}?raw=true`
    }
  }
}

/**
 * The history records at the data branch's head, checked (none when the branch or file is
 * missing): e.g. for a sparkline per task in a pull request's gate table.
 */
export async function loadHistory(
  api: GitHubApi,
  location: { branch?: string; path?: string } = {}
): Promise<HistoryRecord[]> {
  const branch = location.branch ?? DEFAULT_HISTORY_BRANCH
  const path = location.path ?? DEFAULT_HISTORY_PATH
  const read = await readHistory(api, { branch, path })
  return checkHistoryRecords(read.records, `${branch}:${path}`)
}

/**
 * Comments the alerts on the commit (nothing when there are none). A token that may not comment
 * yields `{ action: 'skipped', warning }` rather than an error.
 */
export async function commentRegressionAlerts(
  api: GitHubApi,
  sha: string,
  alerts: readonly RegressionAlert[],
  options: AlertMarkdownOptions = {}
): Promise<CommitCommentResult | undefined> {
  if (alerts.length === 0) return undefined
  return commentOnCommit(api, sha, renderAlertMarkdown(alerts, { sha, ...options }))
}

/** Scores per task over the last `last` records (oldest first), for a trend column. */
export function recentScores(
  records: readonly HistoryRecord[],
  tasks: readonly string[],
  last = 20
): Record<string, number[]> {
  const recent = records.slice(-last)
  return Object.fromEntries(
    tasks.map((task) => [task, taskSeries(recent, task).map(({ entry }) => entry.score)])
  )
}
