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
  /** Set by the budget when a cap is near (about one round of spend left). */
  nearBudgetEnd(): boolean
}

export type { StopInfo }
