/**
 * The zod schema of `prompt-descent.yml` as written (snake_case). Objects are strict: an unknown key
 * is an error, because a misspelt option that is silently ignored is worse than a failed run.
 * Defaults that depend on other keys (model names, split seed) are filled in by normalize.ts.
 */
import { OPTIMIZE_METHODS } from './methods.js'
import * as z from 'zod'
import { REASONING_EFFORTS } from './types.js'
import { extraParamProblems } from './model-extra.js'
import { AGGREGATIONS, DEFAULT_FIRST_LOOK, DEFAULT_LOOK_EVERY } from './types.js'

export const DATA_EXTENSIONS = ['.jsonl', '.json', '.csv', '.yaml', '.yml'] as const

const text = z.string().min(1)
/** provider.max_response_bytes by default: 4 MiB, far above any chat completion's JSON. */
export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024

const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.number().int().min(min).max(max)
const fraction = z.number().min(0).max(1)
/** A label; `choices: [0, 1]` means the labels "0" and "1". */
const label = z.preprocess(
  (value) => (typeof value === 'number' || typeof value === 'boolean' ? String(value) : value),
  text
)

/** `metric: exact` is shorthand for `metric: { type: exact }`. */
const typeShorthand = (value: unknown): unknown =>
  typeof value === 'string' ? { type: value } : value

const regexSource = text.refine((source) => compiles(source, ''), {
  message: 'expected a valid regular expression (JavaScript syntax)'
})

function compiles(source: string, flags: string): boolean {
  try {
    new RegExp(source, flags)
    return true
  } catch {
    return false
  }
}

const providerSchema = z.strictObject({
  type: z.enum(['openai', 'github-models', 'simulated']).default('openai'),
  base_url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
  api_key_env: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, {
      message: 'expected the NAME of an environment variable (letters, digits, _), not a key'
    })
    .optional(),
  /** github-models: bill the calls to this organisation (`/orgs/{org}/inference`). */
  org: z
    .string()
    .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, {
      message: 'expected a GitHub organisation login (letters, digits, -)'
    })
    .optional(),
  concurrency: int(1, 1024).default(8),
  requests_per_minute: z.number().positive().optional(),
  tokens_per_minute: z.number().positive().optional(),
  timeout_ms: int(1).default(60_000),
  max_response_bytes: int(1024).default(DEFAULT_MAX_RESPONSE_BYTES),
  max_retries: int(0, 100).default(4),
  prices: z
    .record(z.string(), z.strictObject({ input: z.number().min(0), output: z.number().min(0) }))
    .default({}),
  headers: z.record(z.string(), z.string()).default({}),
  api_version: text.optional()
})

/** `target: gpt-4o-mini` is shorthand for `target: { model: gpt-4o-mini }`. */
/** Samples per example or per graded reply: a whole number from 1 to 100. */
const samplesSchema = z
  .number({ error: 'expected a whole number of samples from 1 to 100' })
  .int({ error: 'expected a whole number of samples from 1 to 100' })
  .min(1, { error: 'expected a whole number of samples from 1 to 100' })
  .max(100, { error: 'expected a whole number of samples from 1 to 100' })
const aggregateSchema = z.enum(AGGREGATIONS, {
  error: `expected one of ${AGGREGATIONS.join(', ')}`
})

const modelSchema = z.preprocess(
  (value) => (typeof value === 'string' ? { model: value } : value),
  z.strictObject({
    model: text.optional(),
    temperature: z.number().min(0).max(2).optional(),
    max_tokens: int(1).optional(),
    top_p: z.number().min(0).max(1).optional(),
    seed: z.number().int().optional(),
    stop: z
      .union([text, z.array(text).min(1).max(4)], {
        error: 'expected a stop sequence or a list of 1 to 4 of them'
      })
      .optional(),
    reasoning_effort: z.enum(REASONING_EFFORTS).optional(),
    extra: z
      .record(z.string(), z.unknown())
      .superRefine((extra, ctx) => {
        for (const { path, message } of extraParamProblems(extra))
          ctx.addIssue({ code: 'custom', path, message })
      })
      .optional(),
    samples: samplesSchema.optional(),
    aggregate: aggregateSchema.optional()
  })
)

/** A JSON Schema written inline, or the path of a file holding one. */
const schemaSource = z.union([text, z.record(z.string(), z.unknown())], {
  error: 'expected a JSON Schema (a mapping) or the path of a schema file (.json, .yaml, .yml)'
})

const responseFormatSchema = z.preprocess(
  typeShorthand,
  z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('text') }),
    z.strictObject({ type: z.literal('json_object') }),
    z.strictObject({
      type: z.literal('json_schema'),
      schema: schemaSource,
      name: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,64}$/, {
          message: 'expected a name of 1 to 64 letters, digits, "_" or "-"'
        })
        .default('response'),
      strict: z.boolean().default(false)
    })
  ])
)

/** A json metric field: a path, or `{ path, match, tolerance, relative }`. */
const jsonFieldSchema = z.preprocess(
  (value) => (typeof value === 'string' ? { path: value } : value),
  z.strictObject({
    path: text,
    match: z.enum(['exact', 'text', 'numeric']).default('exact'),
    tolerance: z.number().min(0).optional(),
    relative: z.boolean().optional()
  })
)

const modelsSchema = z.strictObject({
  target: modelSchema.prefault({}),
  optimizer: modelSchema.prefault({}),
  judge: modelSchema.prefault({})
})

const extractSchema = z.preprocess(
  typeShorthand,
  z.discriminatedUnion('type', [
    z.strictObject({ type: z.literal('raw') }),
    z.strictObject({
      type: z.literal('tag'),
      tag: z
        .string()
        .regex(/^[A-Za-z][\w.-]*$/, { message: 'expected an XML tag name such as answer' })
        .default('answer')
    }),
    z.strictObject({ type: z.literal('regex'), pattern: regexSource, group: int(0).optional() }),
    z.strictObject({ type: z.literal('json'), path: text.optional() }),
    z.strictObject({ type: z.literal('last-line') })
  ])
)

/** The metric types, one strict mapping each; `metric:` is one of them, and so is every check. */
const metricOptions = [
  z.strictObject({ type: z.literal('exact') }),
  z.strictObject({ type: z.literal('contains'), case_sensitive: z.boolean().default(false) }),
  z.strictObject({
    type: z.literal('choice'),
    choices: z.array(label).min(2, { message: 'expected a list of at least 2 labels' }),
    score: z.enum(['accuracy', 'macro_f1']).default('accuracy')
  }),
  z.strictObject({
    type: z.literal('regex'),
    pattern: regexSource,
    flags: z
      .string()
      .regex(/^[dgimsuvy]*$/, { message: 'expected regular expression flags among dgimsuvy' })
      .default('')
  }),
  z.strictObject({
    type: z.literal('numeric'),
    tolerance: z.number().min(0).default(0),
    relative: z.boolean().default(false)
  }),
  z.strictObject({
    type: z.literal('json'),
    fields: z.array(jsonFieldSchema).min(1).optional(),
    credit: z.enum(['partial', 'all']).default('partial')
  }),
  z.strictObject({ type: z.literal('json_schema'), schema: schemaSource.optional() }),
  z.strictObject({
    type: z.literal('judge'),
    rubric: text,
    scale: int(2, 100).default(5),
    pass_at: z.number().min(1).optional()
  })
] as const

const metricSchema = z.preprocess(typeShorthand, z.discriminatedUnion('type', metricOptions))

/** What a check adds to its metric's own keys. */
const checkKeys = {
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, {
      message: 'expected a check name of letters, digits, ".", "_" or "-" (e.g. cites_vendor)'
    })
    .optional(),
  weight: z.number().gt(0, { message: 'expected a weight > 0' }).default(1),
  not: z.boolean().default(false),
  /** Replaces the row's expected value for this check; strings may hold `{{field}}` slots. */
  value: z.unknown().optional()
}

type WithCheckKeys<T extends readonly z.ZodObject[]> = {
  -readonly [K in keyof T]: T[K] extends z.ZodObject<infer Shape, infer Config>
    ? z.ZodObject<z.core.util.Extend<Shape, typeof checkKeys>, Config>
    : never
}

/** A check: any metric (every type in metricOptions, with its own keys) plus the check keys. */
const checkSchema = z.preprocess(
  typeShorthand,
  z.discriminatedUnion(
    'type',
    metricOptions.map((option) => option.extend(checkKeys)) as unknown as WithCheckKeys<
      typeof metricOptions
    >
  )
)

const splitSchema = z.strictObject({
  train: fraction.optional(),
  dev: fraction.optional(),
  test: fraction.optional(),
  seed: int(0, 0xffffffff).optional(),
  field: text.optional()
})

const dataPath = text.refine(
  (path) => DATA_EXTENSIONS.some((ext) => path.toLowerCase().endsWith(ext)),
  { message: `expected a dataset file ending in ${DATA_EXTENSIONS.join(', ')}` }
)

const taskSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, {
    message: 'expected a task name of letters, digits, ".", "_" or "-" (e.g. triage)'
  }),
  prompt: text,
  /** Optional when `prompt` is a GitHub Models prompt file: its `testData` are the rows. */
  data: dataPath.optional(),
  expected: text.default('expected'),
  id_field: text.default('id'),
  extract: extractSchema.optional(),
  metric: metricSchema.optional(),
  checks: z
    .array(checkSchema)
    .min(1, { message: 'expected a list of at least one check (or drop `checks:`)' })
    .optional(),
  pass: z.enum(['mean', 'all']).optional(),
  split: splitSchema.prefault({}),
  system_prompt: text.optional(),
  limit: int(1).optional(),
  response_format: responseFormatSchema.optional(),
  /** This task's target model id, instead of models.target's (its other settings stay). */
  model: text.optional(),
  samples: samplesSchema.optional(),
  aggregate: aggregateSchema.optional()
})

const budgetSchema = z.strictObject({
  usd: z.number().positive().optional(),
  tokens: int(1).optional(),
  calls: int(1).optional(),
  minutes: z.number().positive().optional()
})

const gateSchema = z.strictObject({
  min_score: fraction.optional(),
  max_drop: fraction.optional(),
  confidence: z.number().gt(0).lt(1).default(0.95),
  new_tasks: z.enum(['pass', 'warn', 'fail']).default('warn'),
  sequential: z.boolean().default(true),
  first_look: int(1).default(DEFAULT_FIRST_LOOK),
  look_every: int(1).default(DEFAULT_LOOK_EVERY)
})

const apoSchema = z.strictObject({
  rounds: int(1, 1000).default(6),
  beam: int(1, 100).default(4),
  minibatch: int(1).default(64),
  error_groups: int(1, 100).default(4),
  errors_per_group: int(1, 100).default(4),
  paraphrases: int(0, 100).default(2),
  successors_per_parent: int(1, 100).default(8),
  bandit: z
    .enum(['ucb', 'ucb-e', 'successive-rejects', 'successive-halving', 'uniform'])
    .default('ucb'),
  selection_budget: int(1).default(1024),
  exploration_c: z.number().min(0).default(2),
  pull_size: int(1, 1000).default(4),
  settle: fraction.default(0.5),
  target: z.enum(['user', 'system']).default('user')
})

const metaspoSchema = z.strictObject({
  iterations: int(1, 1000).default(3),
  user_candidates: int(1, 100).default(3),
  user_top_k: int(1, 100).default(3),
  system_candidates: int(1, 100).default(9),
  examples_per_task: int(1, 100).default(2),
  holdout: z.array(text).default([]),
  racing: z.boolean().default(true)
})

const gepaSchema = z.strictObject({
  preset: z.enum(['light', 'medium', 'heavy']).default('light'),
  minibatch: int(1, 50).default(3),
  confirm: int(0, 50).default(3),
  dev_rows: int(2, 10_000).default(60),
  max_calls: int(1, 10_000_000).optional(),
  selection: z.enum(['pareto', 'best']).default('pareto'),
  max_prompt_chars: int(100, 100_000).optional(),
  target: z.enum(['user', 'system']).optional(),
  components: z.enum(['all', 'system']).default('system'),
  merge: z.boolean().default(true),
  merge_share: z.number().min(0).max(0.5).default(0.2)
})

/** A message an optimizer may rewrite: every message of a role, or one message of a messages file. */
const editEntry = z.union([z.enum(['system', 'user', 'assistant']), int(0, 10_000)], {
  error: 'expected a role (system, user, assistant) or a message index (0, 1, …)'
})

const optimizeSchema = z.strictObject({
  method: z.enum(OPTIMIZE_METHODS).default('apo'),
  seed: int(0, 0xffffffff).optional(),
  edit: z
    .array(editEntry)
    .min(1, { message: 'expected a list of at least one role or message index' })
    .optional(),
  apo: apoSchema.prefault({}),
  metaspo: metaspoSchema.prefault({}),
  gepa: gepaSchema.prefault({})
})

const cacheSchema = z.strictObject({
  enabled: z.boolean().default(true),
  dir: text.default('.prompt-descent/cache')
})

/** The whole file. */
export const rawConfigSchema = z.strictObject({
  provider: providerSchema.prefault({}),
  models: modelsSchema.prefault({}),
  system_prompt: text.optional(),
  tasks: z.array(taskSchema).min(1, { message: 'expected a list of at least one task' }),
  budget: budgetSchema.prefault({}),
  // Absent: the default gate (fail on a significant drop); `gate: {}` configures no threshold.
  gate: gateSchema.optional(),
  optimize: optimizeSchema.prefault({}),
  cache: cacheSchema.prefault({}),
  seed: int(0, 0xffffffff).default(0)
})

export type RawConfig = z.output<typeof rawConfigSchema>
export type RawTask = RawConfig['tasks'][number]
export type RawMetric = NonNullable<RawTask['metric']>
export type RawCheck = NonNullable<RawTask['checks']>[number]
