import type { LedgerSnapshot, StopInfo } from '../llm/ledger-types.js'
import type { ScoreEstimate, TaskEvalResult } from '../eval/types.js'
import type { OptimizationReport } from '../optimize/types.js'

/** Bumped on any change a consumer of the JSON report would notice. */
export const REPORT_SCHEMA_VERSION = 1

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
  /** Examples whose score changed, worst regressions first (capped). */
  flipped: FlippedExample[]
  /** Unified diff of the user prompt (and system prompt) between base and head; empty when equal. */
  promptDiff: string
  /** For a task with several checks: each check base vs head on the same paired examples. */
  checks?: CheckComparison[]
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
  kind: 'min_score' | 'max_drop'
  passed: boolean
  /** One line for a person, e.g. "0.71 < min_score 0.80". */
  message: string
}

export interface GateResult {
  passed: boolean
  checks: GateCheck[]
}

export interface ComparisonReport {
  baseRef: string
  headRef: string
  tasks: TaskComparison[]
}

/** Recent scores per task from the history on the data branch (oldest first), for trend columns. */
export interface TrendReport {
  /** Where they come from, e.g. `prompt-descent-data:history/history.json`. */
  source: string
  tasks: Record<string, number[]>
}

export interface RunReport {
  schemaVersion: typeof REPORT_SCHEMA_VERSION
  kind: 'eval' | 'compare' | 'optimize'
  tool: { name: 'prompt-descent'; version: string }
  startedAt: string
  finishedAt: string
  /** Provider as configured, never with a key. `simulated` is shown in every rendering. */
  provider: { type: 'openai' | 'simulated'; baseUrl: string | null }
  models: { target: string; optimizer: string; judge: string }
  config: { path: string; hash: string }
  seed: number
  split: 'train' | 'dev' | 'test' | 'all'
  /** Per task, the (head) eval. */
  tasks: TaskEvalResult[]
  ledger: LedgerSnapshot
  stop: StopInfo
  gate?: GateResult
  comparison?: ComparisonReport
  optimization?: OptimizationReport
  /** Recent history per task, when the history is kept (shown as a sparkline beside each task). */
  trend?: TrendReport
}
