/**
 * The input, result and accounting types of GEPA on several components (./multi.ts): the shared
 * system prompt of several tasks and, optionally, each task's user prompt.
 */
import type { LoadedTask } from '../../config/project-types.js'
import type { GepaConfig } from '../../config/types.js'
import type { ScoreEstimate } from '../../eval/types.js'
import type { ChatModel } from '../../llm/chat-model.js'
import type { CandidateRecord, RoundRecord, ScoreFn } from '../types.js'
import type { GepaDetails, GepaIteration, GepaLedger, GepaNode, GepaResult } from './types.js'

/** The shared system prompt's component name; a task's user prompt is `user:<task>`. */
export const SYSTEM_COMPONENT = 'system'

/** Component name → text. */
export type Components = Readonly<Record<string, string>>

export interface GepaMultiInput {
  tasks: readonly LoadedTask[]
  start: { system: string; users: ReadonlyMap<string, string> }
  /**
   * Tasks whose user prompt may be a component too (the others keep theirs); with
   * `config.components: system`, or when empty, the system prompt is the only component.
   */
  userTasks: readonly string[]
  config: GepaConfig
  optimizer: ChatModel
  scoreFor: (task: LoadedTask) => ScoreFn
  seed: number
  signal?: AbortSignal
  /** As GepaInput.canAfford: false ends the run before an iteration it could not pay for. */
  canAfford?: (targetCalls: number, optimizerCalls: number) => boolean
  onIteration?: (iteration: GepaIteration) => void
}

/** A merge: its two parents, their common ancestor, and which node each component came from. */
export interface MergeRecord {
  parents: [string, string]
  ancestor: string
  sources: Record<string, string>
  /** The dev rows (task/row) that separate the parents, scored before the full dev pass. */
  rows: string[]
  /** The parents' and the merge's sums on those rows. */
  parentSums: [number, number]
  sum: number | null
}

/**
 * One candidate of a multi-component run. `prompt` is the text of the component it changed (a
 * mutation) or empty (the seed, a merge); `components` is the whole candidate. Row ids are
 * `task/row`.
 */
export interface GepaMultiNode extends GepaNode {
  components: Record<string, string>
  /** The component a mutation changed; null for the seed and for merges. */
  component: string | null
  merge: MergeRecord | null
}

export interface GepaMultiLedger extends GepaLedger {
  /** Target calls merges spent on the rows that separate their parents (their dev passes count in devCalls). */
  mergeCalls: number
  mergeAttempts: number
  mergesAccepted: number
}

export interface GepaMultiDetails extends Omit<GepaDetails, 'nodes' | 'ledger'> {
  nodes: GepaMultiNode[]
  ledger: GepaMultiLedger
  tasks: string[]
  components: string[]
  merge: { enabled: boolean; share: number; callCap: number }
}

export interface GepaMultiResult {
  best: { system: string; users: Map<string, string> }
  bestId: string
  bestDev: ScoreEstimate | null
  candidates: CandidateRecord[]
  rounds: RoundRecord[]
  stop: GepaResult['stop']
  details: GepaMultiDetails
}

export function userComponent(task: string): string {
  return `user:${task}`
}
