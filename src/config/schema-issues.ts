/**
 * Turns zod issues into messages written for a person: the key path in YAML form, what was
 * expected and what was found. Values are only echoed when short and not under keys that may
 * hold secrets, so a key pasted into the wrong place never reaches a log.
 */
import type * as z from 'zod'
import type { KeyPath } from './yaml-source.js'

export interface PathIssue {
  path: KeyPath
  message: string
}

/** Keys whose values are never repeated in a message. */
const SECRET_KEYS = new Set(['api_key_env', 'headers', 'base_url'])

export function describeZodIssue(
  issue: z.core.$ZodIssue,
  input: unknown,
  schema: z.ZodType
): PathIssue[] {
  const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol')
  const value = valueAt(input, path)
  const own = issue.message.startsWith('expected') ? issue.message : undefined
  switch (issue.code) {
    case 'unrecognized_keys': {
      const shape = shapeAt(schema, path, input)
      return issue.keys.map((key) => ({
        path: [...path, key],
        message: unknownKeyMessage(key, shape)
      }))
    }
    case 'invalid_type': {
      const expected = describeExpected(issue.expected)
      if (value === undefined) return [{ path, message: `required: expected ${expected}` }]
      return [{ path, message: `expected ${expected}, got ${describeValue(value, path)}` }]
    }
    case 'too_small':
    case 'too_big': {
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum
      const op =
        issue.code === 'too_small' ? (issue.inclusive ? '>=' : '>') : issue.inclusive ? '<=' : '<'
      let message: string
      if (own) message = own
      else if (issue.origin === 'array')
        message = `expected ${issue.code === 'too_small' ? 'at least' : 'at most'} ${bound} item(s)`
      else if (issue.origin === 'string' && issue.code === 'too_small' && bound === 1)
        message = 'expected a non-empty string'
      else if (issue.origin === 'string') message = `expected a string of length ${op} ${bound}`
      else message = `expected a number ${op} ${String(bound)}`
      return [{ path, message: `${message}, got ${describeValue(value, path)}` }]
    }
    case 'invalid_value':
      return [{ path, message: `${oneOf(issue.values)}, got ${describeValue(value, path)}` }]
    case 'invalid_union': {
      if ('discriminator' in issue && issue.discriminator !== undefined) {
        const options = 'options' in issue ? (issue.options as unknown[]) : []
        // `metric: bogus` is shorthand for `metric: { type: bogus }`: report the word written.
        const parent = valueAt(input, path.slice(0, -1))
        const written = value === undefined && typeof parent === 'string' ? parent : value
        const found = written === undefined ? 'nothing' : describeValue(written, path)
        return [{ path, message: `${oneOf(options)}, got ${found}` }]
      }
      return [{ path, message: own ?? 'does not match any allowed form' }]
    }
    default:
      return [{ path, message: own ?? issue.message }]
  }
}

function unknownKeyMessage(key: string, shape: Record<string, z.ZodType> | undefined): string {
  const allowed = shape ? Object.keys(shape) : []
  const guess = closest(key, allowed) ?? nestedHome(key, shape)
  if (guess) return `unknown key; did you mean ${guess}?`
  return allowed.length > 0 ? `unknown key (allowed here: ${allowed.join(', ')})` : 'unknown key'
}

/** `optimize.rounds` → `apo.rounds`: the key belongs one level down. */
function nestedHome(key: string, shape: Record<string, z.ZodType> | undefined): string | undefined {
  for (const [name, child] of Object.entries(shape ?? {})) {
    const inner = defOf(unwrap(child, undefined)).shape
    if (inner && Object.hasOwn(inner, key)) return `${name}.${key}`
  }
  return undefined
}

function oneOf(values: readonly unknown[]): string {
  return `expected one of ${values.map((v) => String(v)).join(', ')}`
}

function describeExpected(expected: string): string {
  switch (expected) {
    case 'object':
    case 'record':
    case 'map':
      return 'a mapping (key: value)'
    case 'array':
      return 'a list'
    case 'int':
      return 'a whole number'
    case 'boolean':
      return 'true or false'
    default:
      return /^[aeiou]/.test(expected) ? `an ${expected}` : `a ${expected}`
  }
}

/** A short, safe description of a value found in the file. */
function describeValue(value: unknown, path: KeyPath = []): string {
  if (value === undefined) return 'nothing'
  if (value === null) return 'an empty value'
  if (Array.isArray(value)) return `a list of ${value.length}`
  if (typeof value === 'object') return 'a mapping'
  const secret = path.some((s) => typeof s === 'string' && SECRET_KEYS.has(s))
  if (typeof value === 'string') {
    if (secret || value.length > 40) return 'a string'
    return JSON.stringify(value)
  }
  if (typeof value === 'number' && !secret) return String(value)
  return `a ${typeof value}`
}

function valueAt(input: unknown, path: KeyPath): unknown {
  let node = input
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<string | number, unknown>)[segment]
  }
  return node
}

interface Def {
  type: string
  innerType?: z.ZodType
  in?: z.ZodType
  out?: z.ZodType
  shape?: Record<string, z.ZodType>
  element?: z.ZodType
  valueType?: z.ZodType
  options?: z.ZodType[]
  discriminator?: string
  values?: unknown[]
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def

/** Strips wrappers (optional, default, preprocess…) down to the schema that checks the value. */
function unwrap(schema: z.ZodType, value: unknown): z.ZodType {
  let current = schema
  for (let depth = 0; depth < 20; depth++) {
    const def = defOf(current)
    if (def.innerType) current = def.innerType
    else if (def.type === 'pipe' && def.in && def.out)
      current = defOf(def.out).type === 'transform' ? def.in : def.out
    else if (def.type === 'union' && def.options) {
      const disc = def.discriminator
      const tag =
        disc && value !== null && typeof value === 'object'
          ? (value as Record<string, unknown>)[disc]
          : undefined
      const match = def.options.find((option) => {
        const shape = defOf(unwrap(option, value)).shape
        const literal = disc && shape?.[disc] ? defOf(shape[disc]).values : undefined
        return literal?.includes(tag) ?? false
      })
      if (!match) return current
      current = match
    } else return current
  }
  return current
}

/** The object shape the schema expects for the mapping at `path`. */
function shapeAt(
  schema: z.ZodType,
  path: KeyPath,
  input: unknown
): Record<string, z.ZodType> | undefined {
  let current: z.ZodType | undefined = schema
  let value = input
  for (const segment of path) {
    if (!current) return undefined
    const def = defOf(unwrap(current, value))
    value = valueAt(value, [segment])
    if (def.type === 'object') current = def.shape?.[String(segment)]
    else if (def.type === 'array') current = def.element
    else if (def.type === 'record') current = def.valueType
    else return undefined
  }
  return current ? defOf(unwrap(current, value)).shape : undefined
}

/** The allowed key a misspelt one most likely meant (camelCase, case, or a small typo). */
function closest(key: string, allowed: readonly string[]): string | undefined {
  const snake = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/-/g, '_')
    .toLowerCase()
  const exact = allowed.find((k) => k === snake)
  if (exact) return exact
  let best: string | undefined
  let bestDistance = Math.max(2, Math.floor(key.length / 4)) + 1
  for (const candidate of allowed) {
    const d = editDistance(snake, candidate)
    if (d < bestDistance) {
      best = candidate
      bestDistance = d
    }
  }
  return best
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    const row = [i]
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      row[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost
      )
    }
    previous = row
  }
  return previous[b.length] ?? 0
}
