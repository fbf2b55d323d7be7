/**
 * The input, result and accounting types of MetaSPO (./metaspo.ts): bilevel system-prompt
 * optimization across tasks (Choi, Baek & Hwang, NeurIPS 2025).
 */
import type { LoadedTask } from '../../config/project-types.js'
import type { MetaspoConfig } from '../../config/types.js'
import type { ChatModel } from '../../llm/chat-model.js'
import type { RejectCounts } from '../candidate-guard.js'
import type { CandidateRecord, RoundRecord, ScoreFn } from '../types.js'

/** The system prompt a run starts from when the project has none (the paper's s0). */
export const DEFAULT_META_SYSTEM_PROMPT = 'You are a helpful assistant.'

/** The score function of one task (each task has its own metric, prompt file and dataset). */
export type TaskScoreFn = (task: LoadedTask) => ScoreFn

/**
 * How system candidates are scored in the outer loop:
 * - `full`: every candidate on every (task, kept user prompt, train example) — the reference;
 * - `exact`: stop scoring a candidate once even a perfect score on everything left could not make
 *   it the chosen one (chooses exactly what `full` would);
 * - `confident`: also stop when a Hoeffding bound says it is unlikely to win (cheaper, not exact).
 */
export type RacingRule = 'full' | 'exact' | 'confident'

export interface MetaspoOptions {
  /** Racing rule when `config.racing` is true; default `exact`. `config.racing=false` → `full`. */
  racingRule?: Exclude<RacingRule, 'full'>
  /** Error probability of the `confident` rule; default 0.05. */
  racingDelta?: number
  /**
   * Order each cell is raced in: `hard-first` (the incumbent's wrong examples first, where weaker
   * candidates fail soonest; default for `exact`) or `train` (a random order; default for
   * `confident`, whose bound assumes one). Changes the cost only, never an exact choice.
   */
  raceOrder?: 'hard-first' | 'train'
  /** Slices each cell is scored in while racing (1 = no racing granularity); default 20. */
  raceSteps?: number
  /** Wrong train examples shown per user-prompt candidate; default 3 (the paper's). */
  errorsPerUserCandidate?: number
  /** Re-append a lost slot's line when safe (see candidate-guard); default false: reject. */
  repairSlots?: boolean
  /** Use at most this many train examples per task (the first of a seeded order); default all. */
  trainLimit?: number
  /** Show the pooled failures to the system rewrite too (the paper shows only the analysis). */
  systemRewriteSeesExamples?: boolean
}

export interface MetaspoInput {
  /** The meta-training tasks (the held-out ones are not passed here). */
  tasks: readonly LoadedTask[]
  start: {
    /** The starting system prompt; undefined → DEFAULT_META_SYSTEM_PROMPT. */
    system: string | undefined
    /** Starting user prompt per task name; a task missing here starts from its own file. */
    users: ReadonlyMap<string, string>
  }
  config: MetaspoConfig
  optimizer: ChatModel
  /** Scores a pair on a task's examples (through the cached target, limiter and budget). */
  scoreFor: TaskScoreFn
  seed: number
  signal?: AbortSignal
  onIteration?: (record: MetaspoIterationRecord) => void
  /** Checked before each inner and outer loop; true ends the run with stop reason `budget`. */
  isNearBudgetEnd?: () => boolean
  options?: MetaspoOptions
}

/** A candidate of a MetaSPO run: a CandidateRecord plus which prompt and task it belongs to. */
export interface MetaspoCandidateRecord extends CandidateRecord {
  kind: 'user' | 'system'
  /** The task of a user prompt; null for system prompts. */
  task: string | null
  /**
   * User prompts: the system prompt id it was created and first scored under. System prompts: the
   * incumbent it was proposed against (also `parentId`).
   */
  systemId: string | null
  /**
   * Selection score on train (the paper selects on train): a user prompt's mean under the system
   * prompt it was created under; a system prompt's meta score when fully scored. Also in devScore,
   * which is null for a system candidate raced out before it was fully scored.
   */
  trainScore: number | null
  /** Racing: the best meta score a raced-out system candidate could still have reached. */
  upperBound: number | null
}

/** One task's inner loop in one iteration. */
export interface InnerTaskRecord {
  task: string
  /** User candidates asked for (analysis + rewrite each). */
  proposed: number
  /** Ids of the candidates that passed the guard and were scored. */
  accepted: string[]
  rejected: RejectCounts
  /** Analysis replies without an <analysis> (the rewrite was not asked). */
  analysisMissing: number
  /** `no-errors`: the best prompt got every train example right, so nothing grounds a rewrite. */
  skipped: 'no-errors' | null
  /** The kept user prompts after the loop, best first, with their train means. */
  beam: Array<{ id: string; score: number }>
  targetCalls: number
  optimizerCalls: number
}

/** One system candidate of an outer loop, as the race left it. */
export interface OuterCandidateRecord {
  id: string
  /** The meta score when fully scored, else null. */
  metaScore: number | null
  /** Lower and upper bounds of the meta score when it was left (equal when fully scored). */
  lower: number
  upper: number
  /** Train evaluations (pair × example) spent on it. */
  evaluations: number
  /** Why it was left before being fully scored; null when fully scored. */
  eliminated: 'incumbent' | 'candidate' | 'confidence' | 'interrupted' | null
  /** The race step it was left at (1-based), or null. */
  eliminatedAtStep: number | null
}

export interface OuterRecord {
  proposed: number
  rejected: RejectCounts
  analysisMissing: number
  /** `no-errors`: no task had a wrong train example to show. */
  skipped: 'no-errors' | null
  incumbent: { id: string; metaScore: number }
  candidates: OuterCandidateRecord[]
  /** The system prompt after the loop (the incumbent unless strictly beaten). */
  chosen: string
  changed: boolean
  rule: RacingRule
  /** Evaluations full scoring of every candidate would have cost. */
  callsFull: number
  /** Evaluations actually spent. */
  callsSpent: number
  optimizerCalls: number
}

export interface MetaspoIterationRecord {
  iteration: number
  inner: InnerTaskRecord[]
  /** Null when the iteration stopped before its outer loop. */
  outer: OuterRecord | null
  /** Meta score (mean over tasks of the mean over kept user prompts, on train) after it. */
  metaScore: number
  system: string
  targetCalls: number
  optimizerCalls: number
}

/**
 * Why the run ended. `provider-error`: the provider refused past its retries (a ProviderError from a
 * score function or the optimizer); the run still returns the best pair found before it.
 */
export type MetaspoStopReason = 'completed' | 'budget' | 'cancelled' | 'provider-error'

export interface MetaspoResult {
  /** The best system prompt found (the incumbent at the end). */
  system: string
  systemId: string
  /** Each task's best user prompt under `system`. */
  users: Map<string, string>
  userIds: Map<string, string>
  /** Each task's kept user prompts under `system`, best first. */
  beams: Map<string, Array<{ id: string; prompt: string; score: number }>>
  /** Meta score on train at the start (null when the run stopped before it was known) and end. */
  initialMetaScore: number | null
  metaScore: number | null
  candidates: MetaspoCandidateRecord[]
  iterations: MetaspoIterationRecord[]
  /** The iterations as RoundRecords (round 0 = scoring the start), for OptimizationReport. */
  rounds: RoundRecord[]
  racing: {
    rule: RacingRule
    outerCallsFull: number
    outerCallsSpent: number
    /** 1 − spent / full (0 when nothing was raced). */
    saved: number
  }
  calls: { target: number; optimizer: number; initialTarget: number }
  /** `status`: the provider's HTTP status when a refusal ended the run. */
  stop: { reason: MetaspoStopReason; message: string; status?: number }
}
