/**
 * The history file's format: `{ "schemaVersion": 1, "records": [ … oldest first … ] }`, pretty
 * printed so the data branch diffs well. Records are opaque here; their shape belongs to the caller.
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

/** Renders records as a history file (ends with a newline). */
export function renderHistoryFile(records: readonly unknown[]): string {
  return `${JSON.stringify({ schemaVersion: HISTORY_SCHEMA_VERSION, records }, null, 2)}\n`
}
