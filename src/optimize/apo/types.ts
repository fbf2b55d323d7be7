/**
 * The input, result and accounting types of APO (./apo.ts).
 */
import type { LoadedTask } from '../../config/project-types.js'
import type { ApoConfig, BanditName } from '../../config/types.js'
import type { ScoreEstimate } from '../../eval/types.js'
import type { ChatModel } from '../../llm/chat-model.js'
import type { PromptParts } from '../../config/prompt.js'
import type { CandidateRecord, RoundRecord, ScoreFn } from '../types.js'

export interface ApoOptions {
  /** Critiques asked per error group (ProTeGi's gradients_per_error); default 1. */
  critiquesPerGroup?: number
  /** Re-append a lost slot's line when that is safe (see candidate-guard); default true. */
  repairSlots?: boolean
  /**
   * Meta-prompts of the expansion: `critique` (ProTeGi, default) or `analysis` (MetaSPO's user
   * analysis → user rewrite, as in its test-time adaptation; user prompts only).
   */
  feedback?: 'critique' | 'analysis'
  /**
   * Consecutive rounds without gain on dev before the run stops early; default 2 (dev estimates on a
   * few dozen rows are noisy, so one flat round is weak evidence that the search has converged).
   */
  patience?: number
  /** Confidence level of the best prompt's dev interval; default 0.95. */
  confidence?: number
}

export interface ApoInput {
  task: LoadedTask
  start: PromptParts
  /** Which prompt of the pair is optimized. */
  edit: 'user' | 'system'
  config: ApoConfig
  optimizer: ChatModel
  score: ScoreFn
  seed: number
  signal?: AbortSignal
  onRound?: (round: RoundRecord) => void
  /** Checked before each round; true ends the run with stop reason `budget`. */
  isNearBudgetEnd?: () => boolean
  options?: ApoOptions
}

/**
 * Why the run ended. `provider-error`: the provider failed past its retries (a ProviderError from the
 * score function or the optimizer); the run still returns the best prompt found before it.
 */
export type ApoStopReason = 'completed' | 'no-gain' | 'budget' | 'cancelled' | 'provider-error'

export interface ApoSelection {
  round: number
  algorithm: BanditName
  arms: number
  budget: number
  spent: number
}

/**
 * APO-specific accounting, for OptimizationReport.details (a type alias, not an interface, so it
 * is assignable to Record<string, unknown>).
 */
export type ApoDetails = {
  bandit: BanditName
  pullBatch: number
  /** Share of each selection's budget that settles the beam (`ucb` with a beam only). */
  settle: number
  selectionBudget: number
  /** Dev examples the starting prompt was scored on in round 0. */
  baselineDevExamples: number
  selections: ApoSelection[]
  /** Per round and parent: minibatch size, errors found, critique replies without a critique. */
  expansions: Array<{
    round: number
    parentId: string
    minibatch: number
    errors: number
    critiqueMissing: number
  }>
  /** Accepted candidates left out of selection by the successor cap. */
  cappedOut: string[]
  /** Candidates whose lost slot line was re-appended by the guard. */
  repaired: string[]
  /** The round a budget stop or cancel interrupted (its selection never finished), else null. */
  interruptedRound: number | null
}

export interface ApoResult {
  best: PromptParts
  bestId: string
  /** The best prompt's mean over the dev examples it was scored on, with a bootstrap interval. */
  bestDev: ScoreEstimate | null
  candidates: CandidateRecord[]
  rounds: RoundRecord[]
  /** `status`: the provider's HTTP status when a refusal ended the run. */
  stop: { reason: ApoStopReason; message: string; status?: number }
  details: ApoDetails
}
