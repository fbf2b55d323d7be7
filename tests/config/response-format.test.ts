/**
 * Output formats and model parameters in the config: `tasks[].response_format` (inline schemas
 * checked with the config, schema files when the project loads), the json_schema metric, JSON
 * field specs, and `models.<role>` parameters with the checked `extra` map.
 */
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadProject } from '../../src/config/load-project.js'
import { parseConfig } from '../../src/config/parse-config.js'
import { InputError } from '../../src/errors.js'
import { toResponseFormat } from '../../src/llm/response-format.js'
import { makeRepo, thrown } from './helpers.js'

const FILE = 'prompt-descent.yml'

/** A config with one task whose extra task keys are `task` (indented YAML) and models `models`. */
function config(task: string, models = '  target: { model: gpt-4o-mini }'): string {
  return `models:
${models}
tasks:
  - name: invoices
    prompt: prompts/invoice.md
    data: evals/invoices.jsonl
${task}`
}

const STRICT_OK = `    response_format:
      type: json_schema
      name: invoice
      strict: true
      schema:
        type: object
        additionalProperties: false
        required: [vendor, total]
        properties:
          vendor: { type: string }
          total: { type: number }
`

async function failure(text: string): Promise<InputError> {
  const error = await thrown(() => parseConfig(text, FILE))
  expect(error).toBeInstanceOf(InputError)
  expect((error as InputError).exitCode).toBe(2)
  return error as InputError
}

describe('response_format in the config', () => {
  it('is absent by default and sends nothing for text', () => {
    expect(parseConfig(config(''), FILE).tasks[0]?.responseFormat).toBeUndefined()
    const text = parseConfig(config('    response_format: text\n'), FILE).tasks[0]
    expect(text?.responseFormat).toEqual({ type: 'text' })
    expect(toResponseFormat(text?.responseFormat)).toBeUndefined()
    const json = parseConfig(config('    response_format: json_object\n'), FILE).tasks[0]
    expect(toResponseFormat(json?.responseFormat)).toEqual({ type: 'json_object' })
  })

  it('takes an inline strict schema and sends it as OpenAI json_schema', () => {
    const task = parseConfig(config(STRICT_OK), FILE).tasks[0]
    expect(toResponseFormat(task?.responseFormat)).toEqual({
      type: 'json_schema',
      json_schema: {
        name: 'invoice',
        strict: true,
        schema: {
          type: 'object',
          additionalProperties: false,
          required: ['vendor', 'total'],
          properties: { vendor: { type: 'string' }, total: { type: 'number' } }
        }
      }
    })
  })

  it("names the path and Ajv's reason for a schema that is not JSON Schema", async () => {
    const text = config(`    response_format:
      type: json_schema
      schema:
        type: object
        properties:
          total: { type: integr }
`)
    const error = await failure(text)
    expect(error.message).toMatch(
      /^prompt-descent\.yml: line 12, tasks\[0\]\.response_format\.schema\.properties\.total\.type: not a valid JSON Schema \(draft-07\): must be equal to one of the allowed values/
    )
    expect(error.stack).toBeDefined()
    expect(error.message).not.toMatch(/\n\s+at /)
  })

  it('names every strict-mode breach: a missing required, additionalProperties, in items and $defs', async () => {
    const text = config(`    response_format:
      type: json_schema
      strict: true
      schema:
        type: object
        additionalProperties: false
        required: [lines]
        properties:
          lines:
            type: array
            items: { $ref: "#/$defs/line" }
          note: { type: string }
        $defs:
          line:
            type: object
            required: [sku]
            properties:
              sku: { type: string }
              qty: { type: integer }
`)
    const error = await failure(text)
    expect(error.message).toContain(
      'tasks[0].response_format.schema.required: strict mode: every property must be required; missing "note"'
    )
    expect(error.message).toContain(
      'line 20, tasks[0].response_format.schema["$defs"].line.additionalProperties: strict mode: every object must set additionalProperties: false'
    )
    expect(error.message).toContain(
      'line 22, tasks[0].response_format.schema["$defs"].line.required: strict mode: every property must be required; missing "qty"'
    )
  })

  it('follows anyOf and array items in strict mode, and leaves non-strict schemas alone', async () => {
    const schema = `      schema:
        type: object
        additionalProperties: false
        required: [item]
        properties:
          item:
            anyOf:
              - { type: "null" }
              - type: array
                items: { type: object, properties: { a: { type: string } } }
`
    const strict = await failure(
      config(`    response_format:\n      type: json_schema\n      strict: true\n${schema}`)
    )
    expect(strict.message).toContain(
      'tasks[0].response_format.schema.properties.item.anyOf[1].items.additionalProperties: strict mode'
    )
    expect(() =>
      parseConfig(config(`    response_format:\n      type: json_schema\n${schema}`), FILE)
    ).not.toThrow()
  })

  it('refuses an unknown format type and a bad name', async () => {
    const error = await failure(config('    response_format: yaml\n'))
    expect(error.message).toContain('tasks[0].response_format.type: expected one of text')
    const named = await failure(
      config(
        '    response_format: { type: json_schema, name: "has space", schema: { type: object } }\n'
      )
    )
    expect(named.message).toContain('tasks[0].response_format.name: expected a name of 1 to 64')
  })
})

describe('schema files', () => {
  let cleanups: Array<() => Promise<void>> = []
  afterEach(async () => {
    await Promise.all(cleanups.map((c) => c()))
    cleanups = []
  })

  async function project(files: Record<string, string>) {
    const made = await makeRepo({
      'prompts/invoice.md': 'Read: {{text}}',
      'evals/invoices.jsonl': '{"id": "a", "text": "ACME 12.50", "expected": {"vendor": "ACME"}}\n',
      ...files
    })
    cleanups.push(made.cleanup)
    return loadProject(path.join(made.root, FILE))
  }

  const BROKEN_STRICT = `{
  "type": "object",
  "required": ["vendor"],
  "properties": {
    "vendor": { "type": "string" },
    "total": { "type": "number" }
  }
}
`

  it('reads a schema file into the response format and the json_schema metric', async () => {
    const loaded = await project({
      [FILE]: config(
        '    response_format: { type: json_schema, schema: schemas/invoice.json }\n    metric: json_schema\n'
      ),
      'schemas/invoice.json': BROKEN_STRICT
    })
    const task = loaded.tasks[0]?.config
    const format = toResponseFormat(task?.responseFormat)
    expect(format?.type === 'json_schema' && format.json_schema.schema).toEqual(
      JSON.parse(BROKEN_STRICT)
    )
    expect(task?.metric).toEqual({
      type: 'json_schema',
      schema: { file: 'schemas/invoice.json', value: JSON.parse(BROKEN_STRICT) }
    })
    expect(loaded.config.tasks[0]).toEqual(task)
  })

  it('names the schema file, its line and path, and the config key for strict breaches', async () => {
    const error = await thrown(() =>
      project({
        [FILE]: config(
          '    response_format: { type: json_schema, strict: true, schema: schemas/invoice.json }\n'
        ),
        'schemas/invoice.json': BROKEN_STRICT
      })
    )
    expect(error).toBeInstanceOf(InputError)
    expect(error.message).toContain(
      'schemas/invoice.json: 2 problems:\n  line 1, additionalProperties: strict mode: every object must set additionalProperties: false (the schema of tasks[0].response_format.schema)'
    )
    expect(error.message).toContain(
      'line 3, required: strict mode: every property must be required; missing "total" (make a property optional with type: [..., "null"]) (the schema of tasks[0].response_format.schema)'
    )
  })

  it('names an invalid YAML schema file by its line, and a schema outside the repository by key', async () => {
    const invalid = await thrown(() =>
      project({
        [FILE]: config('    metric: { type: json_schema, schema: schemas/s.yaml }\n'),
        'schemas/s.yaml': 'type: object\nproperties:\n  a:\n    minLength: -1\n'
      })
    )
    expect(invalid.message).toBe(
      'schemas/s.yaml: line 4, properties.a.minLength: not a valid JSON Schema (draft-07): must be >= 0 (the schema of tasks[0].metric.schema)'
    )
    const outside = await thrown(() =>
      project({ [FILE]: config('    metric: { type: json_schema, schema: ../s.json }\n') })
    )
    expect(outside).toBeInstanceOf(InputError)
    expect(outside.message).toMatch(/line 7, tasks\[0\]\.metric\.schema: .*outside/)
  })

  it('needs a schema for a json_schema metric on a task without a json_schema response format', async () => {
    const error = await failure(config('    metric: json_schema\n'))
    expect(error.message).toContain(
      'tasks[0].metric.schema: required: expected a schema (inline or a file), or a response_format of type json_schema'
    )
  })
})

describe('json metric fields', () => {
  it('reads paths and {path, match, tolerance} forms, with partial credit by default', () => {
    const metric = parseConfig(
      config(
        '    metric:\n      type: json\n      fields: [vendor, { path: total, match: numeric, tolerance: 0.01 }, { path: city, match: text }]\n'
      ),
      FILE
    ).tasks[0]?.metric
    expect(metric).toEqual({
      type: 'json',
      credit: 'partial',
      fields: [
        { path: 'vendor', match: { type: 'exact' } },
        { path: 'total', match: { type: 'numeric', tolerance: 0.01, relative: false } },
        { path: 'city', match: { type: 'text' } }
      ]
    })
  })

  it('refuses a tolerance on a field that is not numeric', async () => {
    const error = await failure(
      config('    metric: { type: json, fields: [{ path: a, match: text, tolerance: 1 }] }\n')
    )
    expect(error.message).toContain(
      'tasks[0].metric.fields[0].tolerance: tolerance applies to match: numeric only'
    )
  })
})

describe('model parameters', () => {
  it('passes top_p, seed, stop, reasoning_effort and extra through per role', () => {
    const models = `  target:
    model: gpt-4o-mini
    top_p: 0.9
    seed: 42
    stop: ["\\n\\n", END]
    extra: { top_k: 40, provider: { order: [a, b], allow_fallbacks: false } }
  optimizer: { model: o4-mini, reasoning_effort: low }`
    const parsed = parseConfig(config('', models), FILE)
    expect(parsed.models.target.params).toEqual({
      topP: 0.9,
      seed: 42,
      stop: ['\n\n', 'END'],
      extra: { top_k: 40, provider: { order: ['a', 'b'], allow_fallbacks: false } }
    })
    expect(parsed.models.optimizer.params).toEqual({ reasoningEffort: 'low' })
    expect(parsed.models.judge.params).toBeUndefined()
  })

  it('names an unknown model parameter', async () => {
    const error = await failure(config('', '  target: { model: gpt-4o-mini, top_k: 40 }'))
    expect(error.message).toBe(
      'prompt-descent.yml: line 2, models.target.top_k: unknown key; did you mean top_p?'
    )
  })

  it('refuses extra keys that collide with fields prompt-descent sets, and values that are not JSON', async () => {
    const models = `  target:
    model: gpt-4o-mini
    extra:
      messages: []
      response_format: { type: json_object }
      penalty: .nan
      nested: { when: [1, .inf] }`
    const error = await failure(config('', models))
    expect(error.message).toContain(
      'line 5, models.target.extra.messages: "messages" is a field prompt-descent sets and cannot be passed through extra'
    )
    expect(error.message).toContain(
      'line 6, models.target.extra.response_format: "response_format" is a field prompt-descent sets'
    )
    expect(error.message).toContain(
      'line 7, models.target.extra.penalty: expected a JSON value, got NaN'
    )
    expect(error.message).toContain('models.target.extra.nested.when[1]: expected a JSON value')
  })

  it('checks reasoning_effort and stop', async () => {
    const effort = await failure(config('', '  target: { model: o3, reasoning_effort: extreme }'))
    expect(effort.message).toContain('models.target.reasoning_effort: expected one of none')
    const stop = await failure(config('', '  target: { model: m, stop: [a, b, c, d, e] }'))
    expect(stop.message).toContain(
      'models.target.stop: expected a stop sequence or a list of 1 to 4'
    )
  })
})
