/**
 * Stable row ids and the deterministic train/dev/test split.
 *
 * The seeded split ranks rows by sha256(seed, row id) and cuts the ranking at the configured
 * fractions (largest-remainder rounding, and at least one row for every non-zero fraction once
 * there are 3 rows or more). A row's rank depends only on its own id, so adding or removing a row
 * never reorders the others: at most one existing row crosses each of the two cut points.
 * Cutting a ranking (rather than thresholding each hash) keeps the split sizes exact on small
 * datasets, where a per-row coin flip could leave the test split nearly empty.
 */
import { canonicalJson, sha256 } from '../util/hash.js'
import { throwIssues } from './issues.js'
import type { Issue } from './issues.js'
import type { SplitName } from './project-types.js'
import type { SplitConfig } from './types.js'

interface Row {
  fields: Record<string, unknown>
  line: number
}

interface IdentifiedRow extends Row {
  id: string
}

/**
 * Each row's stable id: the value of `idField` as a string, or (when the row has none) its 1-based
 * position in the file. Duplicate ids are an InputError that names both lines.
 */
export function assignIds(rows: readonly Row[], idField: string, file: string): string[] {
  const ids = rows.map((row, index) => idOf(row.fields[idField]) ?? String(index + 1))
  const firstLine = new Map<string, number>()
  const issues: Issue[] = []
  ids.forEach((id, index) => {
    const line = rows[index]?.line ?? index + 1
    const first = firstLine.get(id)
    if (first === undefined) firstLine.set(id, line)
    else
      issues.push({
        file,
        line,
        message: `duplicate id ${JSON.stringify(id)} (also on line ${first}); ids must be unique (field "${idField}", or the row's position when it has none)`
      })
  })
  throwIssues(issues)
  return ids
}

function idOf(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return canonicalJson(value)
}

/** Sizes of train, dev and test for n rows. */
export function splitCounts(
  n: number,
  fractions: Pick<SplitConfig, 'train' | 'dev' | 'test'>
): Record<SplitName, number> {
  const names: SplitName[] = ['train', 'dev', 'test']
  const exact = names.map((name) => fractions[name] * n)
  const counts = exact.map(Math.floor)
  let left = n - counts.reduce((a, b) => a + b, 0)
  // Largest remainder first; ties go to the earlier split (train, then dev).
  const order = names
    .map((_, i) => i)
    .sort(
      (a, b) =>
        (exact[b] as number) -
          (counts[b] as number) -
          ((exact[a] as number) - (counts[a] as number)) || a - b
    )
  for (const i of order) {
    if (left <= 0) break
    counts[i] = (counts[i] as number) + 1
    left--
  }
  if (n >= 3) {
    names.forEach((name, i) => {
      if (fractions[name] > 0 && counts[i] === 0) {
        const donor = counts.indexOf(Math.max(...counts))
        counts[donor] = (counts[donor] as number) - 1
        counts[i] = 1
      }
    })
  }
  return { train: counts[0] as number, dev: counts[1] as number, test: counts[2] as number }
}

/** The key rows are ranked by: a row's place depends on nothing but the seed and its own id. */
function rankKey(seed: number, id: string, purpose = 'split'): string {
  return sha256(`${purpose}\u0000${seed}\u0000${id}`)
}

/**
 * The split of each row (same order as `rows`): from `split.field` when set, else seeded.
 * A bad value in the split field is an InputError with the row's line.
 */
export function assignSplits(
  rows: readonly IdentifiedRow[],
  split: SplitConfig,
  file: string
): SplitName[] {
  if (split.field !== undefined) return splitsFromField(rows, split.field, file)
  const counts = splitCounts(rows.length, split)
  const ranked = rows
    .map((row, index) => ({ index, key: rankKey(split.seed, row.id) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.index - b.index))
  const out: SplitName[] = new Array<SplitName>(rows.length)
  ranked.forEach(({ index }, rank) => {
    out[index] = rank < counts.train ? 'train' : rank < counts.train + counts.dev ? 'dev' : 'test'
  })
  return out
}

const SPLIT_NAMES: Record<string, SplitName> = {
  train: 'train',
  dev: 'dev',
  validation: 'dev',
  val: 'dev',
  test: 'test'
}

function splitsFromField(rows: readonly IdentifiedRow[], field: string, file: string): SplitName[] {
  const issues: Issue[] = []
  const out = rows.map((row) => {
    const value = row.fields[field]
    const name = typeof value === 'string' ? SPLIT_NAMES[value.trim().toLowerCase()] : undefined
    if (name !== undefined) return name
    const found = value === undefined ? 'no such field' : `got ${JSON.stringify(value)}`
    issues.push({
      file,
      line: row.line,
      message: `split field "${field}": expected train, dev or test (validation counts as dev), ${found}`
    })
    return 'train' as const
  })
  throwIssues(issues)
  return out
}

/**
 * Keeps `limit` rows chosen by a seeded ranking of their ids (independent of the split ranking),
 * in file order. Like the split, adding a row to the file rarely changes which others are kept.
 */
export function limitRows<T extends IdentifiedRow>(
  rows: readonly T[],
  limit: number | undefined,
  seed: number
): T[] {
  if (limit === undefined || limit >= rows.length) return [...rows]
  const kept = new Set(
    rows
      .map((row, index) => ({ index, key: rankKey(seed, row.id, 'limit') }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.index - b.index))
      .slice(0, limit)
      .map(({ index }) => index)
  )
  return rows.filter((_, index) => kept.has(index))
}
