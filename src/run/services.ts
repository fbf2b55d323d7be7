import type { LoadedProject } from '../config/project-types.js'
import type { ModelSet } from '../llm/chat-model.js'
import type { LedgerSnapshot, StopInfo } from '../llm/ledger-types.js'
import type { Logger } from '../util/logger.js'

/** What a command needs from the world: the loaded project, decorated models and the ledger. */
export interface RunServices {
  project: LoadedProject
  models: ModelSet
  /** Usage so far (calls, cached calls, tokens, dollars by role). */
  usage(): LedgerSnapshot
  /** Aborted on a budget stop or a cancel; in-flight calls see it. */
  signal: AbortSignal
  logger: Logger
  /** Concurrency for scoring (examples in flight). */
  concurrency: number
  /**
   * True when a cap is near: 85% spent, or too little left for `reserveCalls` more target calls
   * (the final test scoring an optimizer must still afford) at the run's cost per call so far.
   */
  nearBudgetEnd(reserveCalls?: number): boolean
  /**
   * The endpoint the calls actually go to (the config's, else OPENAI_BASE_URL, else the default),
   * without credentials; null for the simulated provider. Reports record it when given.
   */
  providerBaseUrl?: string | null
}

export type { StopInfo }
