/**
 * CSV rows with the line each starts on. csv-parse does the parsing; the start lines come from a
 * small scan of our own, because csv-parse's line count drifts on CRLF inside quoted fields.
 */
import { parse as parseCsv } from 'csv-parse/sync'
import { InputError } from '../errors.js'
import type { RawRow } from './datasets.js'
import { throwIssues } from './issues.js'
import type { Issue } from './issues.js'

interface CsvRecord {
  record: Record<string, string>
  info: { lines: number }
}

/** CSV with a header row; every value stays a string. */
export function parseCsvRows(text: string, file: string): RawRow[] {
  const starts = csvRecordStarts(text)
  let records: CsvRecord[]
  try {
    records = parseCsv(text, {
      columns: (header: string[]) => checkHeader(header, file),
      info: true,
      skip_empty_lines: true,
      // Mixed line endings happen (files edited on two systems); accept both everywhere.
      record_delimiter: ['\r\n', '\n']
    }) as unknown as CsvRecord[]
  } catch (error) {
    if (error instanceof InputError) throw error
    throw csvError(error, text, starts, file)
  }
  // csv-parse's own line count drifts on CRLF inside quoted fields, so lines come from our scan.
  return records.map(({ record, info }, index) => ({
    fields: { ...record },
    line: starts[index + 1]?.line ?? info.lines
  }))
}

/** Line and offset where each non-empty CSV record (the header included) starts. */
function csvRecordStarts(text: string): Array<{ line: number; offset: number }> {
  const starts: Array<{ line: number; offset: number }> = []
  let line = 1
  let inQuotes = false
  let atStart = true
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (atStart) {
      if (ch === '\n') {
        line++
        continue
      }
      if (ch === '\r' && text[i + 1] === '\n') continue
      starts.push({ line, offset: i })
      atStart = false
    }
    if (ch === '"') inQuotes = !inQuotes
    else if (ch === '\n') {
      line++
      if (!inQuotes) atStart = true
    }
  }
  return starts
}

/** Names each column must have, once each; linear in the number of columns (a header may be huge). */
function checkHeader(header: string[], file: string): string[] {
  if (header.length > MAX_COLUMNS)
    throw new InputError(
      `the header row has ${header.length.toLocaleString('en-US')} columns; expected at most ${MAX_COLUMNS.toLocaleString('en-US')}`,
      { file, location: 'line 1' }
    )
  const issues: Issue[] = []
  const seen = new Set<string>()
  const twice = new Set<string>()
  header.forEach((name, i) => {
    if (name.trim() === '') {
      if (issues.length < MAX_HEADER_ISSUES)
        issues.push({ file, line: 1, message: `column ${i + 1} of the header row has no name` })
    } else if (seen.has(name)) {
      if (!twice.has(name) && issues.length < MAX_HEADER_ISSUES)
        issues.push({
          file,
          line: 1,
          message: `column name "${name}" appears twice in the header row`
        })
      twice.add(name)
    } else seen.add(name)
  })
  throwIssues(issues)
  return header
}

/**
 * Columns a dataset may have. Every row becomes an object with one key per column, and a CSV
 * from a pull request could otherwise ask for a million of them per row.
 */
export const MAX_COLUMNS = 10_000

/** A header of a million blank names says so a few times, not a million. */
const MAX_HEADER_ISSUES = 20

function csvError(
  error: unknown,
  text: string,
  starts: ReadonlyArray<{ line: number; offset: number }>,
  file: string
): InputError {
  const e = error as {
    code?: string
    lines?: number
    bytes?: number
    message?: string
    record?: unknown[]
  }
  let line = e.lines
  if (typeof e.bytes === 'number') {
    // `bytes` is where parsing stopped (the end of the bad record), in UTF-8 bytes.
    const offset = Buffer.from(text).subarray(0, e.bytes).toString().length
    const record = starts.filter((start) => start.offset < offset).at(-1)
    if (record) line = record.line
  }
  let message: string
  if (
    e.code === 'CSV_RECORD_INCONSISTENT_COLUMNS' ||
    e.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH'
  ) {
    const got = Array.isArray(e.record) ? `, got ${e.record.length}` : ''
    const expected =
      /columns length is (\d+)/.exec(e.message ?? '')?.[1] ?? "the header row's number of"
    message = `expected ${expected} columns${got} (quote a field that contains a comma)`
  } else if (e.code === 'CSV_QUOTE_NOT_CLOSED') {
    message = 'a quoted field is never closed (a " is missing)'
  } else {
    message = `not valid CSV: ${(e.message ?? String(error)).replace(/ at line \d+.*$/, '')}`
  }
  return new InputError(message, {
    file,
    location: line === undefined ? undefined : `line ${line}`
  })
}
