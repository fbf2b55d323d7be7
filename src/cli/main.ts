import { PromptDescentError, errorMessage } from '../errors.js'
import { VERSION } from '../version.js'
import { parseCliArgs } from './args.js'
import { helpText } from './help.js'
import type { CliArgs } from './args.js'
import { runDemoCommand } from './demo-command.js'
import { runEvalCommand } from './eval-command.js'
import { runCompareCommand } from './compare-command.js'
import { runOptimizeCommand } from './optimize-command.js'
import { runHistoryCommand } from './history-command.js'
import { neutralizeWorkflowCommands } from '../report/sanitize.js'
import { runHistoryAppendCommand } from './history-append-command.js'
import { runInitCommand } from './init-command.js'
import { createCliLogger, forLog } from './logger.js'

export interface CliIo {
  stdout: (text: string) => void
  env: NodeJS.ProcessEnv
  cwd: string
}

const defaultIo = (): CliIo => ({
  // Reports on stdout quote task names and data; a CI runner must not take a line for a command.
  stdout: (text) => process.stdout.write(neutralizeWorkflowCommands(text)),
  env: process.env,
  cwd: process.cwd()
})

/**
 * The CLI: parses argv, runs a command and returns the exit code (0 ok, 1 gate failed, 2 bad input,
 * 3 the run could not finish). Known errors print one clear line, never a stack trace.
 */
export async function main(argv: readonly string[], io: CliIo = defaultIo()): Promise<number> {
  let args: CliArgs
  try {
    args = parseCliArgs(argv)
  } catch (error) {
    return fail(error, io)
  }
  if (args.command === 'help') {
    io.stdout(`${helpText(args.positionals[0])}\n`)
    return 0
  }
  if (args.command === 'version') {
    io.stdout(`${VERSION}\n`)
    return 0
  }
  const logger = createCliLogger({
    quiet: args.quiet,
    debug: Boolean(io.env['PROMPT_DESCENT_DEBUG'])
  })
  const controller = new AbortController()
  const onSignal = (): void => {
    logger.warn('interrupted: stopping after the calls in flight; partial results are kept')
    controller.abort()
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    const context = { args, io, logger, signal: controller.signal }
    switch (args.command) {
      case 'eval':
        return await runEvalCommand(context)
      case 'compare':
        return await runCompareCommand(context)
      case 'optimize':
        return await runOptimizeCommand(context)
      case 'demo':
        return await runDemoCommand(context)
      case 'history':
        return args.positionals[0] === 'append'
          ? await runHistoryAppendCommand(context)
          : await runHistoryCommand(context)
      case 'init':
        return await runInitCommand(context)
    }
  } catch (error) {
    logger.settle?.()
    return fail(error, io)
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
  }
}

function fail(error: unknown, io: CliIo): number {
  // Error texts quote provider answers and file contents: printed through forLog like the logger.
  if (error instanceof PromptDescentError) {
    process.stderr.write(`error: ${forLog(error.message)}\n`)
    return error.exitCode
  }
  process.stderr.write(`error: ${forLog(errorMessage(error))}\n`)
  if (io.env['PROMPT_DESCENT_DEBUG'] && error instanceof Error && error.stack) {
    process.stderr.write(`${forLog(error.stack)}\n`)
  }
  return 3
}
