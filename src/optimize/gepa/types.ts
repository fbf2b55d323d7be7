/**
 * The input, result and accounting types of GEPA (./gepa.ts).
 */
import type { LoadedTask } from '../../config/project-types.js'
import type { PromptParts } from '../../config/prompt.js'
import type { GepaConfig, GepaPreset } from '../../config/types.js'
import type { ScoreEstimate } from '../../eval/types.js'
import type { ChatModel } from '../../llm/chat-model.js'
import type { CandidateRecord, RoundRecord, ScoreFn } from '../types.js'

export interface GepaInput {
  task: LoadedTask
  start: PromptParts
  edit: 'user' | 'system'
  config: GepaConfig
  optimizer: ChatModel
  score: ScoreFn
  seed: number
  signal?: AbortSignal
  /**
   * Whether the run can still pay for one more iteration at its worst (these target and optimizer
   * calls) on top of what it reserves for the test comparison; false ends the run (`budget`).
   */
  canAfford?: (targetCalls: number, optimizerCalls: number) => boolean
  onIteration?: (iteration: GepaIteration) => void
}

export type GepaStopReason = 'completed' | 'budget' | 'cancelled' | 'provider-error'

/** What became of one iteration's proposal. */
export type GepaOutcome =
  'solved-minibatch' | 'no-proposal' | 'guard' | 'gate' | 'confirm' | 'admitted'

/** One candidate GEPA built: its lineage, what it was shown and how it fared. */
export interface GepaNode {
  id: string
  parentId: string | null
  iteration: number
  prompt: string
  /** Train row ids of the minibatch the reflection read (empty for the seed). */
  minibatch: string[]
  /** The feedback lines the reflection was shown, one per minibatch row. */
  feedback: string[]
  /** Parent's and child's scores on the minibatch, in its order. */
  before: number[]
  after: number[]
  /** The confirmation on fresh train rows, when it ran. */
  confirm: { rows: string[]; parent: number[]; child: number[] } | null
  outcome: GepaOutcome | 'seed'
  /** Why the guard rejected it, when it did. */
  rejected: string | null
  /** Scores on the Pareto dev rows (admitted candidates and the seed only). */
  devScores: number[] | null
  devMean: number | null
  /** Dev row ids on which it is among the best and not everyone is (at the end of the run). */
  wins: string[]
}

/** The run's calls by where they went; `targetCalls` = the sum of the target parts. */
export interface GepaLedger {
  targetCalls: number
  optimizerCalls: number
  /** Scores re-used from the run's memo (a parent's rows scored before): free. */
  memoHits: number
  seedDev: number
  parentMinibatch: number
  childMinibatch: number
  confirmParent: number
  confirmChild: number
  devPasses: number
  devCalls: number
}

export interface GepaIteration {
  iteration: number
  parentId: string
  childId: string | null
  outcome: GepaOutcome
  ledger: GepaLedger
}

export type GepaDetails = {
  preset: GepaPreset
  selection: 'pareto' | 'best'
  minibatch: number
  confirm: number
  devRows: string[]
  /** Dev passes the preset allows and the target-call cap of the search. */
  devPassCap: number
  maxCalls: number | null
  maxPromptChars: number
  ledger: GepaLedger
  nodes: GepaNode[]
  /** Candidates on the Pareto front at the end (each the only best on some dev row). */
  front: string[]
  /** Proposals turned away before any target call, by reason. */
  guard: Record<string, number>
}

export interface GepaResult {
  best: PromptParts
  bestId: string
  bestDev: ScoreEstimate | null
  candidates: CandidateRecord[]
  rounds: RoundRecord[]
  /** `status`: the provider's HTTP status when a refusal ended the run. */
  stop: { reason: GepaStopReason; message: string; status?: number }
  details: GepaDetails
}
