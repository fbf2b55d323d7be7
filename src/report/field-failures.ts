/**
 * "Fields that fail most" for tasks scored with JSON field scores: one compact line per task, the
 * fields (from the task result's fieldFailures) with how many scored replies got each wrong.
 */
import { formatCount } from './format.js'
import { escapeInline, inlineCode } from './sanitize.js'
import type { TaskEvalResult } from '../eval/types.js'

/** Fields shown per task; the rest are counted. */
export const FIELDS_SHOWN = 5

function failingTasks(tasks: readonly TaskEvalResult[]): TaskEvalResult[] {
  return tasks.filter((t) => (t.fieldFailures?.length ?? 0) > 0)
}

/** `a 7/20 · b 3/20 · 2 more`, with each field name passed through `name`. */
function fieldList(task: TaskEvalResult, name: (field: string) => string): string {
  const failures = task.fieldFailures ?? []
  const shown = failures
    .slice(0, FIELDS_SHOWN)
    .map((f) => `${name(f.field)} ${formatCount(f.failed)}/${formatCount(f.n)}`)
  const more = failures.length - FIELDS_SHOWN
  if (more > 0) shown.push(`${more} more`)
  return shown.join(' · ')
}

/** The Markdown section, or null when no task has a failing field. */
export function fieldFailuresMarkdown(tasks: readonly TaskEvalResult[]): string | null {
  const failing = failingTasks(tasks)
  if (failing.length === 0) return null
  const lines = failing.map(
    (t) => `- ${escapeInline(t.task, 80)}: ${fieldList(t, (field) => inlineCode(field, 60))}`
  )
  return `**JSON fields that fail most** (wrong / scored replies):\n\n${lines.join('\n')}`
}

/** Terminal lines (field names already cleaned by `clean`), or none. */
export function fieldFailuresLines(
  tasks: readonly TaskEvalResult[],
  clean: (text: string, max: number) => string
): string[] {
  const failing = failingTasks(tasks)
  if (failing.length === 0) return []
  return [
    '',
    'JSON fields that fail most (wrong / scored replies):',
    ...failing.map((t) => `  ${clean(t.task, 60)}: ${fieldList(t, (field) => clean(field, 60))}`)
  ]
}
