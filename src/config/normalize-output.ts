/**
 * Output formats in the config: `tasks[].response_format`, the JSON Schemas it and json_schema
 * metrics name (inline ones checked here, so problems point at config lines), and json metric fields.
 */
import { schemaProblem, strictModeProblems } from './json-schema.js'
import type { PathIssue } from './schema-issues.js'
import type { RawMetric, RawTask } from './schema.js'
import type { JsonFieldConfig, ResponseFormatConfig, SchemaConfig } from './types.js'

/** Extensions a schema file may have (JSON, or YAML for the same shape). */
export const SCHEMA_EXTENSIONS = ['.json', '.yaml', '.yml'] as const

export function normalizeResponseFormat(
  raw: RawTask['response_format'],
  path: Array<string | number>,
  issues: PathIssue[]
): ResponseFormatConfig | undefined {
  if (raw === undefined) return undefined
  switch (raw.type) {
    case 'text':
      return { type: 'text' }
    case 'json_object':
      return { type: 'json_object' }
    case 'json_schema': {
      const schema = normalizeSchema(raw.schema, [...path, 'schema'], raw.strict, issues)
      return { type: 'json_schema', name: raw.name, strict: raw.strict, schema }
    }
  }
}

/**
 * A schema as written: a file path (read and checked when the project loads) or an inline mapping,
 * checked here so its problems point at config lines.
 */
export function normalizeSchema(
  raw: string | Record<string, unknown>,
  path: Array<string | number>,
  strict: boolean,
  issues: PathIssue[]
): SchemaConfig {
  if (typeof raw === 'string') {
    if (!SCHEMA_EXTENSIONS.some((ext) => raw.toLowerCase().endsWith(ext)))
      issues.push({
        path,
        message: `expected a schema file ending in ${SCHEMA_EXTENSIONS.join(', ')}, or an inline schema`
      })
    return { file: raw, value: undefined }
  }
  for (const problem of checkSchema(raw, strict))
    issues.push({ path: [...path, ...problem.path], message: problem.message })
  return { file: undefined, value: raw }
}

/** Whether a schema is valid JSON Schema, and with `strict`, follows OpenAI's strict-mode rules. */
export function checkSchema(
  schema: Record<string, unknown>,
  strict: boolean
): Array<{ path: Array<string | number>; message: string }> {
  const invalid = schemaProblem(schema)
  if (invalid !== undefined) return [invalid]
  return strict ? strictModeProblems(schema) : []
}

export function normalizeJsonFields(
  raw: Extract<RawMetric, { type: 'json' }>['fields'],
  path: Array<string | number>,
  issues: PathIssue[]
): JsonFieldConfig[] | undefined {
  return raw?.map((field, i): JsonFieldConfig => {
    const first = raw.findIndex((other) => other.path === field.path)
    if (first !== i)
      issues.push({
        path: [...path, i],
        message: `duplicate field "${field.path}" (also fields[${first}]); list each field once`
      })
    if (field.match === 'numeric')
      return {
        path: field.path,
        match: {
          type: 'numeric',
          tolerance: field.tolerance ?? 0,
          relative: field.relative ?? false
        }
      }
    for (const key of ['tolerance', 'relative'] as const)
      if (field[key] !== undefined)
        issues.push({
          path: [...path, i, key],
          message: `${key} applies to match: numeric only (this field's match is ${field.match})`
        })
    return { path: field.path, match: { type: field.match } }
  })
}
