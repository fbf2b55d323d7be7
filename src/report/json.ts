/**
 * RunReport ↔ JSON text. The file is stable: the top-level keys in a fixed, readable order, every
 * nested object's keys sorted, two-space indentation, a final newline, so two runs with the same
 * results produce the same bytes and a diff between reports shows only what changed.
 */
import type { RunReport } from './types.js'
import { REPORT_SCHEMA_VERSION } from './types.js'
import { InputError } from '../errors.js'

const TOP_LEVEL_ORDER = [
  'schemaVersion',
  'kind',
  'tool',
  'startedAt',
  'finishedAt',
  'provider',
  'models',
  'config',
  'seed',
  'split',
  'stop',
  'gate',
  'ledger',
  'comparison',
  'optimization',
  'tasks'
]

function sortDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortDeep)
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).sort()) {
      out[key] = sortDeep((value as Record<string, unknown>)[key])
    }
    return out
  }
  return value
}

/** The report as stable, pretty JSON (ends with a newline). */
export function renderJson(report: RunReport): string {
  const source = report as unknown as Record<string, unknown>
  const rank = (key: string): number => {
    const i = TOP_LEVEL_ORDER.indexOf(key)
    return i === -1 ? TOP_LEVEL_ORDER.length : i
  }
  const keys = Object.keys(source).sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
  const ordered: Record<string, unknown> = {}
  for (const key of keys) ordered[key] = sortDeep(source[key])
  return JSON.stringify(ordered, null, 2) + '\n'
}

const KINDS = new Set(['eval', 'compare', 'optimize'])
const REQUIRED_OBJECTS = ['tool', 'provider', 'models', 'config', 'ledger', 'stop'] as const

/**
 * Reads a report written by {@link renderJson}. Checks the schema version and the shape a reader
 * relies on; `source` names the file in error messages.
 * @throws InputError when the text is not JSON, not a report, or of another schema version.
 */
export function parseReport(text: string, source = 'report'): RunReport {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    throw new InputError('is not valid JSON', { file: source, cause: error })
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError('expected a JSON object (a prompt-descent report)', { file: source })
  }
  const record = value as Record<string, unknown>
  const version = record['schemaVersion']
  if (version !== REPORT_SCHEMA_VERSION) {
    const found =
      version === undefined ? 'no schemaVersion' : `schemaVersion ${JSON.stringify(version)}`
    throw new InputError(
      `expected a prompt-descent report with schemaVersion ${REPORT_SCHEMA_VERSION}, found ${found}`,
      { file: source, location: 'schemaVersion' }
    )
  }
  if (typeof record['kind'] !== 'string' || !KINDS.has(record['kind'])) {
    throw new InputError('expected "eval", "compare" or "optimize"', {
      file: source,
      location: 'kind'
    })
  }
  if (!Array.isArray(record['tasks'])) {
    throw new InputError('expected an array of task results', { file: source, location: 'tasks' })
  }
  for (const key of REQUIRED_OBJECTS) {
    const field = record[key]
    if (field === null || typeof field !== 'object' || Array.isArray(field)) {
      throw new InputError('expected an object', { file: source, location: key })
    }
  }
  return value as RunReport
}
