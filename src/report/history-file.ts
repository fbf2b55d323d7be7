/**
 * The history file's format: `{ "schemaVersion": 1, "records": [ … oldest first … ] }`, pretty
 * printed so the data branch diffs well. Arrays of plain values (per-example ids and scores) stay on
 * one line: one value a line would make a file of thousands of lines per record. Records are opaque
 * here; their shape belongs to the caller (see ./history-record.ts).
 */
import { InputError } from '../errors.js'

export const HISTORY_SCHEMA_VERSION = 1

/** Parses a history file; a bare JSON array of records is read too. `where` names the file in errors. */
export function parseHistoryFile<R = unknown>(text: string, where: string): R[] {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new InputError(`the history file is not valid JSON (${(error as Error).message})`, {
      file: where,
      cause: error
    })
  }
  if (Array.isArray(value)) return value as R[]
  if (typeof value === 'object' && value !== null) {
    const { schemaVersion, records } = value as { schemaVersion?: unknown; records?: unknown }
    if (typeof schemaVersion === 'number' && schemaVersion > HISTORY_SCHEMA_VERSION) {
      throw new InputError(
        `the history file has schemaVersion ${schemaVersion}; this version reads up to ${HISTORY_SCHEMA_VERSION}`,
        { file: where, location: 'schemaVersion' }
      )
    }
    if (Array.isArray(records)) return records as R[]
  }
  throw new InputError('expected {"schemaVersion": 1, "records": [...]}', {
    file: where,
    location: 'records'
  })
}

const isScalar = (v: unknown): boolean => v === null || typeof v !== 'object'

/** JSON.stringify(value, null, 2), except that arrays holding no object or array stay on one line. */
function pretty(value: unknown, indent: string): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null'
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return pretty((value as { toJSON: () => unknown }).toJSON(), indent)
  }
  const inner = `${indent}  `
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]'
    if (value.every(isScalar)) return JSON.stringify(value)
    const items = value.map((v) => inner + (v === undefined ? 'null' : pretty(v, inner)))
    return `[\n${items.join(',\n')}\n${indent}]`
  }
  const entries = Object.entries(value).filter(
    ([, v]) => v !== undefined && typeof v !== 'function'
  )
  if (entries.length === 0) return '{}'
  const lines = entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${pretty(v, inner)}`)
  return `{\n${lines.join(',\n')}\n${indent}}`
}

/** Renders records as a history file (ends with a newline). */
export function renderHistoryFile(records: readonly unknown[]): string {
  return `${pretty({ schemaVersion: HISTORY_SCHEMA_VERSION, records }, '')}\n`
}
