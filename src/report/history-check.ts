/**
 * Checks records read from a history file before anything is drawn or compared from them: a file
 * edited by hand, or written by another tool, fails with the record and key that are wrong.
 */
import { InputError } from '../errors.js'
import { parseHistoryFile } from './history-file.js'
import type { HistoryRecord } from './history-record.js'

type Obj = Record<string, unknown>

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v)
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

/** Throws an InputError naming `where` and the key path unless every record has the expected shape. */
export function checkHistoryRecords(values: readonly unknown[], where: string): HistoryRecord[] {
  const fail = (location: string, expected: string): never => {
    throw new InputError(`expected ${expected}`, { file: where, location })
  }
  values.forEach((value, i) => {
    const at = `records[${i}]`
    if (!isObj(value)) return fail(at, 'a record object')
    if (typeof value['sha'] !== 'string' || value['sha'] === '') fail(`${at}.sha`, 'a commit sha')
    if (typeof value['date'] !== 'string') fail(`${at}.date`, 'an ISO date string')
    if (value['threshold'] !== undefined && !isNum(value['threshold'])) {
      fail(`${at}.threshold`, 'a number in [0, 1]')
    }
    const tasks = value['tasks']
    if (!Array.isArray(tasks)) return fail(`${at}.tasks`, 'an array of tasks')
    tasks.forEach((task: unknown, j) => checkTask(task, `${at}.tasks[${j}]`, fail))
  })
  return values as HistoryRecord[]
}

function checkTask(
  task: unknown,
  at: string,
  fail: (location: string, expected: string) => never
): void {
  if (!isObj(task)) return fail(at, 'a task object')
  if (typeof task['task'] !== 'string' || task['task'] === '') fail(`${at}.task`, 'a task name')
  if (!isNum(task['score'])) fail(`${at}.score`, 'a score (a number in [0, 1])')
  if (!isNum(task['n']) || (task['n'] as number) < 0) fail(`${at}.n`, 'a count of examples')
  const interval = task['interval']
  if (!isObj(interval) || !isNum(interval['low']) || !isNum(interval['high'])) {
    fail(`${at}.interval`, 'an interval {"low": number, "high": number, "level": number}')
  }
  for (const key of ['metric', 'promptHash', 'dataHash'] as const) {
    if (task[key] !== undefined && typeof task[key] !== 'string') fail(`${at}.${key}`, 'a string')
  }
  const examples = task['examples']
  if (examples === undefined) return
  if (!isObj(examples)) return fail(`${at}.examples`, 'an object {"ids": [...], "scores": [...]}')
  const { ids, scores } = examples
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
    fail(`${at}.examples.ids`, 'an array of example ids')
  }
  if (!Array.isArray(scores) || !scores.every(isNum)) {
    fail(`${at}.examples.scores`, 'an array of numbers')
  }
  if ((ids as unknown[]).length !== (scores as unknown[]).length) {
    fail(`${at}.examples`, 'as many scores as ids')
  }
}

/** Parses and checks a history file's text. */
export function readHistoryText(text: string, where: string): HistoryRecord[] {
  return checkHistoryRecords(parseHistoryFile(text, where), where)
}
