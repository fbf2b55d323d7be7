import { OPTIMIZE_METHODS, type OptimizeMethod } from '../config/methods.js'
import { parseArgs } from 'node:util'
import { InputError } from '../errors.js'

export type CommandName =
  'eval' | 'optimize' | 'compare' | 'demo' | 'history' | 'init' | 'help' | 'version'

export interface BudgetFlags {
  usd: number | undefined
  tokens: number | undefined
  calls: number | undefined
  minutes: number | undefined
}

export interface CliArgs {
  command: CommandName
  positionals: string[]
  config: string
  tasks: string[]
  split: 'dev' | 'test' | 'all' | undefined
  json: string | undefined
  markdown: string | undefined
  junit: string | undefined
  junitPerExample: boolean
  estimate: boolean
  cache: boolean
  budget: BudgetFlags
  method: OptimizeMethod | undefined
  edit: 'user' | 'system' | undefined
  write: boolean
  writeUserPrompts: boolean
  out: string | undefined
  holdout: string[]
  seed: number | undefined
  base: string | undefined
  head: string | undefined
  file: string | undefined
  svg: string | undefined
  quiet: boolean
  optimize: boolean
  adapt: boolean
  /** --samples K: target replies per example for every task (1–100). */
  samples: number | undefined
}

const BUDGET_FLAGS = ['max-usd', 'max-tokens', 'max-calls', 'max-minutes']
const REPORT_FLAGS = ['json', 'markdown', 'junit', 'junit-per-example']
const COMMON_FLAGS = [
  'config',
  'samples',
  'task',
  'estimate',
  'no-cache',
  'quiet',
  ...BUDGET_FLAGS,
  ...REPORT_FLAGS
]

/** The flags each command takes: a flag given to a command that would ignore it is an error. */
const FLAGS_OF = {
  eval: [...COMMON_FLAGS, 'split'],
  compare: [...COMMON_FLAGS, 'split', 'base', 'head'],
  optimize: [
    ...COMMON_FLAGS,
    'method',
    'prompt',
    'holdout',
    'adapt',
    'seed',
    'write',
    'write-user-prompts',
    'out'
  ],
  demo: ['seed', 'no-optimize', 'no-cache', 'split', 'quiet', ...BUDGET_FLAGS, ...REPORT_FLAGS],
  history: ['file', 'task', 'svg', 'quiet'],
  'history append': [...COMMON_FLAGS, 'split', 'file'],
  init: ['config', 'quiet']
} as const satisfies Record<
  Exclude<CommandName, 'help' | 'version'> | 'history append',
  readonly string[]
>

const COMMANDS: readonly CommandName[] = [
  'eval',
  'optimize',
  'compare',
  'demo',
  'history',
  'init',
  'help',
  'version'
]

function positiveNumber(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0) {
    throw new InputError(`${flag} expects a positive number, got "${value}"`)
  }
  return n
}

function oneOf<T extends string>(
  flag: string,
  value: string | undefined,
  allowed: readonly T[]
): T | undefined {
  if (value === undefined) return undefined
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InputError(`${flag} expects one of ${allowed.join(', ')}, got "${value}"`)
  }
  return value as T
}

/** Parses argv (without node and script). Throws InputError (exit 2) naming the bad flag. */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  const [first, ...rest] = argv
  if (first === undefined || first === '--help' || first === '-h') return emptyArgs('help')
  if (first === '--version' || first === '-v') return emptyArgs('version')
  if (!(COMMANDS as readonly string[]).includes(first)) {
    throw new InputError(
      `unknown command "${first}"; expected one of ${COMMANDS.join(', ')} (see --help)`
    )
  }
  if (first === 'help') return helpArgs(rest[0])
  // `CMD --help` shows that command's help, whatever else is on the line.
  if (rest.some((a) => a === '--help' || a === '-h')) return helpArgs(first)
  let parsed
  try {
    parsed = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: 'string', short: 'c' },
        task: { type: 'string', multiple: true },
        split: { type: 'string' },
        json: { type: 'string' },
        markdown: { type: 'string' },
        junit: { type: 'string' },
        'junit-per-example': { type: 'boolean' },
        estimate: { type: 'boolean' },
        'no-cache': { type: 'boolean' },
        'max-usd': { type: 'string' },
        'max-tokens': { type: 'string' },
        'max-calls': { type: 'string' },
        'max-minutes': { type: 'string' },
        method: { type: 'string' },
        prompt: { type: 'string' },
        write: { type: 'boolean' },
        'write-user-prompts': { type: 'boolean' },
        out: { type: 'string' },
        holdout: { type: 'string', multiple: true },
        seed: { type: 'string' },
        samples: { type: 'string' },
        base: { type: 'string' },
        head: { type: 'string' },
        file: { type: 'string' },
        svg: { type: 'string' },
        quiet: { type: 'boolean', short: 'q' },
        'no-optimize': { type: 'boolean' },
        adapt: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' }
      }
    })
  } catch (error) {
    throw new InputError(`${(error as Error).message} (see prompt-descent --help)`)
  }
  const v = parsed.values
  const name = first === 'history' && parsed.positionals[0] === 'append' ? 'history append' : first
  const allowed = FLAGS_OF[name as keyof typeof FLAGS_OF]
  const stray = Object.keys(v).filter((flag) => !(allowed as readonly string[]).includes(flag))
  if (stray.length > 0) {
    throw new InputError(
      `${name} does not take ${stray.map((f) => `--${f}`).join(', ')} (see prompt-descent --help)`
    )
  }
  const needs = flagNeeds(first as CommandName, parsed.positionals, v)
  if (needs) throw new InputError(`${needs} (see prompt-descent ${name} --help)`)
  const seed = v.seed === undefined ? undefined : Number(v.seed)
  if (seed !== undefined && !Number.isInteger(seed)) {
    throw new InputError(`--seed expects an integer, got "${v.seed}"`)
  }
  const samples = v.samples === undefined ? undefined : Number(v.samples)
  if (samples !== undefined && !(Number.isInteger(samples) && samples >= 1 && samples <= 100)) {
    throw new InputError(`--samples expects a whole number from 1 to 100, got "${v.samples}"`)
  }
  return {
    command: first as CommandName,
    positionals: parsed.positionals,
    config: v.config ?? 'prompt-descent.yml',
    tasks: v.task ?? [],
    split: oneOf('--split', v.split, ['dev', 'test', 'all'] as const),
    json: v.json,
    markdown: v.markdown,
    junit: v.junit,
    junitPerExample: v['junit-per-example'] ?? false,
    estimate: v.estimate ?? false,
    cache: !(v['no-cache'] ?? false),
    budget: {
      usd: positiveNumber('--max-usd', v['max-usd']),
      tokens: positiveNumber('--max-tokens', v['max-tokens']),
      calls: positiveNumber('--max-calls', v['max-calls']),
      minutes: positiveNumber('--max-minutes', v['max-minutes'])
    },
    method: oneOf('--method', v.method, OPTIMIZE_METHODS),
    edit: oneOf('--prompt', v.prompt, ['user', 'system'] as const),
    write: v.write ?? false,
    writeUserPrompts: v['write-user-prompts'] ?? false,
    out: v.out,
    holdout: v.holdout ?? [],
    seed,
    base: v.base,
    head: v.head,
    file: v.file,
    svg: v.svg,
    quiet: v.quiet ?? false,
    optimize: !(v['no-optimize'] ?? false),
    adapt: v.adapt ?? false,
    samples
  }
}

/**
 * A flag that only means something with another one, or a history subcommand missing its file:
 * the message, or undefined when the line is consistent.
 */
function flagNeeds(
  command: CommandName,
  positionals: readonly string[],
  v: {
    junit?: string
    'junit-per-example'?: boolean
    write?: boolean
    'write-user-prompts'?: boolean
    file?: string
  }
): string | undefined {
  if (v['junit-per-example'] && v.junit === undefined) {
    return '--junit-per-example needs --junit FILE (the per-example test cases go into that file)'
  }
  if (v['write-user-prompts'] && !v.write) {
    return '--write-user-prompts needs --write (it widens what --write replaces)'
  }
  if (command !== 'history' && command !== 'demo' && positionals.length > 0) {
    return `${command} takes no argument "${positionals[0] ?? ''}" (a flag needs its -- prefix)`
  }
  if (command === 'demo' && positionals.length > 1) {
    return `demo takes one folder, got "${positionals.join('", "')}"`
  }
  if (command !== 'history') return undefined
  const [sub, ...extra] = positionals
  if (sub === undefined) return undefined
  if (sub !== 'append') return `history: unknown subcommand "${sub}"; expected append`
  if (extra.length > 0) return `history append: unexpected argument "${extra[0] ?? ''}"`
  if (v.file === undefined) {
    return 'history append needs --file FILE (the history file to append to; created when missing)'
  }
  return undefined
}

/** `help [COMMAND]` and `COMMAND --help`: the help of one command, or the overview. */
function helpArgs(topic: string | undefined): CliArgs {
  const args = emptyArgs('help')
  if (topic === undefined) return args
  if (!(COMMANDS as readonly string[]).includes(topic) || topic === 'version') {
    throw new InputError(
      `no help for "${topic}"; commands: ${COMMANDS.filter((c) => c !== 'version').join(', ')}`
    )
  }
  return { ...args, positionals: [topic] }
}

function emptyArgs(command: CommandName): CliArgs {
  return {
    command,
    positionals: [],
    config: 'prompt-descent.yml',
    tasks: [],
    split: undefined,
    json: undefined,
    markdown: undefined,
    junit: undefined,
    junitPerExample: false,
    estimate: false,
    cache: true,
    budget: { usd: undefined, tokens: undefined, calls: undefined, minutes: undefined },
    method: undefined,
    edit: undefined,
    write: false,
    writeUserPrompts: false,
    out: undefined,
    holdout: [],
    seed: undefined,
    base: undefined,
    head: undefined,
    file: undefined,
    svg: undefined,
    quiet: false,
    optimize: true,
    adapt: false,
    samples: undefined
  }
}
