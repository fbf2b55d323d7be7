import { compileSchema, validationMessage } from '../../config/json-schema.js'
import type { ExtractConfig, SchemaConfig } from '../../config/types.js'
import { extractJsonValue } from '../extract.js'
import type { ExampleScore, Metric } from '../types.js'
import { meanOfScores, readScore, unreadableScore } from './shared.js'

/**
 * JSON Schema validity: the reply's JSON (found as the json metric finds it, through the task's
 * extraction) validates against the schema. No JSON in the reply → unreadable (scored 0, counted
 * apart); JSON that breaks the schema → 0, with the first violation as the rationale. Needs no
 * expected value.
 */
export function createJsonSchemaMetric(schema: SchemaConfig, extract: ExtractConfig): Metric {
  if (schema.value === undefined)
    throw new Error(`the schema ${schema.file ?? '(inline)'} was not loaded with the project`)
  const validate = compileSchema(schema.value)
  return {
    name: 'json_schema',
    async score(reply): Promise<ExampleScore> {
      const found = extractJsonValue(reply, extract)
      if (found === undefined) return unreadableScore()
      const answer = JSON.stringify(found.value) ?? 'null'
      if (validate(found.value)) return readScore(answer, true)
      return { ...readScore(answer, false), rationale: validationMessage(validate.errors) }
    },
    aggregate: meanOfScores
  }
}
