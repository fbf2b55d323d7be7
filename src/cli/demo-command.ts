import { join, relative } from 'node:path'
import { writeDemoRepository } from '../simulate/demo-repo.js'
import { SIMULATION_NOTICE } from '../simulate/index.js'
import type { CommandContext } from './context.js'
import { runEvalCommand } from './eval-command.js'

/**
 * `prompt-descent demo [DIR]`: writes a synthetic repository (prompt files, dataset, config for the
 * simulated provider) and runs `eval` on it, so a new user sees the tool work with no key and no
 * network.
 */
export async function runDemoCommand(context: CommandContext): Promise<number> {
  const { args, io, logger } = context
  const dir = args.positionals[0] ?? 'prompt-descent-demo'
  const seed = args.seed ?? 7
  const repo = await writeDemoRepository(join(io.cwd, dir), { seed })
  logger.info(
    `wrote a synthetic repository to ${relative(io.cwd, repo.root) || '.'}: ${repo.files.join(', ')}`
  )
  logger.info(SIMULATION_NOTICE)
  logger.info('')
  logger.info('step 1: score the prompts (prompt-descent eval)')
  const evalArgs = {
    ...args,
    command: 'eval' as const,
    config: repo.configPath,
    split: args.split ?? 'all'
  }
  return runEvalCommand({ ...context, args: evalArgs })
}
