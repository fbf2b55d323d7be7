/**
 * Markdown for paired comparisons (base vs head on a PR, baseline vs best after an optimization):
 * the per-task table, the prompt diffs and the examples whose score changed.
 */
import { comparedName } from './compare-notes.js'
import { sparklineText } from './svg-chart.js'
import type { FlippedExample, TaskComparison, Verdict } from './types.js'
import {
  formatCount,
  formatDelta,
  formatExampleScore,
  formatInterval,
  formatLevel,
  formatPValue,
  formatScore,
  formatSignedPoints,
  formatValue
} from './format.js'
import { markdownTable } from './markdown-sections.js'
import type { Align } from './markdown-sections.js'
import { codeBlock, details, inlineCode, tableCell, truncate } from './sanitize.js'

/** At most this many changed examples are listed per task; the JSON report has them all. */
export const MAX_FLIPPED_ROWS = 20
/** Characters of a model output shown in a table cell. */
const OUTPUT_CELL = 280
/** Characters of a prompt diff shown before it is cut. */
const DIFF_CHARS = 20_000

const VERDICTS: Record<Verdict, string> = {
  improved: '✅ improved',
  regressed: '❌ regressed',
  'within-noise': '➖ within noise',
  unchanged: '➖ unchanged'
}

const TEST_NAMES: Record<TaskComparison['test'], string | null> = {
  'mcnemar-exact': "McNemar's exact test",
  'paired-permutation': 'a paired permutation test',
  none: null
}

/** Column labels: `base`/`head` on a PR, `before`/`after` for an optimization. */
export interface ComparisonLabels {
  base: string
  head: string
  /** Show each side's own interval too (the held-out result of an optimization). */
  intervals?: boolean
  /** Recent scores per task (oldest first): a sparkline column, newest at the right. */
  trend?: Record<string, number[]>
}

/** The per-task comparison table followed by a one-line legend. */
export function comparisonTable(tasks: TaskComparison[], labels: ComparisonLabels): string {
  if (tasks.length === 0) return '_No tasks were compared._'
  const level = tasks[0]?.delta.level ?? 0.95
  const trend = labels.trend
  const rows = tasks.flatMap((t) => {
    const row = [
      tableCell(comparedName(t), 120),
      formatCount(t.n),
      labels.intervals ? formatInterval(t.base) : formatScore(t.base.value),
      labels.intervals ? formatInterval(t.head) : formatScore(t.head.value),
      formatDelta(t.delta),
      t.test === 'none' ? '—' : formatPValue(t.pValue),
      VERDICTS[t.verdict]
    ]
    if (trend) {
      const values = trend[t.task] ?? []
      row.push(values.length > 1 ? sparklineText(values, { min: 0, max: 1 }) : '—')
    }
    const checks = (t.checks ?? []).map((c) => {
      const cells = [
        tableCell(`↳ ${c.name}`, 80),
        '',
        formatScore(c.base),
        formatScore(c.head),
        formatSignedPoints(c.delta),
        c.verdict === 'unchanged' ? '—' : formatPValue(c.pValue),
        VERDICTS[c.verdict]
      ]
      if (trend) cells.push('')
      return cells
    })
    return [row, ...checks]
  })
  const headers = [
    'task',
    'n',
    labels.base,
    labels.head,
    `Δ (${formatLevel(level)} CI)`,
    'p',
    'verdict'
  ]
  const align: Align[] = ['left', 'right', 'right', 'right', 'right', 'right', 'left']
  if (trend) {
    headers.push('history')
    align.push('left')
  }
  const table = markdownTable(headers, rows, align)
  const tests = [...new Set(tasks.map((t) => TEST_NAMES[t.test]).filter((n) => n !== null))]
  const legend =
    `<sub>Δ: ${labels.head} − ${labels.base} in percentage points on the examples scored in both, ` +
    `with a ${formatLevel(level)} paired-bootstrap interval` +
    (tests.length > 0 ? `; p from ${tests.join(' or ')}.` : '.') +
    '</sub>'
  return `${table}\n\n${legend}`
}

/** A collapsed ```diff block of a prompt change. */
export function diffDetails(summary: string, diff: string): string {
  return details(summary, codeBlock(diff, 'diff', DIFF_CHARS))
}

function scoreChange(example: FlippedExample): string {
  const icon = example.headScore < example.baseScore ? '🔻' : '🔺'
  return `${icon} ${formatExampleScore(example.baseScore)} → ${formatExampleScore(example.headScore)}`
}

function outputCell(output: string | null): string {
  return output === null ? '_(call failed)_' : tableCell(output, OUTPUT_CELL)
}

/** A collapsed table of the examples whose score changed, capped at {@link MAX_FLIPPED_ROWS}. */
export function flippedDetails(comparison: TaskComparison, labels: ComparisonLabels): string {
  // Counted over every changed example, before either cut (the comparison's and this table's).
  const { worse, better } = comparison.changed
  const shown = comparison.flipped.slice(0, MAX_FLIPPED_ROWS)
  const rows = shown.map((e) => [
    inlineCode(e.id, 60, true),
    tableCell(formatValue(e.expected), 120),
    scoreChange(e),
    outputCell(e.baseOutput),
    outputCell(e.headOutput)
  ])
  let body = markdownTable(
    ['example', 'expected', 'score', `${labels.base} output`, `${labels.head} output`],
    rows,
    ['left', 'left', 'center', 'left', 'left']
  )
  const more = worse + better - shown.length
  if (more > 0) body += `\n\n…and ${formatCount(more)} more.`
  const summary =
    `Changed examples — ${truncate(comparison.task, 80)} ` + `(${worse} worse, ${better} better)`
  return details(summary, body)
}
