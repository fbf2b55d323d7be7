/**
 * The history record's shape: one record per commit, what a run scored per task (built from the run
 * report by src/report/history-record.ts, read by the trend tests in ./trend.ts). A format on a data
 * branch, so it lives below both.
 */
import type { StopReason } from '../llm/ledger-types.js'
import type { ProviderConfig } from '../config/types.js'
import type { EvalSplit } from './types.js'

/** Calls, tokens and dollars; `usd` is null when a model's price was unknown. */
export interface HistoryCost {
  usd: number | null
  /** Paid calls. */
  calls: number
  /** Calls answered from the cache (free). */
  cachedCalls: number
  /** Input + output tokens of the paid calls. */
  tokens: number
}

/** Per-example scores as parallel arrays (ids[i] scored scores[i]), capped. */
export interface HistoryExamples {
  ids: string[]
  /** In [0, 1], rounded to 4 decimals. */
  scores: number[]
  /** Examples scored before the cap (equals ids.length when nothing was left out). */
  total: number
}

export interface HistoryTask {
  task: string
  /** The metric's aggregate, in [0, 1]. */
  score: number
  /** Interval of the mean per-example score. */
  interval: { low: number; high: number; level: number }
  /** Examples scored. */
  n: number
  /** Examples whose call failed (not scored). */
  failed: number
  metric: string
  /** The target model. */
  model: string
  /** The judge model, for judge metrics (and tasks with a judge check). */
  judgeModel?: string
  /** For a task with several checks: each check's score by name. */
  checks?: Record<string, number>
  promptHash: string
  systemPromptHash: string | null
  dataHash: string
  /** This task's calls and tokens; `usd` is the run's dollars shared out by tokens. Absent when unmeasured. */
  cost?: HistoryCost
  examples?: HistoryExamples
}

export interface HistoryRecord {
  /** The commit scored. */
  sha: string
  /** ISO 8601 time of the run (or of the commit). */
  date: string
  /** e.g. refs/heads/main. */
  ref?: string
  /** The workflow run that wrote the record. */
  runUrl?: string
  /** The gate's min_score at the time, drawn on charts. */
  threshold?: number
  tool: string
  provider: ProviderConfig['type']
  split: EvalSplit
  configHash: string
  /** How the run ended; a record of a run that stopped early says so. */
  stop: StopReason
  /** The whole run. */
  cost: HistoryCost
  tasks: HistoryTask[]
}
