import type { LedgerSnapshot, StopInfo } from '../llm/ledger-types.js'
import type { EvalSplit, GateResult, TaskComparison, TaskEvalResult } from '../eval/types.js'
import type { OptimizationReport } from '../optimize/types.js'

// The comparison and gate types are eval's (it computes them); re-exported for the renderers.
export type {
  CheckComparison,
  FlippedExample,
  GateCheck,
  GateResult,
  TaskComparison,
  Verdict
} from '../eval/types.js'

/** Bumped on any change a consumer of the JSON report would notice. */
export const REPORT_SCHEMA_VERSION = 1

export interface ComparisonReport {
  baseRef: string
  headRef: string
  /** Tasks compared, renamed ones under their head name. */
  tasks: TaskComparison[]
  /** Head tasks with no base to compare with (scored on head only; see `tasks` of the report). */
  added: string[]
  /** Base tasks the head no longer has. */
  removed: string[]
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
  provider: { type: 'openai' | 'github-models' | 'simulated'; baseUrl: string | null }
  models: { target: string; optimizer: string; judge: string }
  config: { path: string; hash: string }
  seed: number
  split: EvalSplit
  /** Per task, the (head) eval. */
  tasks: TaskEvalResult[]
  ledger: LedgerSnapshot
  stop: StopInfo
  gate?: GateResult
  comparison?: ComparisonReport
  optimization?: OptimizationReport
  /** Recent history per task, when the history is kept (shown as a sparkline beside each task). */
  trend?: TrendReport
  /**
   * What the results call for a person to fix, e.g. a task whose every answer was unreadable, a
   * judge whose replies carried no grade; shown in every view. Absent when there is none.
   */
  warnings?: string[]
}
