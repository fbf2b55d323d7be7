import { resolve } from 'node:path'
import type { LoadedProject } from '../config/project-types.js'
import { openSession } from '../run/open-session.js'
import type { Session } from '../run/open-session.js'
import type { CommandContext } from './context.js'

/**
 * Opens a session for a command from its flags (config path against the CLI's working directory,
 * --no-cache, budget caps, Ctrl-C), runs `body` and always releases the session.
 */
export async function withCommandSession<T>(
  context: CommandContext,
  body: (session: Session) => Promise<T>,
  options: { configPath?: string; project?: LoadedProject; optimizing?: boolean } = {}
): Promise<T> {
  const { args, io, logger } = context
  const session = await openSession({
    project: options.project,
    optimizing: options.optimizing,
    configPath: options.configPath ?? resolve(io.cwd, args.config),
    env: io.env,
    logger,
    signal: context.signal,
    cache: args.cache,
    budget: args.budget,
    samples: args.samples
  })
  try {
    return await body(session)
  } finally {
    session.close()
  }
}
