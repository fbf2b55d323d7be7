/**
 * The validated, normalised configuration (camelCase), as the rest of the program sees it.
 * The YAML file uses snake_case keys; src/config/schema.ts validates it and maps it to these types.
 */
import type { BuiltinEvaluator, LlmChoice, StringOp } from './github-prompt-file.js'

/**
 * How an example's k samples make its score: `mean` of the sample scores, `pass@k` (1 when any
 * sample passes), `pass^k` (1 only when every sample passes), `majority` (the reply whose extracted
 * answer most samples gave). A judge's j grades combine by `mean` or `majority` only.
 */
export const AGGREGATIONS = ['mean', 'pass@k', 'pass^k', 'majority'] as const
export type Aggregation = (typeof AGGREGATIONS)[number]

import type { OptimizeMethod } from './methods.js'

export interface ModelConfig {
  model: string
  temperature: number
  maxTokens: number | undefined
  /** Further request parameters; absent when the config sets none (see ModelParams). */
  params?: ModelParams
  /** Replies per request (k, 1–100; default 1): the target's per example, the judge's per graded reply. */
  samples?: number
  /** How the samples combine (default mean; the target's is the tasks' default; the judge's is mean|majority). */
  aggregate?: Aggregation
}

/** A JSON value as a config may pass it on to a provider. */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }

/** OpenAI's `reasoning_effort` values (the SDK's Shared.ReasoningEffort). */
export const REASONING_EFFORTS = [
  'none',
  'minimal',
  'low',
  'medium',
  'high',
  'xhigh',
  'max'
] as const
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number]

/**
 * Model parameters beyond temperature and max tokens, each sent as written and part of the cache
 * key. Only the keys the config sets are present. `extra` is a provider-specific pass-through
 * (vLLM's `top_k`, OpenRouter's `provider`…) whose keys never collide with the fields we set.
 */
export interface ModelParams {
  topP?: number
  seed?: number
  stop?: string | string[]
  reasoningEffort?: ReasoningEffort
  extra?: Record<string, JsonValue>
}

/**
 * A JSON Schema as the config gives it: inline (file undefined) or in a file (root-relative path).
 * `value` is the schema itself; for a file it is filled in when the project loads.
 */
export interface SchemaConfig {
  file: string | undefined
  value: Record<string, unknown> | undefined
}

/** `tasks[].response_format`: sent to the provider as the OpenAI `response_format`. */
export type ResponseFormatConfig =
  | { type: 'text' }
  | { type: 'json_object' }
  | { type: 'json_schema'; name: string; strict: boolean; schema: SchemaConfig }

/** How one field of a JSON reply is compared with the expected value's field. */
export type JsonFieldMatch =
  { type: 'exact' } | { type: 'text' } | { type: 'numeric'; tolerance: number; relative: boolean }

export interface JsonFieldConfig {
  /** A path such as `a.b[0]`, also the field's name in reports. */
  path: string
  match: JsonFieldMatch
}

export interface Price {
  /** USD per 1M input tokens. */
  input: number
  /** USD per 1M output tokens. */
  output: number
}

export interface ProviderConfig {
  /**
   * `openai` = any OpenAI-compatible endpoint; `github-models` = GitHub Models' inference endpoint
   * with a GitHub token; `simulated` = the built-in offline stand-in.
   */
  type: 'openai' | 'github-models' | 'simulated'
  /**
   * Base URL; undefined → OPENAI_BASE_URL or the SDK default (github-models: GITHUB_MODELS_BASE_URL
   * or https://models.github.ai/inference).
   */
  baseUrl: string | undefined
  /**
   * Name of the environment variable that holds the API key (default OPENAI_API_KEY; GITHUB_TOKEN
   * for github-models).
   */
  apiKeyEnv: string
  /** github-models: the organisation the calls are attributed to. */
  org?: string
  concurrency: number
  requestsPerMinute: number | undefined
  tokensPerMinute: number | undefined
  /** Bounds a whole call: connecting, the headers and the body. */
  timeoutMs: number
  /** A reply body longer than this is cut off unread and the call fails. */
  maxResponseBytes: number
  maxRetries: number
  /** Price overrides by model name. */
  prices: Record<string, Price>
  /** Extra headers (e.g. OpenRouter's HTTP-Referer); values may name env vars as ${VAR}. */
  headers: Record<string, string>
  /** Azure OpenAI: api-version query parameter; when set the client speaks Azure's deployment URLs. */
  apiVersion: string | undefined
}

/** How the answer is read out of a model reply before the metric compares it. */
export type ExtractConfig =
  | { type: 'raw' }
  | { type: 'tag'; tag: string }
  | { type: 'regex'; pattern: string; group: number }
  | { type: 'json'; path: string | undefined }
  | { type: 'last-line' }

export type MetricConfig =
  | { type: 'exact' }
  | { type: 'contains'; caseSensitive: boolean }
  | { type: 'choice'; choices: string[]; score: 'accuracy' | 'macro_f1' }
  | { type: 'regex'; pattern: string; flags: string }
  | { type: 'numeric'; tolerance: number; relative: boolean }
  | { type: 'json'; fields: JsonFieldConfig[] | undefined; credit: 'partial' | 'all' }
  | { type: 'json_schema'; schema: SchemaConfig }
  | { type: 'judge'; rubric: string; scale: number; passAt: number | undefined }
  // The evaluators of GitHub Models prompt files (github-prompt-file.ts), scored as gh does.
  | { type: 'gh-string'; op: StringOp; value: string }
  | {
      type: 'gh-llm'
      modelId: string | undefined
      prompt: string
      systemPrompt: string | undefined
      choices: LlmChoice[]
    }
  | { type: 'gh-builtin'; builtin: BuiltinEvaluator }

/** One of a task's checks: a metric, with how it counts in the example's score. */
export interface CheckConfig {
  /** Unique within the task: the `name` given, else the metric type (numbered when repeated). */
  name: string
  /** > 0; the check's share in the weighted mean (`pass: mean`). */
  weight: number
  /** The check passes when its metric does not score 1 (and fails when it does). */
  not: boolean
  /**
   * Replaces the row's expected value for this check; strings may hold `{{field}}` slots, filled
   * from the row (a value that is exactly one slot takes the field's value as it is).
   */
  value: unknown
  metric: MetricConfig
}

/** `tasks[].checks` with `tasks[].pass`: how an example's checks combine into its score. */
export interface ChecksConfig {
  checks: CheckConfig[]
  /** `mean`: the weighted mean of the check scores; `all`: 1 only when every check passes. */
  pass: 'mean' | 'all'
}

export interface SplitConfig {
  /** Fractions; they sum to 1. */
  train: number
  dev: number
  test: number
  seed: number
  /** A column whose value is train/dev/test (overrides the seeded split). */
  field: string | undefined
}

export interface TaskConfig {
  name: string
  /** Path of the user prompt template, relative to the repository root. */
  prompt: string
  /** Path of the dataset, relative to the repository root. */
  data: string
  /** Field of a row that holds the expected output. */
  expected: string
  /** Field that holds the row's stable id; default `id` when present, else its position. */
  idField: string
  extract: ExtractConfig
  /** The one metric (`metric:`, default exact); unused when `checks` is set. */
  metric: MetricConfig
  /** Several checks per example (`checks:` + `pass:`); absent for the one-metric form. */
  checks?: ChecksConfig
  /**
   * The prompt is a GitHub Models prompt file and neither `metric:` nor `checks:` was given: the
   * file's evaluators, if it has any, become the checks when the project is loaded (else the default exact metric stays).
   */
  metricDefaulted?: true
  split: SplitConfig
  /** A per-task system prompt file (overrides the shared one). */
  systemPrompt: string | undefined
  /** Cap on the rows used (the first N after a seeded shuffle), for cheap runs. */
  limit: number | undefined
  /** The output format asked of the target; absent = plain text (nothing sent). */
  responseFormat?: ResponseFormatConfig
  /**
   * This task's own target model when it is not models.target: `tasks[].model` in the config, else
   * (on GitHub Models) its prompt file's `model` with the file's `modelParameters`.
   */
  target?: ModelConfig
  /** Target samples per example for this task (overrides models.target.samples). */
  samples?: number
  /** How this task's samples combine (overrides models.target.aggregate). */
  aggregate?: Aggregation
}

export interface BudgetConfig {
  usd: number | undefined
  tokens: number | undefined
  calls: number | undefined
  minutes: number | undefined
}

export interface GateConfig {
  /** `default`: the config has no `gate:` section, so the gate fails on any significant drop. */
  source: 'default' | 'config'
  minScore: number | undefined
  maxDrop: number | undefined
  /** Confidence level for intervals and the significance of a drop, e.g. 0.95. */
  confidence: number
  /** What a task with no base to compare with does to the gate. */
  newTasks: NewTaskPolicy
  /**
   * Score base and head in a seeded random order, in batches, and stop once the max_drop verdict
   * is settled (eval/sequential-test.ts); false scores every row.
   */
  sequential: boolean
  /** Paired rows scored before the first look. */
  firstLook: number
  /** Paired rows scored between two looks. */
  lookEvery: number
}

/** Rows before the sequential gate's first look, and between looks, unless the config says. */
export const DEFAULT_FIRST_LOOK = 50
export const DEFAULT_LOOK_EVERY = 25

export type NewTaskPolicy = 'pass' | 'warn' | 'fail'

/** The gate of a config with no `gate:` section: fail on a drop significant at 95%. */
export const DEFAULT_GATE: GateConfig = {
  source: 'default',
  minScore: undefined,
  maxDrop: 0,
  confidence: 0.95,
  newTasks: 'warn',
  sequential: true,
  firstLook: DEFAULT_FIRST_LOOK,
  lookEvery: DEFAULT_LOOK_EVERY
}

export type BanditName = 'ucb' | 'ucb-e' | 'successive-rejects' | 'successive-halving' | 'uniform'

export interface ApoConfig {
  rounds: number
  beam: number
  minibatch: number
  errorGroups: number
  errorsPerGroup: number
  paraphrases: number
  successorsPerParent: number
  bandit: BanditName
  /** Dev evaluations (prompt × example) the selector may spend per round. */
  selectionBudget: number
  explorationC: number
  /** Dev rows per UCB / UCB-E pull (the pull unit). */
  pullSize: number
  /** Share of the selection budget `ucb` with a beam spends settling the beam (0 = plain LUCB). */
  settle: number
  /** Which prompt APO edits: the task's user prompt or the system prompt. */
  target: 'user' | 'system'
}

export interface MetaspoConfig {
  iterations: number
  userCandidates: number
  userTopK: number
  systemCandidates: number
  /** Wrong examples per task shown when proposing a system prompt. */
  examplesPerTask: number
  /** Tasks held out of meta-training and used to test transfer. */
  holdout: string[]
  /** Stop scoring a system candidate once it cannot beat the incumbent. */
  racing: boolean
}

/**
 * A message the optimizers may rewrite: every message of a role, or the message at an index of a
 * messages file. Undefined `edit` means the default: system messages and the last user message.
 */
export type EditEntry = 'system' | 'user' | 'assistant' | number

/** GEPA presets: how many candidates get a full pass over the Pareto dev rows (6 / 12 / 18). */
export type GepaPreset = 'light' | 'medium' | 'heavy'

export interface GepaConfig {
  preset: GepaPreset
  /** Train rows the reflection reads and the gate judges on. */
  minibatch: number
  /** Fresh train rows a child must not lose on before it gets a dev pass (0 = no confirmation). */
  confirm: number
  /** The Pareto dev set: at most this many dev rows (a seeded sample). */
  devRows: number
  /** Target calls the search may spend (test comparison excluded); unset → the preset's. */
  maxCalls: number | undefined
  /** `pareto`: parents drawn from the per-row front; `best`: always the best mean (ablation). */
  selection: 'pareto' | 'best'
  /** Longest candidate in characters; unset → max(2,000, 3 × the starting prompt). */
  maxPromptChars: number | undefined
  /** Which prompt GEPA edits; unset → optimize.apo.target. */
  target: 'user' | 'system' | undefined
  /**
   * Shared system prompt of several tasks: `system` (the default) evolves the system prompt alone;
   * `all` also each task's editable user prompt, as components of one candidate.
   */
  components: 'all' | 'system'
  /**
   * Shared system prompt of several tasks (candidates of several components): whether two lineages
   * that changed different components may be merged, and the share of the search's target calls
   * merges may spend (0–0.5).
   */
  merge: boolean
  mergeShare: number
}

export interface OptimizeConfig {
  method: OptimizeMethod
  /** Seed of the optimizer's sampling; `optimize.seed`, else the top-level `seed`. */
  seed: number
  /** Which messages the optimizers may rewrite (`optimize.edit`); undefined → the default. */
  edit: EditEntry[] | undefined
  apo: ApoConfig
  metaspo: MetaspoConfig
  gepa: GepaConfig
}

export interface CacheConfig {
  enabled: boolean
  /** Directory relative to the repository root. */
  dir: string
}

export interface Config {
  provider: ProviderConfig
  models: { target: ModelConfig; optimizer: ModelConfig; judge: ModelConfig }
  /** Shared system prompt file, relative to the repository root. */
  systemPrompt: string | undefined
  tasks: TaskConfig[]
  budget: BudgetConfig
  gate: GateConfig
  optimize: OptimizeConfig
  cache: CacheConfig
  seed: number
}
