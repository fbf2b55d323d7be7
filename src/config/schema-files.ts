/**
 * The JSON Schema files a task names (`response_format.schema`, a json_schema metric's `schema`):
 * which they are, and reading one into a checked schema. Inline schemas are checked when the config
 * is normalised; these are checked once their file is read, with problems pointing into the file.
 */
import type { Issue } from './issues.js'
import { checkSchema } from './normalize-output.js'
import type { MetricConfig, SchemaConfig, TaskConfig } from './types.js'
import { formatKeyPath, parseYamlSource } from './yaml-source.js'
import type { KeyPath } from './yaml-source.js'

export interface SchemaFileRef {
  schema: SchemaConfig & { file: string }
  /** The config key that names the file. */
  key: KeyPath
  /** Whether OpenAI's strict-mode rules apply (a strict response format). */
  strict: boolean
}

/** The schema files of a task, each once (a json_schema metric may share the response format's). */
export function schemaFileRefs(task: TaskConfig, index: number): SchemaFileRef[] {
  const refs: SchemaFileRef[] = []
  const format = task.responseFormat
  if (format?.type === 'json_schema' && format.schema.file !== undefined)
    refs.push({
      schema: { ...format.schema, file: format.schema.file },
      key: ['tasks', index, 'response_format', 'schema'],
      strict: format.strict
    })
  const metrics: Array<[MetricConfig, KeyPath]> = [[task.metric, ['tasks', index, 'metric']]]
  task.checks?.checks.forEach((check, j) =>
    metrics.push([check.metric, ['tasks', index, 'checks', j]])
  )
  for (const [metric, key] of metrics)
    if (
      metric.type === 'json_schema' &&
      metric.schema.file !== undefined &&
      !(format?.type === 'json_schema' && format.schema === metric.schema)
    )
      refs.push({
        schema: { ...metric.schema, file: metric.schema.file },
        key: [...key, 'schema'],
        strict: false
      })
  return refs
}

/**
 * Parses and checks a schema file's text (JSON or YAML). Returns the schema, or the issues found,
 * each naming the file, the line, the path inside the schema and the config key that names it.
 */
export function readSchemaFile(
  text: string,
  file: string,
  key: KeyPath,
  strict: boolean
): { value: Record<string, unknown> } | { issues: Issue[] } {
  const source = parseYamlSource(text, file)
  const value = source.value
  const named = `(the schema of ${formatKeyPath(key)})`
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return {
      issues: [{ file, line: 1, message: `expected a JSON Schema (a mapping) ${named}` }]
    }
  const schema = value as Record<string, unknown>
  const problems = checkSchema(schema, strict)
  if (problems.length === 0) return { value: schema }
  return {
    issues: problems.map((problem) => ({
      file,
      line: source.lineOf(problem.path) ?? 1,
      path: formatKeyPath(problem.path) || undefined,
      message: `${problem.message} ${named}`
    }))
  }
}

/** The task with its schema files' contents filled in (`values` by file path). */
export function withSchemaValues(
  task: TaskConfig,
  values: ReadonlyMap<string, Record<string, unknown>>
): TaskConfig {
  const fill = (schema: SchemaConfig): SchemaConfig =>
    schema.file === undefined ? schema : { file: schema.file, value: values.get(schema.file) }
  const format = task.responseFormat
  const filledFormat =
    format?.type === 'json_schema' ? { ...format, schema: fill(format.schema) } : format
  const fillMetric = (metric: MetricConfig): MetricConfig =>
    metric.type === 'json_schema' ? { ...metric, schema: fill(metric.schema) } : metric
  const out: TaskConfig = { ...task, metric: fillMetric(task.metric) }
  if (task.checks !== undefined)
    out.checks = {
      ...task.checks,
      checks: task.checks.checks.map((check) => ({ ...check, metric: fillMetric(check.metric) }))
    }
  if (filledFormat !== undefined) out.responseFormat = filledFormat
  return out
}
