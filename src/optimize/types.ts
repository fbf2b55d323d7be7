import type { OptimizeMethod } from '../config/methods.js'
import type { LoadedTask } from '../config/project-types.js'
import type { PromptParts } from '../config/prompt.js'
import type { ScoreEstimate } from '../eval/types.js'
import type { TaskComparison } from '../eval/types.js'

/** How a candidate prompt came to be. */
export type CandidateOrigin = 'initial' | 'edit' | 'paraphrase' | 'rewrite'

/** One candidate prompt with its lineage and what selection learned of it. */
export interface CandidateRecord {
  id: string
  round: number
  parentId: string | null
  origin: CandidateOrigin
  /** For edits/rewrites: the critique (textual gradient / analysis) it answers. */
  critique: string | null
  prompt: string
  /** Dev estimate from selection (running mean), null when never evaluated. */
  devScore: number | null
  /** Dev evaluations (prompt × example) spent on it. */
  devEvaluations: number
  /** In the beam kept after this round. */
  kept: boolean
}

export interface RoundRecord {
  round: number
  candidates: number
  rejected: { missingSlots: number; unknownSlots: number; missingTags: number; duplicates: number }
  /** Best dev estimate in the beam after the round. */
  bestDev: number
  beam: string[]
  targetCalls: number
  optimizerCalls: number
  selectionEvaluations: number
}

export interface PromptOutcome {
  /** Which file the prompt lives in and which prompt it is. */
  file: string
  kind: 'user' | 'system'
  /** The message's index in a messages file; undefined when the whole file is the prompt. */
  message?: number
  task: string | null
  before: string
  after: string
}

/** A held-out task under the default and the optimized system prompt (MetaSPO transfer). */
export interface UnseenTaskSummary {
  task: string
  /** User prompts averaged over: the task's own and its variants. */
  userPrompts: number
  examples: number
  /** Mean over user prompts of the mean over examples, with a bootstrap interval over examples. */
  default: ScoreEstimate
  optimized: ScoreEstimate
  /** optimized − default, paired by (user prompt, example). */
  delta: ScoreEstimate
  /** User prompts whose mean rose under the optimized system prompt. */
  improvedPrompts: number
  /** Test-time adaptation (APO on the task's user prompt) under each system prompt, when run. */
  adaptation?: AdaptationSummary
}

/**
 * APO on an unseen task's user prompt under the default and under the optimized system prompt: how
 * many rounds and target calls each took to first reach the default's final score.
 */
export interface AdaptationSummary {
  /** The default system prompt's final score after adaptation (what the optimized one must reach). */
  target: number | null
  default: { rounds: number | null; targetCalls: number | null; final: number | null }
  optimized: { rounds: number | null; targetCalls: number | null; final: number | null }
}

export interface TransferReport {
  tasks: UnseenTaskSummary[]
  /** Unweighted means over the tasks. */
  average: { default: number; optimized: number; delta: number }
}

/** Outer-loop evaluations of system candidates: racing against full scoring. */
export interface RacingReport {
  rule: 'full' | 'exact' | 'confident'
  outerCallsFull: number
  outerCallsSpent: number
  /** 1 − spent / full. */
  saved: number
}

export interface OptimizationReport {
  method: OptimizeMethod
  simulated: boolean
  seed: number
  /** The prompts the run proposes (best found), per file. */
  prompts: PromptOutcome[]
  /** Baseline vs best on the held-out test split, paired, per task. */
  testComparison: TaskComparison[]
  rounds: RoundRecord[]
  candidates: CandidateRecord[]
  /** Method-specific detail (MetaSPO: unseen tasks, adaptation; APO: bandit accounting). */
  details: Record<string, unknown>
  bestDev: ScoreEstimate | null
  /** MetaSPO: the held-out tasks. */
  transfer?: TransferReport
  /** MetaSPO: what racing saved in the outer loop. */
  racing?: RacingReport
}

/**
 * Scores a prompt's editable parts (put back into the task's prompt) on examples with the target model (through the cache, limiter and budget).
 * Injected into the optimizers so they never see a client. Results come back in the examples' order.
 * Throws BudgetExceededError / CancelledError when the run must stop.
 */
export type ScoreFn = (
  parts: PromptParts,
  examples: readonly import('../config/project-types.js').Example[],
  options?: { signal?: AbortSignal }
) => Promise<import('../eval/types.js').ExampleResult[]>

/**
 * What a task-scoped method's section of the report is built from: its result, the task, the
 * starting prompts, the part edited and the test comparison (scored by the caller).
 */
export interface TaskOptimizationInput<R> {
  result: R
  task: LoadedTask
  start: PromptParts
  edit: 'user' | 'system'
  seed: number
  simulated: boolean
  testComparison: TaskComparison[]
}
