/**
 * A history file as plain text for a terminal: per task a sparkline and a table of its records
 * (oldest first, so the newest sits next to the prompt). Untrusted text is stripped of control
 * sequences so a history file cannot drive the terminal.
 */
import type { RegressionAlert } from '../eval/trend.js'
import {
  formatInterval,
  formatLevel,
  formatPValue,
  formatScore,
  formatTokens,
  formatUsd
} from './format.js'
import { recordedThreshold } from './history-chart.js'
import { scoreSparkline } from './history-markdown.js'
import { shortDate, shortSha, taskNames, taskSeries } from './history-record.js'
import type { HistoryCost, HistoryRecord } from './history-record.js'
import { stripControl, truncate } from './sanitize.js'

export interface HistoryTextOptions {
  tasks?: readonly string[]
  /** Newest records shown per task (default 30). */
  last?: number
}

const clean = (text: string, max = 80): string =>
  truncate(stripControl(text).replace(/\s+/g, ' ').trim(), max)

const width = (text: string): number => Array.from(text).length

function table(headers: string[], rows: string[][], right: boolean[]): string[] {
  const widths = headers.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))))
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => {
        const pad = ' '.repeat(Math.max(0, (widths[i] ?? 0) - width(c)))
        return right[i] ? pad + c : c + pad
      })
      .join('  ')
      .trimEnd()
  return [line(headers), ...rows.map(line)]
}

function costText(cost: HistoryCost | undefined): string {
  if (!cost) return '—'
  const usd = cost.usd === null ? `${formatTokens(cost.tokens)} tok` : formatUsd(cost.usd)
  return `${usd} · ${cost.calls} calls`
}

/** The history as text, a section per task. */
export function renderHistoryText(
  records: readonly HistoryRecord[],
  options: HistoryTextOptions = {}
): string {
  if (records.length === 0) return 'The history file has no records yet.\n'
  const tasks = options.tasks ?? taskNames(records)
  const last = Math.max(1, options.last ?? 30)
  const threshold = recordedThreshold(records)
  const sections: string[] = []
  for (const task of tasks) {
    const series = taskSeries(records, task)
    const shown = series.slice(-last)
    const newest = series[series.length - 1]?.entry
    const head = [
      clean(task),
      newest ? `(${clean(newest.metric, 40)})` : '',
      `${series.length} record${series.length === 1 ? '' : 's'}`,
      threshold === undefined ? '' : `threshold ${formatScore(threshold)}`
    ]
      .filter(Boolean)
      .join('  ')
    const spark = scoreSparkline(shown.map(({ entry }) => entry.score))
    const level = newest ? formatLevel(newest.interval.level) : '95%'
    const rows = shown.map(({ record, entry }) => [
      clean(shortSha(record.sha), 12),
      clean(shortDate(record.date), 25),
      formatInterval({ value: entry.score, ...entry.interval }),
      String(entry.n),
      costText(entry.cost)
    ])
    const lines = [
      head,
      spark ? `trend  ${spark}` : '',
      ...table(['commit', 'date', `score [${level}]`, 'n', 'cost'], rows, [
        false,
        false,
        true,
        true,
        true
      ]).map((l) => `  ${l}`)
    ].filter((l) => l !== '')
    if (series.length > shown.length) {
      lines.push(`  (${series.length - shown.length} older records not shown)`)
    }
    sections.push(lines.join('\n'))
  }
  return `${sections.join('\n\n')}\n`
}

/** One line per regression alert, for a terminal: the drop, its p-value and what changed. */
export function renderAlertLines(alerts: readonly RegressionAlert[]): string[] {
  return alerts.map((a) => {
    const changed = a.changed.length > 0 ? `; changed: ${a.changed.join(', ')}` : ''
    return (
      `${clean(a.task)} dropped ${formatScore(a.previous.score)} → ${formatScore(a.current.score)} ` +
      `since ${shortSha(a.previous.sha)} (p ${formatPValue(a.pValue)}, ${a.paired ? 'paired' : 'unpaired'}, n=${a.n})${changed}`
    )
  })
}
