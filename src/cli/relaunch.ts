/**
 * The CLI restarts itself once, at launch, with V8's young generation capped. Node's default
 * semi-space (16 MB and up) is head room for the scavenger that an I/O-bound run never needs:
 * a 1,000-row eval peaks near 180 MB RSS with it and near 120 MB without, at the same speed
 * (`npm run bench:eval` prints both). `process.execve` replaces the process in place — same PID,
 * same stdin/stdout/stderr, same signals, no parent left waiting — so nothing else changes.
 *
 * Skipped where it cannot or should not apply: on Node without `process.execve` (before 22.15,
 * and Windows), when the semi-space size is already chosen (in the node flags or NODE_OPTIONS),
 * and when PROMPT_DESCENT_RELAUNCH=0.
 */

/** MB per semi-space; the young generation is about three of them. */
export const SEMI_SPACE_MB = 2
const FLAG = '--max-semi-space-size'
export const RELAUNCH_ENV = 'PROMPT_DESCENT_RELAUNCH'

export interface LaunchState {
  execPath: string
  execArgv: readonly string[]
  argv: readonly string[]
  env: NodeJS.ProcessEnv
  canExecve: boolean
}

/** The argv to restart with, or undefined to run as launched. */
export function relaunchArgv(state: LaunchState): string[] | undefined {
  if (!state.canExecve) return undefined
  if (state.env[RELAUNCH_ENV] === '0') return undefined
  const chosen = (arg: string) => arg === FLAG || arg.startsWith(`${FLAG}=`)
  if (state.execArgv.some(chosen)) return undefined
  if ((state.env['NODE_OPTIONS'] ?? '').split(/\s+/).some(chosen)) return undefined
  const script = state.argv[1]
  if (script === undefined) return undefined
  return [
    state.execPath,
    `${FLAG}=${SEMI_SPACE_MB}`,
    ...state.execArgv,
    script,
    ...state.argv.slice(2)
  ]
}

/** Restarts the process with the small young generation; returns only when it does not. */
export function relaunchWithSmallYoungGeneration(): void {
  const execve = process.execve
  const argv = relaunchArgv({
    execPath: process.execPath,
    execArgv: process.execArgv,
    argv: process.argv,
    env: process.env,
    canExecve: typeof execve === 'function' && process.platform !== 'win32'
  })
  if (argv === undefined || execve === undefined) return
  // No loop: the restarted process has the flag in its execArgv, so it runs as launched.
  try {
    execve.call(process, process.execPath, argv, process.env)
  } catch {
    // The replacement failed (it reports before replacing anything): run as launched.
  }
}
