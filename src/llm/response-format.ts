import type { ResponseFormatConfig } from '../config/types.js'
import type { ResponseFormat } from './chat-model.js'

/**
 * A task's `response_format` as the OpenAI request field. `text` is the API's default, so nothing
 * is sent for it (and the cache key stays that of a request without a format).
 */
export function toResponseFormat(
  config: ResponseFormatConfig | undefined
): ResponseFormat | undefined {
  if (config === undefined) return undefined
  switch (config.type) {
    case 'text':
      return undefined
    case 'json_object':
      return { type: 'json_object' }
    case 'json_schema': {
      const schema = config.schema.value
      if (schema === undefined)
        throw new Error(`the schema ${config.schema.file ?? '(inline)'} was not loaded`)
      return {
        type: 'json_schema',
        json_schema: { name: config.name, strict: config.strict, schema }
      }
    }
  }
}
