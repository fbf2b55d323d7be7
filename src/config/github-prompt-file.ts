/**
 * GitHub Models prompt files (`*.prompt.yml` / `*.prompt.yaml`): the format the GitHub Models pages,
 * `gh models eval` and `actions/ai-inference` read. One file holds a prompt (`messages`), its
 * model and parameters, a handful of test rows (`testData`) and how replies are judged
 * (`evaluators`). This module reads all of it, keeping each row's line; unknown top-level keys are
 * warnings (the format grows), everything else that is wrong is one error listing every problem.
 */
import { isMap, isSeq } from 'yaml'
import type { Node } from 'yaml'
import type { RawRow } from './datasets.js'
import { throwIssues } from './issues.js'
import type { Issue } from './issues.js'
import { parseMessagesFile } from './messages-file.js'
import type { FileMessage } from './messages-file.js'
import { formatKeyPath, parseYamlSource } from './yaml-source.js'
import type { KeyPath } from './yaml-source.js'

/** The top-level keys of the format (anything else is warned about and ignored). */
export const PROMPT_FILE_KEYS = [
  'name',
  'description',
  'model',
  'modelParameters',
  'responseFormat',
  'jsonSchema',
  'messages',
  'testData',
  'evaluators'
] as const

export const BUILTIN_EVALUATORS = [
  'similarity',
  'coherence',
  'fluency',
  'relevance',
  'groundedness'
] as const
export type BuiltinEvaluator = (typeof BUILTIN_EVALUATORS)[number]

export const STRING_OPS = ['equals', 'contains', 'startsWith', 'endsWith'] as const
export type StringOp = (typeof STRING_OPS)[number]

export interface LlmChoice {
  choice: string
  score: number
}

export type Evaluator =
  | { name: string; kind: 'string'; op: StringOp; value: string }
  | {
      name: string
      kind: 'llm'
      modelId: string | undefined
      prompt: string
      systemPrompt: string | undefined
      choices: LlmChoice[]
    }
  | { name: string; kind: 'builtin'; builtin: BuiltinEvaluator }

export interface ModelParameters {
  temperature: number | undefined
  maxTokens: number | undefined
  maxCompletionTokens: number | undefined
  topP: number | undefined
}

export interface JsonSchemaFormat {
  name: string
  schema: Record<string, unknown>
  strict: boolean | undefined
}

export interface GithubPromptFile {
  name: string | undefined
  description: string | undefined
  /** `publisher/model`, e.g. `openai/gpt-4o-mini`. */
  model: string | undefined
  modelParameters: ModelParameters
  responseFormat: 'text' | 'json_object' | 'json_schema' | undefined
  /** Parsed from the `jsonSchema` string, with `responseFormat: json_schema`. */
  jsonSchema: JsonSchemaFormat | undefined
  messages: FileMessage[]
  /** The rows of `testData`, each with the line where it starts (empty when there are none). */
  testData: RawRow[]
  evaluators: Evaluator[]
  /** Unknown top-level keys and other things worth saying that do not stop the run. */
  warnings: Issue[]
}

/** True when a path names a GitHub Models prompt file. */
export function isGithubPromptFile(file: string): boolean {
  const lower = file.toLowerCase()
  return lower.endsWith('.prompt.yml') || lower.endsWith('.prompt.yaml')
}

/** `support/route.prompt.yml` → `route`. */
export function promptFileTaskName(file: string): string {
  const base = file.split('/').pop() ?? file
  return base.replace(/\.prompt\.ya?ml$/i, '')
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'nothing'
  if (Array.isArray(value)) return 'a list'
  return `a ${typeof value}`
}

/** Reads a GitHub Models prompt file; throws one InputError listing every problem. */
export function parseGithubPromptFile(text: string, file: string): GithubPromptFile {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text
  const source = parseYamlSource(body, file)
  const issues: Issue[] = []
  const warnings: Issue[] = []
  const at = (path: KeyPath, message: string): Issue => ({
    file,
    line: source.lineOf(path) ?? 1,
    path: formatKeyPath(path) || undefined,
    message
  })
  const problem = (path: KeyPath, message: string): void => {
    issues.push(at(path, message))
  }
  const top = source.value
  if (!isRecord(top)) {
    problem(
      [],
      'expected a GitHub Models prompt file: a mapping with `messages:` and optionally `model:`, `testData:` and `evaluators:`'
    )
    throwIssues(issues)
    throw new Error('unreachable')
  }
  for (const key of Object.keys(top)) {
    if (!(PROMPT_FILE_KEYS as readonly string[]).includes(key))
      warnings.push(
        at(
          [key],
          `unknown key \`${key}\`, ignored (a prompt file holds ${PROMPT_FILE_KEYS.join(', ')})`
        )
      )
  }
  const optionalText = (key: string): string | undefined => {
    const value = top[key]
    if (value === undefined || value === null) return undefined
    if (typeof value === 'string') return value
    problem([key], `expected text, got ${kindOf(value)}`)
    return undefined
  }
  const name = optionalText('name')
  const description = optionalText('description')
  const model = optionalText('model')
  if (model !== undefined && !/^[^/\s]+\/[^/\s]+$/.test(model))
    problem(
      ['model'],
      `expected a model id of the form publisher/model (e.g. openai/gpt-4o-mini), got ${JSON.stringify(model)}`
    )

  const modelParameters = readModelParameters(top.modelParameters, problem)
  const responseFormat = readResponseFormat(top.responseFormat, problem)
  const jsonSchema = readJsonSchema(top.jsonSchema, responseFormat, problem)
  const testData = readTestData(source.root, top.testData, source.lineAt, problem)
  const evaluators = readEvaluators(top.evaluators, problem)

  // The messages: the same reader as a messages file, which accepts this format's other keys.
  let messages: FileMessage[] = []
  try {
    messages = parseMessagesFile(body, file, 'ignore')
  } catch (error) {
    const listed = (error as { issues?: readonly Issue[] }).issues
    if (listed === undefined) throw error
    issues.push(...listed)
  }
  throwIssues(issues)
  return {
    name,
    description,
    model,
    modelParameters,
    responseFormat,
    jsonSchema,
    messages,
    testData,
    evaluators,
    warnings
  }
}

type Problem = (path: KeyPath, message: string) => void

function readModelParameters(raw: unknown, problem: Problem): ModelParameters {
  const params: ModelParameters = {
    temperature: undefined,
    maxTokens: undefined,
    maxCompletionTokens: undefined,
    topP: undefined
  }
  if (raw === undefined || raw === null) return params
  if (!isRecord(raw)) {
    problem(
      ['modelParameters'],
      `expected a mapping (temperature, maxTokens, maxCompletionTokens, topP), got ${kindOf(raw)}`
    )
    return params
  }
  const number = (key: keyof ModelParameters, min: number, max: number, whole: boolean): void => {
    const value = raw[key]
    if (value === undefined || value === null) return
    if (
      typeof value !== 'number' ||
      value < min ||
      value > max ||
      (whole && !Number.isInteger(value))
    )
      problem(
        ['modelParameters', key],
        `expected ${whole ? 'a whole number' : 'a number'} from ${min} to ${max}, got ${JSON.stringify(value)}`
      )
    else params[key] = value
  }
  number('temperature', 0, 2, false)
  number('topP', 0, 1, false)
  number('maxTokens', 1, 1_000_000, true)
  number('maxCompletionTokens', 1, 1_000_000, true)
  for (const key of Object.keys(raw)) {
    if (!['temperature', 'topP', 'maxTokens', 'maxCompletionTokens'].includes(key))
      problem(
        ['modelParameters', key],
        'unknown model parameter; expected temperature, maxTokens, maxCompletionTokens or topP'
      )
  }
  return params
}

function readResponseFormat(raw: unknown, problem: Problem): GithubPromptFile['responseFormat'] {
  if (raw === undefined || raw === null) return undefined
  if (raw === 'text' || raw === 'json_object' || raw === 'json_schema') return raw
  problem(
    ['responseFormat'],
    `expected text, json_object or json_schema, got ${JSON.stringify(raw)}`
  )
  return undefined
}

function readJsonSchema(
  raw: unknown,
  format: GithubPromptFile['responseFormat'],
  problem: Problem
): JsonSchemaFormat | undefined {
  if (raw === undefined || raw === null) {
    if (format === 'json_schema')
      problem(
        ['jsonSchema'],
        'responseFormat json_schema needs `jsonSchema:` (a JSON string with name and schema)'
      )
    return undefined
  }
  if (format !== 'json_schema') {
    problem(['jsonSchema'], 'expected `jsonSchema:` only with `responseFormat: json_schema`')
    return undefined
  }
  let parsed: unknown = raw
  if (typeof raw === 'string') {
    try {
      parsed = JSON.parse(raw)
    } catch (error) {
      problem(
        ['jsonSchema'],
        `expected a JSON string holding {name, schema, strict?}: ${(error as Error).message}`
      )
      return undefined
    }
  }
  if (!isRecord(parsed) || typeof parsed.name !== 'string' || !isRecord(parsed.schema)) {
    problem(
      ['jsonSchema'],
      'expected JSON with `name` (text) and `schema` (an object), and optionally `strict`'
    )
    return undefined
  }
  if (parsed.strict !== undefined && typeof parsed.strict !== 'boolean') {
    problem(
      ['jsonSchema'],
      `expected \`strict\` to be true or false, got ${JSON.stringify(parsed.strict)}`
    )
    return undefined
  }
  return { name: parsed.name, schema: parsed.schema, strict: parsed.strict }
}

function readTestData(
  root: Node | null,
  raw: unknown,
  lineAt: (offset: number) => number,
  problem: Problem
): RawRow[] {
  if (raw === undefined || raw === null) return []
  if (!Array.isArray(raw)) {
    problem(['testData'], `expected a list of rows (mappings of field: value), got ${kindOf(raw)}`)
    return []
  }
  const node = isMap(root) ? (root.get('testData', true) as Node | undefined) : undefined
  const items = isSeq(node) ? node.items : []
  const rows: RawRow[] = []
  raw.forEach((value, i) => {
    const start = (items[i] as Node | undefined)?.range?.[0]
    if (!isRecord(value)) {
      problem(['testData', i], `expected a mapping (field: value) per row, got ${kindOf(value)}`)
      return
    }
    rows.push({ fields: value, line: start === undefined ? 1 : lineAt(start) })
  })
  return rows
}

function readEvaluators(raw: unknown, problem: Problem): Evaluator[] {
  if (raw === undefined || raw === null) return []
  if (!Array.isArray(raw)) {
    problem(['evaluators'], `expected a list of evaluators, got ${kindOf(raw)}`)
    return []
  }
  const evaluators: Evaluator[] = []
  const names = new Map<string, number>()
  raw.forEach((item, i) => {
    const at: KeyPath = ['evaluators', i]
    if (!isRecord(item)) {
      problem(
        at,
        `expected a mapping with \`name\` and one of string, llm, uses; got ${kindOf(item)}`
      )
      return
    }
    const name = item.name
    if (typeof name !== 'string' || name.trim() === '') {
      problem([...at, 'name'], "expected the evaluator's name")
      return
    }
    const first = names.get(name)
    if (first !== undefined) {
      problem(
        [...at, 'name'],
        `duplicate evaluator name "${name}" (also evaluators[${first}]); names must be unique`
      )
      return
    }
    names.set(name, i)
    const kinds = ['string', 'llm', 'uses'].filter((key) => item[key] !== undefined)
    if (kinds.length !== 1) {
      problem(
        at,
        `expected exactly one of \`string\`, \`llm\` or \`uses\`, got ${kinds.length === 0 ? 'none' : kinds.join(' and ')}`
      )
      return
    }
    for (const key of Object.keys(item)) {
      if (!['name', 'string', 'llm', 'uses'].includes(key))
        problem([...at, key], 'unknown key; an evaluator has `name` and one of string, llm, uses')
    }
    const evaluator = readEvaluator(name, item, at, problem)
    if (evaluator !== undefined) evaluators.push(evaluator)
  })
  return evaluators
}

function readEvaluator(
  name: string,
  item: Record<string, unknown>,
  at: KeyPath,
  problem: Problem
): Evaluator | undefined {
  if (item.string !== undefined) {
    const spec = item.string
    const ops = isRecord(spec) ? STRING_OPS.filter((op) => spec[op] !== undefined) : []
    if (!isRecord(spec) || ops.length !== 1 || Object.keys(spec).length !== 1) {
      problem(
        [...at, 'string'],
        `expected exactly one of ${STRING_OPS.join(', ')} with the text to compare`
      )
      return undefined
    }
    const op = ops[0] as StringOp
    const value = spec[op]
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
      problem(
        [...at, 'string', op],
        `expected text (it may hold {{field}} slots), got ${kindOf(value)}`
      )
      return undefined
    }
    return { name, kind: 'string', op, value: String(value) }
  }
  if (item.llm !== undefined) {
    const spec = item.llm
    if (!isRecord(spec)) {
      problem(
        [...at, 'llm'],
        'expected a mapping with modelId, prompt, optional systemPrompt and choices'
      )
      return undefined
    }
    const bad = (key: string, message: string): undefined => {
      problem([...at, 'llm', key], message)
      return undefined
    }
    for (const key of Object.keys(spec)) {
      if (!['modelId', 'prompt', 'systemPrompt', 'choices'].includes(key))
        return bad(key, 'unknown key; expected modelId, prompt, systemPrompt or choices')
    }
    if (typeof spec.prompt !== 'string' || spec.prompt.trim() === '')
      return bad(
        'prompt',
        'expected the judge prompt (a template that may use {{completion}} and the row)'
      )
    if (spec.modelId !== undefined && typeof spec.modelId !== 'string')
      return bad(
        'modelId',
        `expected a model id such as openai/gpt-4o, got ${kindOf(spec.modelId)}`
      )
    if (spec.systemPrompt !== undefined && typeof spec.systemPrompt !== 'string')
      return bad('systemPrompt', `expected text, got ${kindOf(spec.systemPrompt)}`)
    if (!Array.isArray(spec.choices) || spec.choices.length === 0)
      return bad('choices', 'expected a non-empty list of {choice, score}')
    const choices: LlmChoice[] = []
    for (const [k, c] of (spec.choices as unknown[]).entries()) {
      if (
        !isRecord(c) ||
        (typeof c.choice !== 'string' && typeof c.choice !== 'number') ||
        typeof c.score !== 'number' ||
        c.score < 0 ||
        c.score > 1
      )
        return bad(
          'choices',
          `expected choices[${k}] to be {choice: text, score: a number from 0 to 1}`
        )
      choices.push({ choice: String(c.choice), score: c.score })
    }
    return {
      name,
      kind: 'llm',
      modelId: spec.modelId,
      prompt: spec.prompt,
      systemPrompt: spec.systemPrompt as string | undefined,
      choices
    }
  }
  const uses = item.uses
  const builtin = typeof uses === 'string' ? uses.replace(/^github\//, '') : undefined
  if (
    typeof uses !== 'string' ||
    !uses.startsWith('github/') ||
    !(BUILTIN_EVALUATORS as readonly string[]).includes(builtin ?? '')
  ) {
    problem(
      [...at, 'uses'],
      `expected one of ${BUILTIN_EVALUATORS.map((b) => `github/${b}`).join(', ')}, got ${JSON.stringify(uses)}`
    )
    return undefined
  }
  return { name, kind: 'builtin', builtin: builtin as BuiltinEvaluator }
}
