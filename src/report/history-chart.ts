/**
 * Trend charts of a history: one SVG per task (score with its interval band over commits, the gate
 * threshold as a dashed line), committed beside the history file and embedded in summaries.
 */
import { shortSha, taskNames, taskSeries, shortDate } from './history-record.js'
import type { HistoryRecord } from './history-record.js'
import { formatInterval } from './format.js'
import { renderTrendSvg } from './svg-chart.js'
import type { TrendPoint } from './svg-chart.js'

export interface HistoryChartOptions {
  /** Drawn as a dashed line; default: the newest record's threshold, if any. */
  threshold?: number
  /** Only these tasks (default: every task in the records). */
  tasks?: readonly string[]
  /** At most this many newest commits per chart (default 50). */
  last?: number
  width?: number
  height?: number
}

export interface ChartFile {
  task: string
  /** `charts/<task>.svg`, relative to the history file's folder. */
  path: string
  content: string
}

export const DEFAULT_CHART_POINTS = 50

/** The file name of a task's chart; task names are already path-safe, this keeps it so. */
export function chartPath(task: string): string {
  const safe = task.replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^\.+/, '_') || '_'
  return `charts/${safe}.svg`
}

/** The newest threshold recorded, when none is given. */
export function recordedThreshold(records: readonly HistoryRecord[]): number | undefined {
  for (let i = records.length - 1; i >= 0; i--) {
    const t = records[i]?.threshold
    if (t !== undefined) return t
  }
  return undefined
}

/** The chart points of one task: short sha, day, score and interval of each record. */
export function historyTrendPoints(
  records: readonly HistoryRecord[],
  task: string,
  last = DEFAULT_CHART_POINTS
): TrendPoint[] {
  return taskSeries(records, task)
    .slice(-Math.max(1, last))
    .map(({ record, entry }) => ({
      label: shortSha(record.sha),
      date: shortDate(record.date),
      value: entry.score,
      low: entry.interval.low,
      high: entry.interval.high
    }))
}

/** One task's chart as a standalone SVG, its y axis fitted to the scores. */
export function historyChartSvg(
  records: readonly HistoryRecord[],
  task: string,
  options: Omit<HistoryChartOptions, 'tasks'> = {}
): string {
  const series = taskSeries(records, task)
  const newest = series[series.length - 1]?.entry
  const points = historyTrendPoints(records, task, options.last)
  const level = newest ? `${Number((newest.interval.level * 100).toFixed(1))}%` : ''
  const title = newest ? `${task}: ${newest.metric} per commit (band: ${level} interval)` : task
  const subtitle = newest
    ? `latest ${formatInterval({ value: newest.score, ...newest.interval })}`
    : undefined
  return renderTrendSvg(points, {
    title,
    subtitle,
    threshold: options.threshold ?? recordedThreshold(records),
    yAxis: 'fit',
    width: options.width,
    height: options.height
  })
}

/** A chart per task, rendered from the records (oldest first). */
export function historyCharts(
  records: readonly HistoryRecord[],
  options: HistoryChartOptions = {}
): ChartFile[] {
  const tasks = options.tasks ?? taskNames(records)
  return tasks.map((task) => ({
    task,
    path: chartPath(task),
    content: historyChartSvg(records, task, options)
  }))
}
