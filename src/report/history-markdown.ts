/**
 * History and regression alerts as GitHub Markdown: per-task tables of the latest commits with a
 * sparkline (job summary), and the alert a commit comment carries. Pure; untrusted text (task names,
 * example ids) goes through ./sanitize.ts.
 */
import type { RegressionAlert, TaskTrend, TrendTest } from '../eval/trend.js'
import {
  formatInterval,
  formatLevel,
  formatPValue,
  formatScore,
  formatSignedPoints,
  formatUsd
} from './format.js'
import { recordedThreshold } from './history-chart.js'
import { shortDate, shortSha, taskNames, taskSeries } from './history-record.js'
import type { HistoryCost, HistoryRecord } from './history-record.js'
import { markdownTable } from './markdown-sections.js'
import { escapeInline, inlineCode } from './sanitize.js'
import { sparklineText } from './svg-chart.js'

export interface HistoryMarkdownOptions {
  /** Only these tasks (default: every task in the records). */
  tasks?: readonly string[]
  /** Shown under the title (default: the newest record's threshold). */
  threshold?: number
  /** Rows per task table, newest first (default 10); the sparkline spans up to 30. */
  last?: number
  /** A task's chart image (e.g. on the data branch), embedded above its table. */
  chartUrl?: (task: string) => string | undefined
  /** A commit's page, to link the short shas. */
  commitUrl?: (sha: string) => string | undefined
  /** The newest record against the one before (compareRecords), to mark significant changes. */
  trends?: readonly TaskTrend[]
  /** Heading text (default "prompt-descent score history"). */
  title?: string
}

const SPARK_POINTS = 30

/** Scores as Unicode blocks over their own range (at least 5 points wide, so noise stays flat). */
export function scoreSparkline(values: readonly number[]): string {
  const finite = values.filter((v) => Number.isFinite(v))
  if (finite.length === 0) return ''
  let min = Math.min(...finite)
  let max = Math.max(...finite)
  if (max - min < 0.05) {
    const mid = (max + min) / 2
    min = mid - 0.025
    max = mid + 0.025
  }
  return sparklineText([...values], { min, max })
}

/** Per task, the sparkline of its last `last` scores (for a gate table's trend column). */
export function historySparklines(
  records: readonly HistoryRecord[],
  options: { tasks?: readonly string[]; last?: number } = {}
): Map<string, string> {
  const out = new Map<string, string>()
  for (const task of options.tasks ?? taskNames(records)) {
    const scores = taskSeries(records, task)
      .slice(-(options.last ?? SPARK_POINTS))
      .map(({ entry }) => entry.score)
    out.set(task, scoreSparkline(scores))
  }
  return out
}

function commitCell(sha: string, commitUrl: HistoryMarkdownOptions['commitUrl']): string {
  const code = inlineCode(shortSha(sha), 40, true)
  const url = commitUrl?.(sha)
  return url ? `[${code}](${url})` : code
}

function costCell(cost: HistoryCost | undefined): string {
  if (!cost) return '—'
  if (cost.usd === null) return `${cost.calls} calls`
  return formatUsd(cost.usd)
}

const TEST_NAMES: Record<TrendTest, string> = {
  'mcnemar-exact': 'McNemar exact, paired',
  'paired-permutation': 'permutation, paired',
  'two-proportion-z': 'two-proportion z, unpaired',
  'welch-z': 'Welch z, unpaired',
  'interval-z': 'z on the intervals, unpaired',
  none: 'no change'
}

function changeCell(delta: number, trend: TaskTrend | undefined): string {
  const points = `${formatSignedPoints(delta)} pts`
  if (!trend || (trend.verdict !== 'regressed' && trend.verdict !== 'improved')) return points
  const mark = trend.verdict === 'regressed' ? '🔻' : '🔺'
  return `${mark} ${formatSignedPoints(trend.delta)} pts (p ${formatPValue(trend.pValue)})`
}

function taskBlock(
  records: readonly HistoryRecord[],
  task: string,
  options: HistoryMarkdownOptions
): string {
  const series = taskSeries(records, task)
  const spark = scoreSparkline(series.slice(-SPARK_POINTS).map(({ entry }) => entry.score))
  const newest = series[series.length - 1]
  const heading = `#### ${escapeInline(task, 100)}${spark ? ` ${spark}` : ''}`
  const parts = [heading]
  const url = options.chartUrl?.(task)
  if (url) parts.push(`![${escapeInline(task, 100)} score per commit](${url})`)
  const last = Math.max(1, options.last ?? 10)
  const level = newest ? formatLevel(newest.entry.interval.level) : '95%'
  const rows: string[][] = []
  for (let i = series.length - 1; i >= Math.max(0, series.length - last); i--) {
    const item = series[i]
    if (!item) continue
    const { record, entry } = item
    const before = series[i - 1]?.entry
    const trend = i === series.length - 1 ? options.trends?.find((t) => t.task === task) : undefined
    rows.push([
      commitCell(record.sha, options.commitUrl),
      escapeInline(shortDate(record.date), 40),
      formatInterval({ value: entry.score, ...entry.interval }),
      String(entry.n),
      before ? changeCell(entry.score - before.score, trend) : '—',
      costCell(entry.cost)
    ])
  }
  parts.push(
    markdownTable(['commit', 'date', `score [${level} interval]`, 'n', 'change', 'cost'], rows, [
      'left',
      'left',
      'right',
      'right',
      'right',
      'right'
    ])
  )
  if (series.length > last) parts.push(`*${series.length - last} older records not shown.*`)
  return parts.join('\n\n')
}

/** The score history as Markdown: per task a sparkline, the chart when linked, and a table. */
export function renderHistoryMarkdown(
  records: readonly HistoryRecord[],
  options: HistoryMarkdownOptions = {}
): string {
  const title = `### ${escapeInline(options.title ?? 'prompt-descent score history', 200)}`
  if (records.length === 0) return `${title}\n\nNo history yet.\n`
  const tasks = options.tasks ?? taskNames(records)
  const threshold = options.threshold ?? recordedThreshold(records)
  const n = records.length
  const intro = [
    `${n} record${n === 1 ? '' : 's'}, newest first.`,
    threshold === undefined ? '' : ` Threshold (min_score) ${formatScore(threshold)}.`
  ].join('')
  const blocks = tasks.map((task) => taskBlock(records, task, options))
  return `${[title, intro, ...blocks].join('\n\n')}\n`
}

export interface AlertMarkdownOptions {
  /** The commit the alert is about (default: the alerts' current sha). */
  sha?: string
  /** The run that found it. */
  runUrl?: string
  chartUrl?: (task: string) => string | undefined
  commitUrl?: (sha: string) => string | undefined
  /** The drop that is tolerated (the gate's max_drop), to say so. */
  maxDrop?: number
}

function causeText(trend: TaskTrend): string {
  if (trend.changed.length === 0) {
    return 'prompts, data and model unchanged: the provider answered differently (a model update or sampling)'
  }
  return `${trend.changed.join(', ')} changed`
}

/** A regression alert for a commit comment (or the job summary); empty when there is none. */
export function renderAlertMarkdown(
  alerts: readonly RegressionAlert[],
  options: AlertMarkdownOptions = {}
): string {
  const first = alerts[0]
  if (!first) return ''
  const sha = options.sha ?? first.current.sha
  const previous = first.previous
  const level = formatLevel(first.level)
  const count = alerts.length
  const lines: string[] = [
    `### ⚠️ prompt-descent: ${count === 1 ? 'a score' : `${count} scores`} dropped at ${inlineCode(shortSha(sha), 40)}`,
    '',
    `Compared with the previous record (${commitCell(previous.sha, options.commitUrl)}, ${escapeInline(shortDate(previous.date), 40)}), ` +
      `${count === 1 ? 'this task' : 'these tasks'} scored significantly lower (two-sided, ${level} confidence` +
      `${options.maxDrop === undefined ? '' : `, by more than ${formatSignedPoints(options.maxDrop).replace('+', '')} pts`}).`,
    ''
  ]
  const rows = alerts.map((a) => [
    inlineCode(a.task, 100, true),
    formatInterval({ value: a.previous.score, ...a.previous.interval }),
    formatInterval({ value: a.current.score, ...a.current.interval }),
    `${formatSignedPoints(a.delta)} pts on ${a.n}${a.paired ? ' paired' : ''} examples`,
    formatPValue(a.pValue),
    TEST_NAMES[a.test],
    escapeInline(causeText(a), 200)
  ])
  lines.push(
    markdownTable(
      ['task', 'previous', 'this commit', 'change', 'p', 'test', 'likely cause'],
      rows,
      ['left', 'right', 'right', 'right', 'right', 'left', 'left']
    )
  )
  for (const a of alerts) {
    if (a.worsenedCount === 0) continue
    const ids = a.worsened.map((id) => inlineCode(id, 80)).join(', ')
    const more = a.worsenedCount > a.worsened.length ? ', …' : ''
    lines.push(
      '',
      `**${escapeInline(a.task, 100)}**: ${a.worsenedCount} example${a.worsenedCount === 1 ? '' : 's'} scored lower, e.g. ${ids}${more}.`
    )
  }
  const links: string[] = []
  for (const a of alerts) {
    const url = options.chartUrl?.(a.task)
    if (url) links.push(`[${escapeInline(a.task, 100)} chart](${url})`)
  }
  if (options.runUrl) links.push(`[workflow run](${options.runUrl})`)
  if (links.length > 0) lines.push('', links.join(' · '))
  return `${lines.join('\n')}\n`
}
