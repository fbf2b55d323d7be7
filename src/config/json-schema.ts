/**
 * JSON Schema through Ajv: checking that a schema is one (the validator's reason and the path in
 * the schema), OpenAI's strict-mode rules, and compiling a schema into a validator. Draft-07 is
 * the default; a schema whose `$schema` names 2020-12 is read as 2020-12.
 */
import { Ajv } from 'ajv'
import type { ErrorObject, ValidateFunction } from 'ajv'
import { Ajv2020 } from 'ajv/dist/2020.js'

/** One problem in a schema; `path` is below the schema's root. */
export interface SchemaProblem {
  path: Array<string | number>
  message: string
}

type Dialect = 'draft-07' | '2020-12'

/**
 * A fresh validator per schema: Ajv keeps every compiled schema under its `$id`, so one shared
 * instance would refuse a second, different schema with the same `$id` (two configs, two tasks).
 * strict: false — user schemas carry keywords Ajv does not know (OpenAI's, editors'); formats
 * are not checked (no format plugin is bundled) rather than refused.
 */
function ajvFor(dialect: Dialect): Ajv | Ajv2020 {
  const options = { strict: false, logger: false, validateFormats: false, allErrors: true } as const
  return dialect === '2020-12' ? new Ajv2020(options) : new Ajv(options)
}

function dialectOf(schema: Record<string, unknown>): Dialect | SchemaProblem {
  const declared = schema.$schema
  if (declared === undefined) return 'draft-07'
  if (typeof declared === 'string') {
    if (/draft-07\/schema#?$/.test(declared)) return 'draft-07'
    if (/draft\/2020-12\/schema#?$/.test(declared)) return '2020-12'
  }
  return {
    path: ['$schema'],
    message: `unsupported $schema ${JSON.stringify(declared)}; expected JSON Schema draft-07 (http://json-schema.org/draft-07/schema#) or 2020-12 (https://json-schema.org/draft/2020-12/schema), or none`
  }
}

/** A JSON pointer (`/properties/a~1b/0`) as path steps. */
function pointerSteps(pointer: string): Array<string | number> {
  if (pointer === '') return []
  return pointer
    .slice(1)
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^(0|[1-9]\d*)$/.test(part) ? Number(part) : part))
}

/** The most telling error: the deepest one (a union's branches report at its parent). */
function deepest(errors: readonly ErrorObject[]): ErrorObject | undefined {
  let best: ErrorObject | undefined
  for (const error of errors)
    if (best === undefined || error.instancePath.length > best.instancePath.length) best = error
  return best
}

function describe(error: ErrorObject): string {
  const allowed = (error.params as { allowedValues?: unknown }).allowedValues
  const suffix = Array.isArray(allowed)
    ? ` (${allowed.map((v) => JSON.stringify(v)).join(', ')})`
    : ''
  return `${error.message ?? 'is invalid'}${suffix}`
}

/**
 * Why `schema` is not a usable JSON Schema, or undefined when it is: checked against the dialect's
 * meta-schema, then compiled (which finds unresolvable `$ref`s).
 */
export function schemaProblem(schema: Record<string, unknown>): SchemaProblem | undefined {
  const dialect = dialectOf(schema)
  if (typeof dialect !== 'string') return dialect
  const ajv = ajvFor(dialect)
  const valid = ajv.validateSchema(schema)
  if (!valid) {
    const error = deepest(ajv.errors ?? [])
    return {
      path: error ? pointerSteps(error.instancePath) : [],
      message: `not a valid JSON Schema (${dialect}): ${error ? describe(error) : 'rejected by the meta-schema'}`
    }
  }
  try {
    ajv.compile(schema)
  } catch (error) {
    return { path: [], message: `not a usable JSON Schema: ${(error as Error).message}` }
  }
  return undefined
}

/** A compiled schema; throws when the schema is not valid (check with schemaProblem first). */
export function compileSchema(schema: Record<string, unknown>): ValidateFunction {
  const dialect = dialectOf(schema)
  if (typeof dialect !== 'string') throw new Error(dialect.message)
  return ajvFor(dialect).compile(schema)
}

/** A validation failure of a value, for reports: `/items/0/price: must be number`. */
export function validationMessage(errors: readonly ErrorObject[] | null | undefined): string {
  const first = errors?.[0]
  if (first === undefined) return 'does not match the schema'
  return `${first.instancePath || '(root)'}: ${describe(first)}`
}

function isObjectSchema(schema: Record<string, unknown>): boolean {
  const type = schema.type
  return (
    type === 'object' ||
    (Array.isArray(type) && type.includes('object')) ||
    (typeof schema.properties === 'object' && schema.properties !== null)
  )
}

function asSchema(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined
}

/**
 * Where `schema` breaks OpenAI's strict-mode rules for Structured Outputs: the root is an object;
 * every object lists each of its properties in `required` and sets `additionalProperties: false`.
 * Subschemas are followed through properties, items, prefixItems, anyOf, $defs and definitions.
 */
export function strictModeProblems(schema: Record<string, unknown>): SchemaProblem[] {
  const problems: SchemaProblem[] = []
  if (!isObjectSchema(schema))
    problems.push({
      path: ['type'],
      message: 'strict mode: the root schema must be an object (type: object)'
    })
  visit(schema, [], problems)
  return problems
}

function visit(
  schema: Record<string, unknown>,
  path: Array<string | number>,
  problems: SchemaProblem[]
): void {
  if (isObjectSchema(schema)) {
    if (schema.additionalProperties !== false)
      problems.push({
        path: [...path, 'additionalProperties'],
        message: 'strict mode: every object must set additionalProperties: false'
      })
    const properties = asSchema(schema.properties) ?? {}
    const required = Array.isArray(schema.required) ? schema.required : []
    const missing = Object.keys(properties).filter((key) => !required.includes(key))
    if (missing.length > 0)
      problems.push({
        path: [...path, 'required'],
        message: `strict mode: every property must be required; missing ${missing.map((k) => JSON.stringify(k)).join(', ')} (make a property optional with type: [..., "null"])`
      })
    for (const [key, child] of Object.entries(properties)) {
      const sub = asSchema(child)
      if (sub) visit(sub, [...path, 'properties', key], problems)
    }
  }
  const items = schema.items
  if (Array.isArray(items)) visitList(items, [...path, 'items'], problems)
  else if (asSchema(items)) visit(items as Record<string, unknown>, [...path, 'items'], problems)
  for (const key of ['prefixItems', 'anyOf'] as const) {
    const list = schema[key]
    if (Array.isArray(list)) visitList(list, [...path, key], problems)
  }
  for (const key of ['$defs', 'definitions'] as const) {
    const defs = asSchema(schema[key])
    if (!defs) continue
    for (const [name, child] of Object.entries(defs)) {
      const sub = asSchema(child)
      if (sub) visit(sub, [...path, key, name], problems)
    }
  }
}

function visitList(
  list: readonly unknown[],
  path: Array<string | number>,
  problems: SchemaProblem[]
): void {
  list.forEach((child, i) => {
    const sub = asSchema(child)
    if (sub) visit(sub, [...path, i], problems)
  })
}
