import { InputError } from '../errors.js'

/** A JSON value found in a reply; a wrapper so a parsed `null` is told apart from "none found". */
export interface FoundJson {
  value: unknown
}

const FENCE = /```[ \t]*(?:json5?|JSON)?[ \t]*\r?\n?([\s\S]*?)```/g

function tryParse(text: string): FoundJson | undefined {
  const trimmed = text.trim()
  if (trimmed === '') return undefined
  try {
    return { value: JSON.parse(trimmed) as unknown }
  } catch {
    return undefined
  }
}

/** End index (exclusive) of the balanced `{…}` starting at `start`, or -1; skips braces in strings. */
function balancedEnd(text: string, start: number): number {
  let depth = 0
  let inString = false
  for (let i = start; i < text.length; i++) {
    const ch = text[i]
    if (inString) {
      if (ch === '\\') i++
      else if (ch === '"') inString = false
    } else if (ch === '"') {
      inString = true
    } else if (ch === '{') {
      depth++
    } else if (ch === '}') {
      depth--
      if (depth === 0) return i + 1
    }
  }
  return -1
}

/**
 * Finds the JSON a model reply carries. In order: the whole reply; else the last ```json (or bare
 * ```) fenced block that parses; else the last top-level `{…}` object in the prose that parses.
 * The last wins because a reply that reasons first shows its final answer at the end. Bare arrays
 * in prose are not picked up (too easily confused with "[1]"-style references); a reply that is
 * only an array, or an array in a fence, is.
 */
export function findJson(reply: string): FoundJson | undefined {
  const whole = tryParse(reply)
  if (whole !== undefined) return whole

  const fenced = Array.from(reply.matchAll(FENCE), (m) => m[1] ?? '')
  for (let i = fenced.length - 1; i >= 0; i--) {
    const found = tryParse(fenced[i] as string)
    if (found !== undefined) return found
  }

  const spans: Array<[number, number]> = []
  let i = reply.indexOf('{')
  while (i !== -1) {
    const end = balancedEnd(reply, i)
    if (end === -1) {
      i = reply.indexOf('{', i + 1)
    } else {
      spans.push([i, end])
      i = reply.indexOf('{', end)
    }
  }
  for (let k = spans.length - 1; k >= 0; k--) {
    const [start, end] = spans[k] as [number, number]
    const found = tryParse(reply.slice(start, end))
    if (found !== undefined) return found
  }
  return undefined
}

type PathStep = string | number

const STEP = /\.?([^.[\]]+)|\[(\d+)\]|\[\s*"((?:[^"\\]|\\.)*)"\s*\]|\[\s*'([^']*)'\s*\]/y

/**
 * Parses a field path such as `a.b[0]`, `items[2].name`, `["odd key"]` (a leading `$` or `$.` is
 * allowed). Throws InputError on a malformed path.
 */
export function parseJsonPath(path: string): PathStep[] {
  const text = path.trim().replace(/^\$\.?/, '')
  const steps: PathStep[] = []
  STEP.lastIndex = 0
  let pos = 0
  while (pos < text.length) {
    STEP.lastIndex = pos
    const m = STEP.exec(text)
    if (m === null || m[0] === '') {
      throw new InputError(
        `the JSON path "${path}" cannot be read at character ${pos + 1}; expected a path like a.b[0]`
      )
    }
    if (m[1] !== undefined) steps.push(m[1])
    else if (m[2] !== undefined) steps.push(Number(m[2]))
    else if (m[3] !== undefined) steps.push(JSON.parse(`"${m[3]}"`) as string)
    else steps.push(m[4] ?? '')
    pos = STEP.lastIndex
  }
  return steps
}

/** The value at `path` inside `value`, or undefined when any step is missing. */
export function pickJsonPath(value: unknown, path: string | readonly PathStep[]): unknown {
  const steps = typeof path === 'string' ? parseJsonPath(path) : path
  let current: unknown = value
  for (const step of steps) {
    if (typeof step === 'number') {
      if (!Array.isArray(current)) return undefined
      current = current[step]
    } else {
      if (current === null || typeof current !== 'object' || Array.isArray(current)) {
        return undefined
      }
      if (!Object.prototype.hasOwnProperty.call(current, step)) return undefined
      current = (current as Record<string, unknown>)[step]
    }
  }
  return current
}

/** Structural equality of JSON values (object key order does not matter). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b)
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
    return a.every((item, i) => jsonEqual(item, b[i]))
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false
  const ra = a as Record<string, unknown>
  const rb = b as Record<string, unknown>
  const keysA = Object.keys(ra).filter((k) => ra[k] !== undefined)
  const keysB = Object.keys(rb).filter((k) => rb[k] !== undefined)
  if (keysA.length !== keysB.length) return false
  return keysA.every((k) => Object.prototype.hasOwnProperty.call(rb, k) && jsonEqual(ra[k], rb[k]))
}
