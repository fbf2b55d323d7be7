/**
 * Reads dataset files into raw rows, each with the 1-based line where it starts, so every later
 * message about a row can point at it. Formats by extension: .jsonl, .json, .csv, .yaml/.yml.
 */
import { isMap, isSeq } from 'yaml'
import type { Node } from 'yaml'
import { InputError } from '../errors.js'
import { throwIssues } from './issues.js'
import type { Issue } from './issues.js'
import { parseCsvRows } from './csv-rows.js'
import { isGithubPromptFile, parseGithubPromptFile } from './github-prompt-file.js'
import { parseYamlSource } from './yaml-source.js'

export type DatasetFormat = 'jsonl' | 'json' | 'csv' | 'yaml' | 'prompt-file'

/** One row as read from the file, before ids, expected values and splits. */
export interface RawRow {
  fields: Record<string, unknown>
  /** 1-based line where the row starts. */
  line: number
}

/** The format a path's extension names, or undefined for an unsupported one. */
export function datasetFormat(path: string): DatasetFormat | undefined {
  const lower = path.toLowerCase()
  if (isGithubPromptFile(lower)) return 'prompt-file'
  if (lower.endsWith('.jsonl')) return 'jsonl'
  if (lower.endsWith('.json')) return 'json'
  if (lower.endsWith('.csv')) return 'csv'
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml'
  return undefined
}

/**
 * Parses a dataset's text. `file` (relative path) picks the format and names the file in errors.
 * Every bad row is reported (one InputError listing them); an empty dataset is an error too.
 */
export function parseDataset(text: string, file: string): RawRow[] {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text
  const format = datasetFormat(file)
  let rows: RawRow[]
  try {
    rows = parseRows(body, file, format)
  } catch (error) {
    // A parser that recurses (YAML) overflows the stack on data nested thousands deep.
    if (error instanceof RangeError)
      throw new InputError(
        `the data is nested too deeply to read; expected rows nested at most ${MAX_ROW_DEPTH} levels`,
        { file }
      )
    throw error
  }
  if (rows.length === 0)
    throw new InputError('the dataset has no rows; expected at least one', { file })
  throwIssues(
    rows
      .filter((row) => nestedDeeperThan(row.fields, MAX_ROW_DEPTH))
      .map((row) => ({
        file,
        line: row.line,
        message: `the row is nested deeper than ${MAX_ROW_DEPTH} levels (objects or lists within each other); expected at most ${MAX_ROW_DEPTH}`
      }))
  )
  return rows
}

/**
 * How deep objects and lists may nest in a row. Slots, reports and hashes walk a row's values, and
 * a row nested thousands deep would overflow the stack there with no file or row named.
 */
export const MAX_ROW_DEPTH = 64

/** True when `value` nests objects/lists more than `max` deep; iterative, so any depth is safe. */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<{ node: unknown; depth: number }> = [{ node: value, depth: 0 }]
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    if (item.node === null || typeof item.node !== 'object') continue
    const depth = item.depth + 1
    if (depth > max) return true
    for (const child of Object.values(item.node)) {
      if (child !== null && typeof child === 'object') stack.push({ node: child, depth })
    }
  }
  return false
}

function parseRows(body: string, file: string, format: DatasetFormat | undefined): RawRow[] {
  let rows: RawRow[]
  switch (format) {
    case 'jsonl':
      rows = parseJsonl(body, file)
      break
    case 'json':
      rows = parseJsonArray(body, file)
      break
    case 'csv':
      rows = parseCsvRows(body, file)
      break
    case 'yaml':
      rows = parseYamlRows(body, file)
      break
    case 'prompt-file':
      rows = parseGithubPromptFile(body, file).testData
      if (rows.length === 0)
        throw new InputError(
          'the prompt file has no `testData:` rows; add some (each a mapping of field: value) or name a dataset in `data:`',
          { file }
        )
      break
    default:
      throw new InputError(
        'unsupported dataset format; expected .jsonl, .json, .csv, .yaml or .yml',
        {
          file
        }
      )
  }
  return rows
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function kindOf(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  return `a ${typeof value}`
}

function parseJsonl(text: string, file: string): RawRow[] {
  const rows: RawRow[] = []
  const issues: Issue[] = []
  text.split('\n').forEach((raw, index) => {
    const line = index + 1
    const source = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    if (source.trim() === '') return
    let value: unknown
    try {
      value = JSON.parse(source)
    } catch (error) {
      issues.push({ file, line, message: `not valid JSON: ${jsonReason(error)}` })
      return
    }
    if (isRecord(value)) rows.push({ fields: value, line })
    else
      issues.push({ file, line, message: `expected a JSON object per line, got ${kindOf(value)}` })
  })
  throwIssues(issues)
  return rows
}

function parseJsonArray(text: string, file: string): RawRow[] {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new InputError(`not valid JSON: ${jsonReason(error)}`, {
      file,
      location: `line ${lineOfOffset(text, jsonErrorOffset(error, text))}`
    })
  }
  if (!Array.isArray(value)) {
    const hint = isRecord(value) ? ' (a top-level object is not read; put the rows in a list)' : ''
    throw new InputError(`expected a JSON array of objects, got ${kindOf(value)}${hint}`, { file })
  }
  const lines = arrayItemLines(text)
  const issues: Issue[] = []
  const rows: RawRow[] = []
  value.forEach((item: unknown, index) => {
    const line = lines[index] ?? index + 1
    if (isRecord(item)) rows.push({ fields: item, line })
    else issues.push({ file, line, message: `expected an object, got ${kindOf(item)}` })
  })
  throwIssues(issues)
  return rows
}

/** Start lines of the top-level array's items in (valid) JSON text. */
function arrayItemLines(text: string): number[] {
  const lines: number[] = []
  let line = 1
  let depth = 0
  let inString = false
  let expectItem = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]
    if (ch === '\n') line++
    if (inString) {
      if (ch === '\\') i++
      else if (ch === '"') inString = false
      continue
    }
    if (ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n') continue
    if (depth === 1 && expectItem && ch !== ']') {
      lines.push(line)
      expectItem = false
    }
    if (ch === '"') inString = true
    else if (ch === '[' || ch === '{') {
      depth++
      if (depth === 1) expectItem = true
    } else if (ch === ']' || ch === '}') depth--
    else if (ch === ',' && depth === 1) expectItem = true
  }
  return lines
}

function jsonReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message
    .replace(/ in JSON at position \d+.*$/, '')
    .replace(/^Unexpected end of JSON input$/, 'the text ends too early')
}

function jsonErrorOffset(error: unknown, text: string): number {
  const match = /at position (\d+)/.exec(error instanceof Error ? error.message : '')
  return match ? Number(match[1]) : text.length
}

function lineOfOffset(text: string, offset: number): number {
  let line = 1
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') line++
  return line
}

function parseYamlRows(text: string, file: string): RawRow[] {
  const source = parseYamlSource(text, file)
  if (source.root === null || source.value === null || source.value === undefined) return []
  if (!isSeq(source.root) || !Array.isArray(source.value))
    throw new InputError(`expected a YAML list of mappings, got ${kindOf(source.value)}`, {
      file,
      location: 'line 1'
    })
  const issues: Issue[] = []
  const rows: RawRow[] = []
  const values = source.value as unknown[]
  source.root.items.forEach((node, index) => {
    const start = (node as Node | null)?.range?.[0]
    const line = start === undefined ? index + 1 : source.lineAt(start)
    const value = values[index]
    if (isMap(node) && isRecord(value)) rows.push({ fields: value, line })
    else
      issues.push({
        file,
        line,
        message: `expected a mapping (key: value) per item, got ${kindOf(value)}`
      })
  })
  throwIssues(issues)
  return rows
}
