/**
 * The Markdown sections every kind of report shares: title, notices, gate verdict, stop reason, the
 * eval table, the cost block and the footer. Each returns finished Markdown built only from
 * sanitised pieces; none of them holds a code fence or a <details>, so they can be cut at a line.
 */
import { methodTitle } from '../config/methods.js'
import type { GateCheck, RunReport } from './types.js'
import { checkLabel } from './check-rows.js'
import { targetModels } from './target-models.js'
import type { TaskEvalResult } from '../eval/types.js'
import type { StopInfo, StopReason, UsageTotals } from '../llm/ledger-types.js'
import {
  formatCount,
  formatDuration,
  formatInterval,
  formatLevel,
  formatTokens,
  formatUsd,
  plural,
  shortHash,
  STOP_LABELS,
  formatScore
} from './format.js'
import { MAX_FAILURE_CAUSES } from '../eval/failures.js'
import { escapeInline, inlineCode, tableCell } from './sanitize.js'

/** Column alignment of a Markdown table. */
export type Align = 'left' | 'right' | 'center'

/** A GitHub table from already-escaped cells. */
export function markdownTable(headers: string[], rows: string[][], align: Align[] = []): string {
  const rule = headers.map((_h, i) => {
    const a = align[i] ?? 'left'
    return a === 'right' ? '---:' : a === 'center' ? ':---:' : '---'
  })
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`
  return [line(headers), line(rule), ...rows.map(line)].join('\n')
}

const KIND_TITLES: Record<RunReport['kind'], string> = {
  eval: 'eval',
  compare: 'prompt check',
  optimize: 'optimization'
}

/** The heading and the one-line context under it. */
export function titleSection(report: RunReport, title: string | undefined): string {
  const heading = `### ${escapeInline(title ?? `prompt-descent ${KIND_TITLES[report.kind]}`, 200)}`
  const split = `on the **${report.split}** split`
  const models = targetModels(report)
  const target =
    models.length === 1
      ? `target model ${inlineCode(models[0] ?? report.models.target, 80)}`
      : `target models ${models.map((m) => inlineCode(m, 80)).join(', ')}`
  let context: string
  if (report.kind === 'compare' && report.comparison) {
    const { baseRef, headRef } = report.comparison
    context = `Comparing ${inlineCode(baseRef, 80)} → ${inlineCode(headRef, 80)} ${split}, ${target}.`
  } else if (report.kind === 'optimize' && report.optimization) {
    const method = methodTitle(report.optimization.method)
    context = `Optimized with ${method}: ${target}, optimizer ${inlineCode(report.models.optimizer, 80)}.`
  } else {
    const n = report.tasks.length
    context = `Scored ${n} task${n === 1 ? '' : 's'} ${split}, ${target}.`
  }
  return `${heading}\n\n${context}`
}

/** Shown whenever the numbers come from the offline simulation, so nobody mistakes them for real. */
export function simulatedNotice(report: RunReport): string | null {
  if (report.provider.type !== 'simulated' && report.optimization?.simulated !== true) return null
  return [
    '> [!NOTE]',
    "> **Simulated provider.** These numbers come from prompt-descent's built-in offline simulation,",
    '> not from a real model: they show how the tool works and say nothing about your prompts.'
  ].join('\n')
}

/** The gate verdict, with the failed checks listed. Null when no gate was evaluated. */
export function gateSection(report: RunReport): string | null {
  const gate = report.gate
  if (!gate) return null
  const total = gate.checks.length
  const failed = gate.checks.filter((c) => !c.passed)
  const warned = gate.checks.filter((c) => c.passed && c.warning === true)
  const warnings = (gate.warnings ?? []).map((w) => `- ⚠️ ${escapeInline(w, 300)}`)
  const lines: string[] = []
  if (gate.passed) {
    const what =
      total === 0 ? 'no checks applied' : `all ${total} check${total === 1 ? '' : 's'} passed`
    lines.push(`**✅ Gate passed** — ${what}.`)
  } else {
    lines.push(`**❌ Gate failed** — ${failed.length} of ${total} checks failed:`, '')
  }
  const item = (icon: string, check: GateCheck): string =>
    `- ${icon} **${escapeInline(check.task, 100)}** (${check.kind}): ${escapeInline(check.message, 300)}`
  for (const check of failed) lines.push(item('❌', check))
  if (warned.length > 0 && gate.passed) lines.push('')
  for (const check of warned) lines.push(item('⚠️', check))
  if (report.kind === 'compare' || total > 0) {
    lines.push('', `<sub>${escapeInline(gate.rule, 600)}</sub>`)
  }
  if (warnings.length > 0) lines.push('', ...warnings)
  return lines.join('\n')
}

/** Why the run ended, when it did not simply complete. */
export function stopSection(report: RunReport): string | null {
  const { reason, message } = report.stop
  if (reason === 'completed') return null
  const kind = reason === 'no-gain' ? 'NOTE' : 'WARNING'
  const tail = reason === 'no-gain' ? '' : ' The results below are the best found before the stop.'
  const text = escapeInline(message, 500)
  const sentence = /[.!?…]$/.test(text) ? text : `${text}.`
  return `> [!${kind}]\n> **Stopped early (${STOP_LABELS[reason]}):** ${sentence}${tail}`
}

/**
 * Whether a run ended before it could finish (a budget stop, a cancel, a provider failure), so an
 * empty table means "not scored", not "nothing to compare".
 */
function stoppedShort(reason: StopReason): boolean {
  switch (reason) {
    case 'budget':
    case 'cancelled':
    case 'provider-error':
      return true
    case 'completed':
    case 'no-gain':
      return false
  }
}

/**
 * In place of an empty results table when the run stopped before scoring anything: says plainly
 * that nothing was scored and why (`what` names the split, e.g. "on the held-out test split").
 * Null when the run was not stopped short (an empty table then means there was nothing to score).
 */
export function notScoredLine(stop: StopInfo, what: string): string | null {
  if (!stoppedShort(stop.reason)) return null
  const message = escapeInline(stop.message, 300).replace(/[.!?…]$/, '')
  return `_Nothing was scored${what}: the run stopped first (${STOP_LABELS[stop.reason]}${message === '' ? '' : `: ${message}`})._`
}

/** The run's warnings (a task with no readable answer, a judge that gives no grade), loudly. */
export function warningsSection(report: RunReport): string | null {
  const warnings = report.warnings ?? []
  if (warnings.length === 0) return null
  return ['> [!WARNING]', ...warnings.map((w) => `> - ${escapeInline(w, 600)}`)].join('\n')
}

/** Why examples failed at the provider: each distinct cause with its count and one example. */
export function failuresSection(report: RunReport): string | null {
  const lines: string[] = []
  for (const task of report.tasks) {
    for (const cause of (task.failures ?? []).slice(0, MAX_FAILURE_CAUSES)) {
      lines.push(
        `- ${escapeInline(task.task, 80)}: ${formatCount(cause.count)} × ${escapeInline(cause.message, 400)} (e.g. example ${inlineCode(cause.exampleId, 80)})`
      )
    }
    const more = (task.failures ?? []).length - MAX_FAILURE_CAUSES
    if (more > 0) lines.push(`- ${escapeInline(task.task, 80)}: ${plural(more, 'other cause')}`)
  }
  if (lines.length === 0) return null
  return ['**Failed at the provider:**', '', ...lines].join('\n')
}

/** Per task of an eval: examples, score with interval, unreadable replies, failed calls. */
export function evalTable(tasks: TaskEvalResult[]): string {
  if (tasks.length === 0) return '_No tasks were scored._'
  const level = tasks[0]?.interval.level ?? 0.95
  const rows = tasks.flatMap((t) => [
    [
      tableCell(t.task, 80),
      formatCount(t.n),
      formatInterval(t.interval),
      formatCount(t.unreadable),
      formatCount(t.failed)
    ],
    ...(t.checks ?? []).map((c) => [
      tableCell(checkLabel(c), 80),
      '',
      formatScore(c.score),
      formatCount(c.unreadable),
      ''
    ])
  ])
  return markdownTable(
    ['task', 'n', `score (${formatLevel(level)} CI)`, 'unreadable', 'failed'],
    rows,
    ['left', 'right', 'right', 'right', 'right']
  )
}

function usageRow(label: string, u: UsageTotals): string[] {
  return [
    label,
    formatCount(u.calls),
    formatCount(u.cachedCalls),
    formatTokens(u.inputTokens),
    formatTokens(u.outputTokens),
    formatUsd(u.usd)
  ]
}

/** Calls, cached calls, tokens and dollars by role, then elapsed time and retries. */
export function costSection(report: RunReport): string {
  const { total, byRole, elapsedMs } = report.ledger
  const rows: string[][] = []
  for (const role of ['target', 'optimizer', 'judge'] as const) {
    const u = byRole[role]
    if (u.calls > 0 || u.cachedCalls > 0) rows.push(usageRow(role, u))
  }
  rows.push(usageRow('**total**', total).map((cell, i) => (i === 0 ? cell : `**${cell}**`)))
  const table = markdownTable(
    ['role', 'calls', 'cached', 'tokens in', 'tokens out', 'cost'],
    rows,
    ['left', 'right', 'right', 'right', 'right', 'right']
  )
  const facts = [`elapsed ${formatDuration(elapsedMs)}`]
  if (total.retries > 0) facts.push(`${formatCount(total.retries)} retries`)
  if (total.rateLimited > 0) facts.push(`${formatCount(total.rateLimited)} rate-limited responses`)
  // Reports written before the count existed have no noContent.
  if ((total.noContent ?? 0) > 0)
    facts.push(
      `${formatCount(total.noContent)} replies without text (content: null), counted as failed`
    )
  if (total.usd === null) facts.push('cost unknown: a model has no price configured')
  // Several models (a task's own target, an evaluator's own judge): the paid calls of each.
  const byModel = Object.entries(report.ledger.byModel ?? {})
  if (byModel.length > 1)
    facts.push(
      `paid calls by model: ${byModel
        .map(([model, u]) => `${inlineCode(model, 80)} ${formatCount(u.calls)}`)
        .join(', ')}`
    )
  return `#### Cost\n\n${table}\n\n${facts.join(' · ')}`
}

/** Tool version, seed and config hash: what is needed to reproduce the run. */
export function footerSection(report: RunReport): string {
  const parts = [
    `${escapeInline(report.tool.name)} ${escapeInline(report.tool.version, 40)}`,
    `seed ${report.seed}`,
    `config ${inlineCode(report.config.path, 120)} ${inlineCode(shortHash(report.config.hash))}`,
    `provider ${report.provider.type}`,
    `target ${inlineCode(report.models.target, 80)}`,
    `optimizer ${inlineCode(report.models.optimizer, 80)}`
  ]
  const judge = report.ledger.byRole.judge
  if (judge.calls + judge.cachedCalls > 0)
    parts.push(`judge ${inlineCode(report.models.judge, 80)}`)
  parts.push(`finished ${escapeInline(report.finishedAt, 40)}`)
  return `<sub>${parts.join(' · ')}</sub>`
}
