import type { Logger } from '../util/logger.js'
import type { CliArgs } from './args.js'
import type { CliIo } from './main.js'

/** What every command receives. */
export interface CommandContext {
  args: CliArgs
  io: CliIo
  logger: Logger
  signal: AbortSignal
}
