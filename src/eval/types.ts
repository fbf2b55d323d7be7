import type { SmallSetFacts } from './small-set.js'
import type { SplitName } from '../config/project-types.js'
import type { Aggregation } from '../config/types.js'
import type { FailureCause } from './failures.js'
import type { ChatModel } from '../llm/chat-model.js'
import type { SequentialRule } from './sequential-look.js'

/**
 * Characters of a reply a result keeps. A reply is scored whole, then cut to this, so reports and
 * the memory of a run grow with the number of examples, not with what a model chose to send.
 */
export const OUTPUT_KEEP_CHARS = 20_000

/** What the metric makes of one reply. */
export interface ExampleScore {
  /** In [0, 1]. */
  score: number
  /** The answer read out of the reply (label, number, text), or null when none could be read. */
  answer: string | null
  /** The reply had no readable answer (no tag, no label, no number): scored wrong and counted apart. */
  unreadable: boolean
  /**
   * The judge's reply had no grade in 1..scale: scored wrong, and counted as the judge's failure,
   * apart from the target's unreadable answers.
   */
  judgeUnreadable?: boolean
  /** Why it scored so: the judge's reasoning, or where a reply breaks the JSON schema. */
  rationale?: string
  /**
   * Whether the reply passes, when the metric says so apart from its score (GitHub Models
   * evaluators: an `llm` choice scoring 0.5 passes); otherwise it passes when the score is 1.
   */
  passed?: boolean
  /** Each check's own result, for a task with several checks (in the config's order). */
  checks?: CheckScore[]
  /** Per-field outcome of a JSON reply (json metric with `fields`), by field path, in config order. */
  fields?: FieldResults
}

/** Whether each field of a JSON reply matched the expected value's field, by field path. */
export type FieldResults = Record<string, boolean>

/** One check's result on one example. */
export interface CheckScore {
  name: string
  /** In [0, 1], after negation (`not`); the check passes when it is 1 (or when `passed` says so). */
  score: number
  /** Set when the check's metric decides passing apart from the score (see ExampleScore.passed). */
  passed?: boolean
  answer: string | null
  unreadable: boolean
  /** A judge check whose judge reply carried no grade (the judge's failure, not the target's). */
  judgeUnreadable?: boolean
  rationale?: string
  /** The check's own expected value (its `value`, filled from the row), when it has one. */
  expected?: unknown
}

/** A check of a task, summarised over the examples. */
export interface CheckSummary {
  name: string
  /** The metric's name (as TaskEvalResult.metric), e.g. `contains`, `macro_f1`. */
  metric: string
  weight: number
  not: boolean
  /** The check's own aggregate over the scored examples (macro-F1 for a macro_f1 check). */
  score: number
  /** Examples on which the check passed (scored 1, or passed by its own rule). */
  passed: number
  unreadable: number
  /** The model that judged this check, for judge checks (an `llm` evaluator's own `modelId`). */
  judgeModel?: string
}

export interface MetricContext {
  /** The judge model, for judge metrics. */
  judge: ChatModel | undefined
  /** The rendered user message, for judge metrics. */
  input: string
  /** The row's fields, for checks whose `value` has `{{field}}` slots. */
  fields?: Record<string, unknown>
  /** The example's id and line, named when a check value cannot be filled. */
  row?: { id: string; line: number }
  signal?: AbortSignal
  /** With `models.judge.samples` > 1: grades per reply and how they combine. */
  judgeSampling?: { samples: number; aggregate: 'mean' | 'majority' }
}

/** What aggregate() sees of each scored example. */
export interface AggregateInput {
  score: number
  answer: string | null
  expected: unknown
  checks?: readonly CheckScore[]
}

export interface Metric {
  readonly name: string
  /** Score one reply against its expected value. */
  score(reply: string, expected: unknown, context: MetricContext): Promise<ExampleScore>
  /**
   * Aggregate per-example results into the task score. Most metrics use the mean of `score`;
   * macro-F1 uses the answers and expected labels.
   */
  aggregate(results: readonly AggregateInput[]): number
  /** For a task with several checks: how the checks are summarised (see metrics/checks.ts). */
  summarizeChecks?(results: readonly AggregateInput[]): CheckSummary[]
}

/** One of an example's k replies (`samples: k` > 1), scored on its own. */
export interface SampleResult {
  /** The reply (kept as ExampleResult.output is); null when this sample's call failed. */
  output: string | null
  /** The reply's full length, when `output` was cut. */
  outputLength?: number
  answer: string | null
  score: number
  unreadable: boolean
  /** The judge gave no readable grade for this reply (the judge's failure, not the target's). */
  judgeUnreadable?: boolean
  error?: string
  /** The judge's reasoning on this reply, for judge metrics. */
  rationale?: string
  /** Each check's result on this reply, for a task with several checks. */
  checks?: CheckScore[]
  /** Per-field outcome on this reply, for the json metric with `fields`. */
  fields?: FieldResults
}

/** One example's outcome in an eval. */
export interface ExampleResult {
  id: string
  split: 'train' | 'dev' | 'test'
  expected: unknown
  /**
   * The model's reply, kept up to {@link OUTPUT_KEEP_CHARS} characters (scored whole before it is
   * cut); null when the call failed (then error is set).
   */
  output: string | null
  /** The reply's full length in characters, when `output` was cut to the cap. */
  outputLength?: number
  answer: string | null
  score: number
  unreadable: boolean
  /** The judge's reply could not be read (judge metrics); the target's answer is not blamed. */
  judgeUnreadable?: boolean
  error?: string
  rationale?: string
  /** Each check's result, for a task with several checks (with samples: aggregated over them). */
  checks?: CheckScore[]
  /** Per-field outcome, for the json metric with `fields` on a readable reply. */
  fields?: FieldResults
  /**
   * With `samples: k` > 1: every reply in sample order; `output`, `answer` and `score` above are
   * then the first scored reply's text and the aggregate (mean, pass@k, pass^k or majority).
   */
  samples?: SampleResult[]
  /** With k > 1: the share of samples whose score disagrees with the majority (0 = all agree). */
  flakiness?: number
}

/** How often one field of JSON replies failed, over the readable replies that were scored on it. */
export interface FieldFailure {
  field: string
  failed: number
  /** Replies scored on this field. */
  n: number
}

/** Mean with an interval. */
export interface ScoreEstimate {
  value: number
  low: number
  high: number
  /** Confidence level of [low, high], e.g. 0.95. */
  level: number
}

export interface TaskEvalResult {
  task: string
  /** The metric's aggregate over the scored examples. */
  score: number
  /** Interval of the task score (bootstrap of the metric over the examples). */
  interval: ScoreEstimate
  n: number
  unreadable: number
  /** Judge metrics: examples whose judge reply carried no readable grade (the judge's fault). */
  judgeUnreadable?: number
  /** Examples whose call failed and were not scored. */
  failed: number
  /** Why they failed: the distinct provider messages with counts, when any failed. */
  failures?: FailureCause[]
  metric: string
  /** The target model that answered (a prompt file's own `model`, else models.target). */
  model?: string
  /** For a one-metric task whose metric calls a judge: the judge model. */
  judgeModel?: string
  /** With few rows (under 30): what they can and cannot show (eval/small-set.ts). */
  smallSet?: SmallSetFacts
  /** For a task with several checks, each one's score (`metric` says how they combine). */
  checks?: CheckSummary[]
  promptHash: string
  systemPromptHash: string | null
  dataHash: string
  /** Calls and tokens this task's eval used (all roles), when measured by the run. */
  usage?: TaskUsage
  /** For JSON field scores: every field that failed at least once, most failures first. */
  fieldFailures?: FieldFailure[]
  /** With `samples: k` > 1: how the samples combined and how much they disagreed. */
  samples?: SamplesSummary
  examples: ExampleResult[]
}

/** A task's sample-to-sample noise, with k replies per example. */
export interface SamplesSummary {
  /** Replies per example. */
  k: number
  aggregate: Aggregation
  /** Examples whose samples did not all score the same. */
  flaky: number
  /** Mean over examples of the standard deviation of their sample scores (0 = no noise). */
  spread: number
  /** The flakiest examples (most disagreeing samples first; at most 5). */
  flakiest: Array<{ id: string; flakiness: number; scores: number[] }>
}

export interface TaskUsage {
  calls: number
  cachedCalls: number
  inputTokens: number
  outputTokens: number
}

/** The rows a run scores: one split, or every row. */
export type EvalSplit = SplitName | 'all'

export type Verdict = 'improved' | 'regressed' | 'within-noise' | 'unchanged'

/** Paired base-vs-head comparison of one task on the same example ids. */
export interface TaskComparison {
  task: string
  base: ScoreEstimate
  head: ScoreEstimate
  /** Number of example ids scored in both runs (the paired sample). */
  n: number
  /** head − base on the paired examples, with a paired-bootstrap interval. */
  delta: ScoreEstimate
  pValue: number
  test: 'mcnemar-exact' | 'paired-permutation' | 'none'
  verdict: Verdict
  /** Examples whose score changed, worst regressions first (capped: see `changed` for all). */
  flipped: FlippedExample[]
  /** How many examples got worse and better, counted over all of them before the cap. */
  changed: { worse: number; better: number }
  /** Unified diff of the user prompt (and system prompt) between base and head; empty when equal. */
  promptDiff: string
  /** Rows scored on head whose id the base dataset does not have (new rows, left out of `n`). */
  headOnly: number
  /** Rows of the base dataset whose id the head no longer has (removed rows). */
  baseOnly: number
  /** The task's name in the base when it was renamed (same prompt and data files). */
  renamedFrom?: string
  /** For a task with several checks: each check base vs head on the same paired examples. */
  checks?: CheckComparison[]
  /**
   * The smallest drop the paired test would catch with power 0.8 at this confidence, from n, the
   * samples per example and the observed variance (see eval/detectable-drop.ts).
   */
  detectableDrop?: number
  /** Samples per example (k) the comparison saw; absent for one reply per example. */
  samples?: number
  /** How many rows the gate scored and why it stopped (see eval/sequential-test.ts). */
  sequential?: SequentialOutcome
}

/**
 * Why the comparison scored the rows it did: `regressed` / `not-regressed` — the sequential test
 * settled the max_drop verdict after `rows` of `total` paired rows; `exhausted` — it looked until
 * the rows ran out, so the full-data test decides; `off` — every row was scored without looking
 * (gate.sequential: false, or a gate rule the sequential test does not cover); `interrupted` — the
 * run stopped (budget, cancel, provider) before the verdict was settled.
 */
export interface SequentialOutcome {
  stop: 'regressed' | 'not-regressed' | 'exhausted' | 'interrupted' | 'off'
  /**
   * With `regressed` / `not-regressed`, the rule that settled it: `confidence-sequence` (the
   * anytime-valid betting test, either way), `futility` (the rows left had under a 1% chance of
   * making it a regression) or `curtailment` (no rows left could make it one).
   */
  rule?: SequentialRule
  /** Paired rows scored on both sides (before leaving out failed calls). */
  rows: number
  /** Paired rows the two datasets have. */
  total: number
  /** One line for a person: "stopped after 340 of 2,000 rows: the head is not worse than …". */
  message: string
}

/** One check of a task, base vs head: means of its per-example scores on the paired examples. */
export interface CheckComparison {
  name: string
  base: number
  head: number
  /** head − base. */
  delta: number
  pValue: number
  verdict: Verdict
}

export interface FlippedExample {
  id: string
  expected: unknown
  baseScore: number
  headScore: number
  baseOutput: string | null
  headOutput: string | null
}

export interface GateCheck {
  task: string
  /** `no_base`: the task could not be compared (new in head, or no example paired). */
  kind: 'min_score' | 'max_drop' | 'no_base'
  passed: boolean
  /** A passed check that asks for attention (`gate.new_tasks: warn`). */
  warning?: boolean
  /** One line for a person, e.g. "0.71 < min_score 0.80". */
  message: string
}

export interface GateResult {
  passed: boolean
  checks: GateCheck[]
  /** Which rule applied and how to change it, one line for a person. */
  rule: string
  /** What the gate cannot see, e.g. a max_drop below the smallest detectable drop. */
  warnings?: string[]
}
