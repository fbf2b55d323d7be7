/**
 * How to repeat an optimize run: the CLI command and the action step, with the same method, task,
 * prompt, budget overrides and seed (the seed and the rest live in the config, named by its hash).
 */
import { methodScope } from '../config/methods.js'
import { safeUrl } from '../llm/provider-env.js'
import type { LoadedProject } from '../config/project-types.js'
import type { ReproduceInfo } from '../report/markdown-optimize.js'
import { TOOL_NAME, VERSION } from '../version.js'
import type { RunContext } from './context.js'
import type { ActionSettings } from './inputs.js'
import { isSharedRequest, type OptimizeRequest } from './optimize-request.js'

/**
 * The step when the workflow did not say which repository the action came from (a local
 * `uses: ./…`): the form the README's Install section gives, to fill in.
 */
const UNKNOWN_USES = '<owner>/prompt-descent@<commit sha>'
/** Where the clone goes, and so the CLI's path in the command. */
const CLONE_DIR = 'prompt-descent'

/** A word for a POSIX shell: bare when safe, else single-quoted. */
export function shellWord(word: string): string {
  return /^[\w./=:@%+-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`
}

const BUDGET_FLAGS = [
  ['usd', '--max-usd', 'budget-usd'],
  ['calls', '--max-calls', 'max-calls'],
  ['tokens', '--max-tokens', 'max-tokens'],
  ['minutes', '--max-minutes', 'max-minutes']
] as const

export function reproduceInfo(args: {
  settings: ActionSettings
  context: RunContext
  request: OptimizeRequest
  project: LoadedProject
  commit: string | undefined
  env?: NodeJS.ProcessEnv
}): ReproduceInfo {
  const { settings, request } = args
  const env = args.env ?? process.env
  const words = [
    'node',
    `${CLONE_DIR}/dist/cli/index.js`,
    'optimize',
    '--config',
    settings.configPath
  ]
  const inputs: Array<[string, string]> = [['mode', 'optimize']]
  if (settings.configPath !== 'prompt-descent.yml') inputs.push(['config', settings.configPath])
  words.push('--method', request.method)
  inputs.push(['method', request.method])
  if (!isSharedRequest(request)) {
    words.push('--task', request.task ?? '', '--prompt', request.edit)
    inputs.push(['task', request.task ?? ''], ['prompt', request.edit])
  } else {
    // A method that also does one task's prompt (GEPA) reaches the shared system prompt only when
    // asked for the system prompt: without it, the command would stop at "name a task".
    if (methodScope(request.method) !== 'shared-system') {
      words.push('--prompt', 'system')
      inputs.push(['prompt', 'system'])
    }
    if (request.tasks.length > 0) {
      for (const task of request.tasks) words.push('--task', task)
      inputs.push(['tasks', request.tasks.join(' ')])
    }
  }
  words.push('--seed', String(request.seed))
  for (const [cap, flag, input] of BUDGET_FLAGS) {
    const value = request.budget[cap]
    if (value === undefined) continue
    words.push(flag, String(value))
    inputs.push([input, String(value)])
  }
  // The endpoint may be private (a proxy with a key in its URL, an internal host): the pull request
  // names its origin only; the workflow that ran has the real value.
  if (settings.baseUrl)
    inputs.push(['base-url', `${safeUrl(settings.baseUrl)} (as in the workflow)`])
  const repository = env['GITHUB_ACTION_REPOSITORY']
  const ref = env['GITHUB_ACTION_REF']
  return {
    commit: args.commit,
    setup: setupLines(repository, ref, args.context.serverUrl),
    command: words.map(shellWord).join(' '),
    uses: repository && ref ? `${repository}@${ref}` : UNKNOWN_USES,
    inputs
  }
}

/**
 * How to get the CLI today, as the README's Install section says: the package is not on npm yet,
 * so a clone of the action's repository at the commit the workflow ran (its dist/ is committed).
 */
function setupLines(
  repository: string | undefined,
  ref: string | undefined,
  serverUrl: string | undefined
): string[] {
  const note = `# ${TOOL_NAME} ${VERSION} is not on npm yet: run it from a clone of the action's repository (dist/ is committed)`
  if (!repository || !ref) {
    return [
      note,
      `# at the commit this workflow used — e.g. git clone <its URL> ${CLONE_DIR} && npm --prefix ${CLONE_DIR} ci`
    ]
  }
  const url = `${(serverUrl || 'https://github.com').replace(/\/+$/, '')}/${repository}.git`
  return [
    note,
    [
      ['git', 'clone', '--quiet', url, CLONE_DIR],
      ['git', '-C', CLONE_DIR, 'checkout', '--quiet', ref],
      ['npm', '--prefix', CLONE_DIR, 'ci']
    ]
      .map((cmd) => cmd.map(shellWord).join(' '))
      .join(' && ')
  ]
}
