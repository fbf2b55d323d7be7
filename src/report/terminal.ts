/**
 * RunReport → text for a terminal: an aligned table, the cost line, the gate line and the stop
 * reason. ANSI colour only when asked for (the caller knows whether stdout is a TTY and NO_COLOR).
 * Untrusted text is stripped of escape sequences so a dataset cannot drive the terminal.
 */
import { comparedName, taskChanges } from './compare-notes.js'
import type { RunReport, TaskComparison, Verdict } from './types.js'
import { checkLabel } from './check-rows.js'
import { targetModels } from './target-models.js'
import {
  formatCount,
  formatDuration,
  formatPValue,
  formatScore,
  formatSignedPoints,
  formatTokens,
  formatUsd,
  formatLevel,
  plural,
  STOP_LABELS
} from './format.js'
import { fieldFailuresLines } from './field-failures.js'
import { samplesLines } from './samples-text.js'
import { MAX_FAILURE_CAUSES } from '../eval/failures.js'
import { neutralizeWorkflowCommands, stripControl, truncate } from './sanitize.js'

/** The one wording of the simulated provider's notice, shown once per report. */
export const SIMULATION_NOTICE =
  'simulated provider: scores come from the offline simulation, not a real model'

export interface TerminalOptions {
  color: boolean
  /** Columns available; lines are fitted to it when given. */
  width?: number
}

type Style = 'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan'
const CODES: Record<Style, number> = { bold: 1, dim: 2, red: 31, green: 32, yellow: 33, cyan: 36 }

interface Painter {
  (style: Style, text: string): string
}

function painter(color: boolean): Painter {
  return (style, text) => (color && text !== '' ? `\u001B[${CODES[style]}m${text}\u001B[0m` : text)
}

/** Untrusted text for one terminal line. */
function clean(text: string, max = 200): string {
  // Also printed in CI logs, where `##[` or a leading `::` would be a workflow command.
  return neutralizeWorkflowCommands(truncate(stripControl(text).replace(/\s+/g, ' ').trim(), max))
}

const visibleLength = (text: string): number => Array.from(text).length

interface Column {
  header: string
  align: 'left' | 'right'
  style?: (value: string, row: number) => Style | null
}

function renderTable(
  columns: Column[],
  rows: string[][],
  paint: Painter,
  width?: number
): string[] {
  const widths = columns.map((c, i) =>
    Math.max(visibleLength(c.header), ...rows.map((r) => visibleLength(r[i] ?? '')))
  )
  const gap = 2
  const total = widths.reduce((a, b) => a + b, 0) + gap * (columns.length - 1)
  if (width !== undefined && total > width && widths[0] !== undefined) {
    widths[0] = Math.max(8, widths[0] - (total - width))
  }
  const line = (cells: string[], row: number | null): string =>
    cells
      .map((cell, i) => {
        const col = columns[i]
        const w = widths[i] ?? 0
        const text = truncate(cell, w)
        // The last column is not padded, so no line ends in spaces (coloured or not).
        const last = i === cells.length - 1 && col?.align !== 'right'
        const pad = last ? '' : ' '.repeat(Math.max(0, w - visibleLength(text)))
        const padded = col?.align === 'right' ? pad + text : text + pad
        if (row === null) return paint('bold', padded)
        const style = col?.style?.(cell, row) ?? null
        return style ? paint(style, padded) : padded
      })
      .join(' '.repeat(gap))
      .trimEnd()
  return [
    line(
      columns.map((c) => c.header),
      null
    ),
    ...rows.map((r, i) => line(r, i))
  ]
}

const VERDICT_STYLE: Record<Verdict, Style> = {
  improved: 'green',
  regressed: 'red',
  'within-noise': 'yellow',
  unchanged: 'dim'
}

function comparisonLines(
  tasks: TaskComparison[],
  labels: [string, string],
  paint: Painter,
  width?: number
): string[] {
  const level = formatLevel(tasks[0]?.delta.level ?? 0.95)
  const rows = tasks.flatMap((t) => [
    [
      clean(comparedName(t), 90),
      formatCount(t.n),
      formatScore(t.base.value),
      formatScore(t.head.value),
      formatSignedPoints(t.delta.value),
      `[${formatSignedPoints(t.delta.low)}, ${formatSignedPoints(t.delta.high)}]`,
      t.test === 'none' ? '—' : formatPValue(t.pValue),
      t.verdict
    ],
    ...(t.checks ?? []).map((c) => [
      `  ↳ ${clean(c.name, 60)}`,
      '',
      formatScore(c.base),
      formatScore(c.head),
      formatSignedPoints(c.delta),
      '',
      c.verdict === 'unchanged' ? '—' : formatPValue(c.pValue),
      c.verdict
    ])
  ])
  const columns: Column[] = [
    { header: 'task', align: 'left' },
    { header: 'n', align: 'right' },
    { header: labels[0], align: 'right' },
    { header: labels[1], align: 'right' },
    { header: 'Δ pts', align: 'right' },
    { header: `${level} CI`, align: 'left' },
    { header: 'p', align: 'right' },
    { header: 'verdict', align: 'left', style: (v) => VERDICT_STYLE[v as Verdict] ?? null }
  ]
  return renderTable(columns, rows, paint, width)
}

function evalLines(report: RunReport, paint: Painter, width?: number): string[] {
  const level = formatLevel(report.tasks[0]?.interval.level ?? 0.95)
  const rows = report.tasks.flatMap((t) => [
    [
      clean(t.task, 60),
      formatCount(t.n),
      formatScore(t.score),
      `[${formatScore(t.interval.low)}, ${formatScore(t.interval.high)}]`,
      formatCount(t.unreadable),
      formatCount(t.failed),
      t.usage
        ? `${formatCount(t.usage.calls)}${t.usage.cachedCalls > 0 ? ` (+${formatCount(t.usage.cachedCalls)} cached)` : ''}`
        : '–',
      t.usage ? formatTokens(t.usage.inputTokens + t.usage.outputTokens) : '–'
    ],
    ...(t.checks ?? []).map((c) => [
      `  ${clean(checkLabel(c), 60)}`,
      '',
      formatScore(c.score),
      '',
      formatCount(c.unreadable),
      '',
      '',
      ''
    ])
  ])
  const warn = (v: string): Style | null => (v !== '0' ? 'yellow' : null)
  const columns: Column[] = [
    { header: 'task', align: 'left' },
    { header: 'examples', align: 'right' },
    { header: 'score', align: 'right', style: () => 'bold' },
    { header: `${level} CI`, align: 'left' },
    { header: 'unreadable', align: 'right', style: warn },
    { header: 'failed', align: 'right', style: (v) => (v !== '0' ? 'red' : null) },
    { header: 'calls', align: 'right' },
    { header: 'tokens', align: 'right' }
  ]
  // On a narrow terminal the per-task usage goes first: the cost line below has the totals.
  const needed = (cols: Column[]): number =>
    cols.reduce(
      (sum, c, i) =>
        sum + Math.max(visibleLength(c.header), ...rows.map((r) => visibleLength(r[i] ?? ''))) + 2,
      8 - visibleLength(columns[0]?.header ?? '')
    )
  if (width !== undefined && needed(columns) > width) {
    return renderTable(
      columns.slice(0, -2),
      rows.map((r) => r.slice(0, -2)),
      paint,
      width
    )
  }
  return renderTable(columns, rows, paint, width)
}

/** Each task's distinct provider failures: count, cause and one example that failed so. */
function failureLines(report: RunReport, paint: Painter): string[] {
  const lines: string[] = []
  for (const task of report.tasks) {
    const causes = task.failures ?? []
    for (const cause of causes.slice(0, MAX_FAILURE_CAUSES)) {
      lines.push(
        `  ${clean(task.task, 60)}: ${formatCount(cause.count)} × ${clean(cause.message, 300)} (e.g. example ${clean(cause.exampleId, 60)})`
      )
    }
    if (causes.length > MAX_FAILURE_CAUSES) {
      lines.push(
        `  ${clean(task.task, 60)}: ${plural(causes.length - MAX_FAILURE_CAUSES, 'other cause')}`
      )
    }
  }
  return lines.length === 0 ? [] : ['', paint('red', 'failed at the provider:'), ...lines]
}

function costLine(report: RunReport): string {
  const { total, byRole, elapsedMs } = report.ledger
  const roles = (['target', 'optimizer', 'judge'] as const)
    .filter((r) => byRole[r].calls + byRole[r].cachedCalls > 0)
    .map((r) => `${r} ${formatCount(byRole[r].calls)}`)
  const parts = [
    `${formatCount(total.calls)} calls (${formatCount(total.cachedCalls)} cached)`,
    `${formatTokens(total.inputTokens)} tokens in, ${formatTokens(total.outputTokens)} out`,
    formatUsd(total.usd),
    formatDuration(elapsedMs)
  ]
  if (roles.length > 0) parts.push(roles.join(', '))
  if ((total.noContent ?? 0) > 0)
    parts.push(`${formatCount(total.noContent)} replies without text (content: null)`)
  return `cost: ${parts.join(' · ')}`
}

function optimizeLines(report: RunReport, paint: Painter, width?: number): string[] {
  const opt = report.optimization
  if (!opt) return evalLines(report, paint, width)
  const lines = [paint('bold', 'held-out test split:')]
  if (opt.testComparison.length > 0)
    lines.push(...comparisonLines(opt.testComparison, ['before', 'after'], paint, width))
  else
    lines.push(
      report.stop.reason === 'completed' || report.stop.reason === 'no-gain'
        ? '  nothing compared'
        : `  not scored: the run stopped first (${STOP_LABELS[report.stop.reason]})`
    )
  const best = opt.bestDev ? ` · best dev ${formatScore(opt.bestDev.value)}` : ''
  // Round 0 scores the starting prompts; the rounds the config counts are the ones after it.
  const searched = opt.rounds.filter((r) => r.round > 0).length
  const unit = opt.method === 'metaspo' ? 'iteration' : 'round'
  lines.push('', `${plural(searched, unit)} · ${plural(opt.candidates.length, 'candidate')}${best}`)
  if (opt.transfer && opt.transfer.tasks.length > 0) {
    lines.push('', paint('bold', 'unseen tasks (default → optimized system prompt, test split):'))
    const rows = opt.transfer.tasks.map((t) => [
      clean(t.task, 60),
      formatCount(t.examples),
      String(t.userPrompts),
      formatScore(t.default.value),
      formatScore(t.optimized.value),
      formatSignedPoints(t.delta.value),
      `[${formatSignedPoints(t.delta.low)}, ${formatSignedPoints(t.delta.high)}]`
    ])
    rows.push([
      'average',
      '',
      '',
      formatScore(opt.transfer.average.default),
      formatScore(opt.transfer.average.optimized),
      formatSignedPoints(opt.transfer.average.delta),
      ''
    ])
    const columns: Column[] = [
      { header: 'task', align: 'left' },
      { header: 'n', align: 'right' },
      { header: 'prompts', align: 'right' },
      { header: 'default', align: 'right' },
      { header: 'optimized', align: 'right' },
      {
        header: 'Δ pts',
        align: 'right',
        style: (v) => (v.startsWith('−') ? 'red' : v.startsWith('+') ? 'green' : null)
      },
      { header: '95% CI', align: 'left' }
    ]
    lines.push(...renderTable(columns, rows, paint, width))
  }
  for (const t of opt.transfer?.tasks ?? []) {
    const a = t.adaptation
    if (!a) continue
    const reach = (p: { rounds: number | null; targetCalls: number | null }): string =>
      p.rounds === null
        ? 'not reached'
        : `round ${p.rounds} (${formatCount(p.targetCalls ?? 0)} calls)`
    lines.push(
      `adaptation on ${clean(t.task, 60)} to reach ${formatScore(a.target)}: default ${reach(a.default)}, optimized ${reach(a.optimized)}`
    )
  }
  if (opt.racing && opt.racing.rule !== 'full') {
    lines.push(
      '',
      `racing: ${formatCount(opt.racing.outerCallsSpent)} of ${formatCount(opt.racing.outerCallsFull)} outer-loop evaluations (${formatScore(opt.racing.saved)} saved)`
    )
  }
  for (const p of opt.prompts) {
    const state = p.before === p.after ? paint('dim', 'unchanged') : paint('green', 'changed')
    lines.push(
      `  ${clean(p.file, 120)} (${p.kind}${p.task === null ? '' : `, ${clean(p.task, 60)}`}): ${state}`
    )
  }
  return lines
}

// eslint-disable-next-line no-control-regex
const SGR = /\u001B\[[0-9;]*m/g

/** Wraps a line at spaces to `width` visible columns (colour codes take none), indenting the rest. */
function wrap(line: string, width: number | undefined): string[] {
  const visible = (text: string): number => visibleLength(text.replace(SGR, ''))
  if (width === undefined || visible(line) <= width) return [line]
  const indent = /^ */.exec(line)?.[0] ?? ''
  const continuation = `${indent}   `
  const out: string[] = []
  let current = indent
  for (const word of line.slice(indent.length).split(' ')) {
    const fresh = current === indent || current === continuation
    if (!fresh && visible(current) + 1 + visible(word) > width) {
      out.push(current)
      current = continuation
    }
    current += (current === indent || current === continuation ? '' : ' ') + word
  }
  out.push(current)
  // A single word longer than the width (no colour in it) is still cut.
  return out.map((l) => (l.includes('\u001B') ? l : truncate(l, width)))
}

/** Renders the report as terminal text (ends with a newline). */
export function renderTerminal(report: RunReport, options: TerminalOptions): string {
  const paint = painter(options.color)
  const width = options.width
  const method = report.optimization ? ` (${report.optimization.method})` : ''
  const lines = [
    `${paint('bold', `prompt-descent ${report.kind}${method}`)} · split ${report.split} · target ${targetModels(
      report
    )
      .map((m) => clean(m, 80))
      .join(', ')}`
  ]
  if (report.provider.type === 'simulated' || report.optimization?.simulated) {
    lines.push(paint('yellow', SIMULATION_NOTICE))
  }
  if (report.kind === 'compare' && report.comparison) {
    const { baseRef, headRef } = report.comparison
    lines.push(`${clean(baseRef, 60)} → ${clean(headRef, 60)}`)
  }
  lines.push('')
  if (report.kind === 'compare' && report.comparison) {
    if (report.comparison.tasks.length > 0) {
      lines.push(...comparisonLines(report.comparison.tasks, ['base', 'head'], paint, width))
    } else {
      lines.push('no task was compared')
    }
    const changes = taskChanges(report)
    if (changes.length > 0) lines.push('')
    for (const change of changes) {
      const mark = change.kind === 'added' || change.kind === 'removed' ? paint('yellow', '!') : ' '
      lines.push(`${mark} ${clean(change.task, 60)}: ${clean(change.text, 300)}`)
    }
  } else if (report.kind === 'optimize') {
    lines.push(...optimizeLines(report, paint, width))
  } else {
    lines.push(...evalLines(report, paint, width))
  }
  if (report.kind === 'eval') lines.push(...fieldFailuresLines(report.tasks, clean))
  const samples = samplesLines(report.tasks)
  if (samples.length > 0) lines.push('', ...samples)
  lines.push(...failureLines(report, paint))
  lines.push('', costLine(report))
  if (report.gate) {
    const failed = report.gate.checks.filter((c) => !c.passed)
    const warned = report.gate.checks.filter((c) => c.passed && c.warning === true)
    if (report.gate.passed) {
      lines.push(
        `gate: ${paint('green', '✓ passed')} (${plural(report.gate.checks.length, 'check')})`
      )
    } else {
      lines.push(
        `gate: ${paint('red', '✗ failed')} (${failed.length} of ${plural(report.gate.checks.length, 'check')})`
      )
      for (const c of failed)
        lines.push(`  ${paint('red', '✗')} ${clean(c.task, 60)}: ${clean(c.message, 300)}`)
    }
    for (const c of warned)
      lines.push(`  ${paint('yellow', '!')} ${clean(c.task, 60)}: ${clean(c.message, 300)}`)
    // The rule matters where a gate judged something: a comparison, or checks that ran.
    if (report.kind === 'compare' || report.gate.checks.length > 0) {
      lines.push(paint('dim', `  rule: ${clean(report.gate.rule, 400)}`))
    }
    for (const w of report.gate.warnings ?? [])
      lines.push(`  ${paint('yellow', '!')} ${clean(w, 300)}`)
  }
  for (const warning of report.warnings ?? []) {
    lines.push(`${paint('yellow', 'warning:')} ${clean(warning, 600)}`)
  }
  if (report.stop.reason !== 'completed') {
    const style: Style = report.stop.reason === 'no-gain' ? 'dim' : 'yellow'
    lines.push(
      paint(style, `stopped: ${STOP_LABELS[report.stop.reason]}`) +
        ` — ${clean(report.stop.message, 300)}`
    )
  }
  return lines.flatMap((l) => wrap(l, width)).join('\n') + '\n'
}
