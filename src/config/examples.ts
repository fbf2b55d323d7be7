/**
 * Dataset rows → Examples: ids, expected values, splits, and the checks that need both the data
 * and the prompt (every slot filled by every row, every label among the choices).
 */
import { InputError } from '../errors.js'
import { parseDataset } from './datasets.js'
import type { RawRow } from './datasets.js'
import { throwIssues } from './issues.js'
import type { Issue } from './issues.js'
import { normalizeLabel } from './normalize-task.js'
import type { Example } from './project-types.js'
import type { ChatPrompt } from './prompt.js'
import { assignIds, assignSplits, limitRows } from './split.js'
import { lookupField, missingSlotError, templateSlots } from './template.js'
import { checkValueSlots } from './check-values.js'
import { expectedFieldUse } from './task-metrics.js'
import type { TaskConfig } from './types.js'

/** Rows → Examples, with every check that needs both the data and the prompt. */
export function buildExamples(
  task: TaskConfig,
  prompt: ChatPrompt,
  dataFile: string,
  data: string
): Example[] {
  const rows = parseDataset(data, dataFile)
  const ids = assignIds(rows, task.idField, dataFile)
  const expected = readExpected(task, rows, dataFile)
  checkSlots(prompt, rows, ids, dataFile)
  const identified = rows.map((row, i) => ({
    ...row,
    id: ids[i] as string,
    expected: expected[i]
  }))
  const kept = limitRows(identified, task.limit, task.split.seed)
  const splits = assignSplits(kept, task.split, dataFile)
  return kept.map((row, i) => ({
    id: row.id,
    fields: row.fields,
    expected: row.expected,
    split: splits[i] as Example['split'],
    line: row.line
  }))
}

/**
 * The expected value of each row. A judge metric may work without one; every other metric needs
 * it (with `checks:`, only the checks without their own `value` read it; regex ignores it). For a
 * choice metric the label must be one of `choices` (ignoring case and surrounding spaces) and is
 * replaced by the choice's own spelling, so metrics see one form per label.
 */
function readExpected(task: TaskConfig, rows: readonly RawRow[], file: string): unknown[] {
  const issues: Issue[] = []
  const { readers, required } = expectedFieldUse(task)
  const choice = readers.find((m) => m.type === 'choice')
  const choices =
    choice?.type === 'choice'
      ? new Map(choice.choices.map((label) => [normalizeLabel(label), label]))
      : undefined
  const values = rows.map((row) => {
    const value = row.fields[task.expected]
    if (value === undefined || value === null) {
      if (required)
        issues.push({
          file,
          line: row.line,
          message: `the expected field "${task.expected}" is missing (task ${task.name}); the row's fields are: ${fieldList(row)}`
        })
      return undefined
    }
    if (!choices) return value
    const label = typeof value === 'string' ? value : String(value)
    const choice = typeof value === 'object' ? undefined : choices.get(normalizeLabel(label))
    if (choice === undefined)
      issues.push({
        file,
        line: row.line,
        message: `label ${JSON.stringify(value)} is not among the choices of task ${task.name} (${[...choices.values()].join(', ')})`
      })
    return choice ?? value
  })
  throwIssues(issues)
  return values
}

/** Every slot of every message is filled by every row; at least one message has a slot. */
function checkSlots(
  prompt: ChatPrompt,
  rows: readonly RawRow[],
  ids: readonly string[],
  dataFile: string
): void {
  const withSlots = prompt.messages.map((m) => ({ message: m, slots: templateSlots(m.content) }))
  if (withSlots.every((m) => m.slots.length === 0)) {
    const first = rows[0]
    const file = prompt.messages.findLast((m) => m.role === 'user')?.source.file ?? ''
    throw new InputError(
      `the prompt has no {{field}} slot, so every example would send the same text; add one such as {{${first ? (Object.keys(first.fields)[0] ?? 'input') : 'input'}}} (the rows' fields: ${first ? fieldList(first) : 'none'})`,
      { file }
    )
  }
  for (const { message, slots } of withSlots) {
    for (const slot of slots) {
      const missing = rows.flatMap((row, i) => (lookupField(row.fields, slot).ok ? [] : [i]))
      const index = missing[0]
      if (index === undefined) continue
      const row = rows[index] as RawRow
      throw missingSlotError(
        slot,
        row.fields,
        {
          file: message.source.file,
          ...(message.source.index === undefined ? {} : { message: message.source.index }),
          rowId: ids[index] as string,
          line: row.line,
          dataFile
        },
        missing.length - 1
      )
    }
  }
}

/**
 * Slots in the checks' `value`s that some example cannot fill, one message per check and slot
 * (naming the first such row, how many more, and the row's fields).
 */
export function checkValueGaps(
  task: TaskConfig,
  examples: readonly Example[],
  dataFile: string
): Array<{ check: number; message: string }> {
  const gaps: Array<{ check: number; message: string }> = []
  task.checks?.checks.forEach((check, j) => {
    for (const slot of checkValueSlots(check.value)) {
      const missing = examples.filter((e) => !lookupField(e.fields, slot).ok)
      const first = missing[0]
      if (first === undefined) continue
      // No file on the error: the caller reports it at the check's key in the config.
      const error = missingSlotError(
        slot,
        first.fields,
        { file: '', rowId: first.id, line: first.line, dataFile },
        missing.length - 1
      )
      gaps.push({ check: j, message: error.message })
    }
  })
  return gaps
}

function fieldList(row: RawRow): string {
  const names = Object.keys(row.fields)
  return names.length > 0 ? names.join(', ') : 'none'
}
