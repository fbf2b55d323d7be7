/**
 * The sentences every view of a comparison shares about what could not be paired: rows on one
 * side only, and tasks added, removed or renamed between base and head. Plain text; each view
 * escapes it for its medium.
 */
import { formatCount, formatScore, plural } from './format.js'
import type { RunReport, TaskComparison } from './types.js'

/** "30 paired, 6 new rows scored on head only, 2 rows only in base"; null when all rows paired. */
export function rowsNote(
  c: TaskComparison,
  labels: [string, string] = ['base', 'head']
): string | null {
  if (c.headOnly === 0 && c.baseOnly === 0) return null
  const parts = [`${formatCount(c.n)} paired`]
  if (c.headOnly > 0) {
    parts.push(`${plural(c.headOnly, 'new row')} scored on ${labels[1]} only`)
  }
  if (c.baseOnly > 0) parts.push(`${plural(c.baseOnly, 'row')} only in ${labels[0]} (removed)`)
  return parts.join(', ')
}

/** The task's name in a table: "new (was old)" when it was renamed. */
export function comparedName(c: TaskComparison): string {
  return c.renamedFrom === undefined ? c.task : `${c.task} (was ${c.renamedFrom})`
}

export interface TaskChange {
  task: string
  /** `sequential`: how many rows the gate needed and why it stopped (every compared task). */
  kind: 'added' | 'removed' | 'renamed' | 'rows' | 'sequential'
  text: string
}

/**
 * Per task what a comparison table alone would hide: tasks added in head (with their head score),
 * removed from it, renamed, rows scored on one side only, and how many rows the gate scored and
 * why it stopped there.
 */
export function taskChanges(report: RunReport): TaskChange[] {
  const comparison = report.comparison
  if (!comparison) return []
  const changes: TaskChange[] = []
  for (const task of comparison.added) {
    const t = report.tasks.find((x) => x.task === task)
    const score =
      t && t.n > 0 ? `${formatScore(t.score)} on ${plural(t.n, 'example')}` : 'not scored'
    changes.push({
      task,
      kind: 'added',
      text: `new in head, no base to compare with; head: ${score}`
    })
  }
  for (const task of comparison.removed) {
    changes.push({ task, kind: 'removed', text: 'in base only; removed from head, not scored' })
  }
  for (const c of comparison.tasks) {
    if (c.renamedFrom !== undefined) {
      changes.push({
        task: c.task,
        kind: 'renamed',
        text: `renamed from ${c.renamedFrom} (same prompt and data files); compared with it`
      })
    }
    const rows = rowsNote(c)
    if (rows !== null) changes.push({ task: c.task, kind: 'rows', text: rows })
    if (c.sequential !== undefined) {
      changes.push({ task: c.task, kind: 'sequential', text: c.sequential.message })
    }
  }
  return changes
}
