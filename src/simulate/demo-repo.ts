/**
 * `prompt-descent demo`: writes a synthetic repository — config, prompt files, datasets — that runs
 * entirely on the simulated provider. One task (support-ticket triage) by default, with a chat-prompt
 * config of it and a JSON extraction task on invoices beside it; with `multiTask`
 * a domain family of seven review tasks, three of them held out for MetaSPO's transfer test.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import { InputError } from '../errors.js'
import {
  DEMO_INVOICES_CONFIG_FILE,
  DEMO_INVOICES_PROMPT,
  invoiceDemoFiles
} from './demo-invoices.js'
import { DEFAULT_SYSTEM_PROMPT, makeDomainFamily } from './family.js'
import { makeSyntheticTask } from './tasks.js'
import type { SyntheticTask } from './tasks.js'

export interface DemoRepositoryOptions {
  seed: number
  /** Write the seven-task review family (4 meta-train + 3 held out) instead of one triage task. */
  multiTask?: boolean
  /** Rows per task (default 120 for the single task, 80 per task for the family). */
  rows?: number
}

export interface DemoRepository {
  /** Absolute path of the repository root. */
  root: string
  /** Absolute path of the config file. */
  configPath: string
  /** Files written, relative to the root, in writing order. */
  files: string[]
  tasks: string[]
  /** Tasks held out of meta-training (multi-task only). */
  holdout: string[]
  /**
   * The single task's prompt again as chat messages (a system message, one worked few-shot
   * example, the templated ticket) with a config of its own; undefined for the multi-task family.
   */
  chat: { configPath: string; promptFile: string } | undefined
  /**
   * A JSON extraction task on synthetic invoices with a config of its own (response_format, a
   * schema check and per-field scores); undefined for the multi-task family.
   */
  invoices: { configPath: string; promptFile: string } | undefined
}

export const DEMO_CHAT_CONFIG_FILE = 'prompt-descent.chat.yml'
const DEMO_CHAT_PROMPT = 'prompts/triage.chat.yml'

/**
 * The triage prompt as a messages file. The worked example shows a negated ticket answered right,
 * which the simulated target learns from as a real model learns from a few-shot turn.
 */
function chatPromptText(task: SyntheticTask): string {
  return [
    '# The triage prompt as chat messages: instructions, one worked example, the ticket.',
    '# The optimizers rewrite the system message or the last user message; the example stays.',
    'messages:',
    '  - role: system',
    '    content: |',
    `      Classify the support ticket as one of: ${task.choices.join(', ')}.`,
    '      Put your answer inside <answer></answer> tags.',
    '  - role: user',
    '    content: "Ticket: This is not about a refund: the export fails every time."',
    '  - role: assistant',
    '    content: <answer>bug</answer>',
    '  - role: user',
    '    content: "Ticket: {{text}}"',
    ''
  ].join('\n')
}

export const DEMO_CONFIG_FILE = 'prompt-descent.yml'

/** First line of every config the demo writes; an existing config without it is never replaced. */
export const DEMO_HEADER = '# Synthetic demo repository written by `prompt-descent demo`.'

const HEADER = [
  DEMO_HEADER,
  '# Everything here runs offline: the simulated provider stands in for an LLM, so the scores',
  '# measure the simulation, not a real model. Point `provider` at a real endpoint to use your own.',
  ''
].join('\n')

/** A scalar as YAML: plain when it is a simple word or path, else a JSON string (valid YAML). */
function scalar(value: string | number): string {
  if (typeof value === 'number') return String(value)
  const plain =
    /^[A-Za-z][\w./-]*$/.test(value) && !/^(?:true|false|null|yes|no|on|off)$/i.test(value)
  return plain ? value : JSON.stringify(value)
}

function list(values: readonly string[]): string {
  return `[${values.map(scalar).join(', ')}]`
}

/** The config, written by hand so it reads like one a person would write. */
function configText(
  seed: number,
  tasks: readonly SyntheticTask[],
  holdout: readonly string[]
): string {
  const lines = [
    HEADER.trimEnd(),
    'provider: { type: simulated }',
    'system_prompt: prompts/system.md',
    `seed: ${scalar(seed)}`,
    'tasks:'
  ]
  for (const task of tasks) {
    lines.push(
      `  - name: ${scalar(task.name)}`,
      `    prompt: ${scalar(`prompts/${task.name}.md`)}`,
      `    data: ${scalar(`evals/${task.name}.jsonl`)}`,
      '    expected: label',
      '    extract: { type: tag, tag: answer }',
      `    metric: { type: choice, choices: ${list(task.choices)}, score: accuracy }`
    )
  }
  lines.push('optimize:')
  if (holdout.length > 0) {
    lines.push('  method: metaspo', `  metaspo: { holdout: ${list(holdout)} }`)
  } else {
    lines.push('  method: apo')
  }
  return `${lines.join('\n')}\n`
}

function jsonl(task: SyntheticTask): string {
  // The hidden traits stay out of the file: the simulated target must read them from the text.
  return (
    task.rows.map((r) => JSON.stringify({ id: r.id, text: r.text, label: r.label })).join('\n') +
    '\n'
  )
}

async function refuseForeignConfig(configPath: string): Promise<void> {
  let existing: string
  try {
    existing = await readFile(configPath, 'utf8')
  } catch {
    return
  }
  if (!existing.startsWith(DEMO_HEADER)) {
    throw new InputError(
      'a prompt-descent.yml that the demo did not write is already there; choose an empty directory',
      { file: configPath }
    )
  }
}

/** Writes the demo repository into `dir` (created if needed) and says what it wrote. */
export async function writeDemoRepository(
  dir: string,
  options: DemoRepositoryOptions
): Promise<DemoRepository> {
  const root = resolve(dir)
  const configPath = join(root, DEMO_CONFIG_FILE)
  await refuseForeignConfig(configPath)
  let tasks: SyntheticTask[]
  let holdout: string[] = []
  if (options.multiTask) {
    const family = makeDomainFamily({ seed: options.seed, size: options.rows ?? 80 })
    tasks = [...family.train, ...family.holdout]
    holdout = family.holdout.map((t) => t.name)
  } else {
    tasks = [
      makeSyntheticTask({
        name: 'triage',
        kind: 'triage',
        size: options.rows ?? 120,
        seed: options.seed,
        plainRate: 0.45,
        traits: ['sarcasm', 'negation', 'two-issues', 'hedging', 'rhetorical', 'caps', 'numeric']
      })
    ]
  }
  const files = new Map<string, string>([
    [DEMO_CONFIG_FILE, configText(options.seed, tasks, holdout)],
    ['prompts/system.md', `${DEFAULT_SYSTEM_PROMPT}\n`]
  ])
  for (const task of tasks) {
    files.set(`prompts/${task.name}.md`, `${task.initialPrompt}\n`)
    files.set(`evals/${task.name}.jsonl`, jsonl(task))
  }
  const single = options.multiTask ? undefined : tasks[0]
  if (single !== undefined) {
    files.set(DEMO_CHAT_PROMPT, chatPromptText(single))
    files.set(
      DEMO_CHAT_CONFIG_FILE,
      configText(options.seed, [single], [])
        .replace('system_prompt: prompts/system.md\n', '')
        .replace(`prompts/${single.name}.md`, DEMO_CHAT_PROMPT)
    )
    for (const [path, text] of invoiceDemoFiles(HEADER, { seed: options.seed })) {
      files.set(path, text)
    }
  }
  for (const [path, text] of files) {
    const absolute = join(root, path)
    await mkdir(dirname(absolute), { recursive: true })
    await writeFile(absolute, text, 'utf8')
  }
  const chat =
    single === undefined
      ? undefined
      : { configPath: join(root, DEMO_CHAT_CONFIG_FILE), promptFile: DEMO_CHAT_PROMPT }
  const invoices =
    single === undefined
      ? undefined
      : { configPath: join(root, DEMO_INVOICES_CONFIG_FILE), promptFile: DEMO_INVOICES_PROMPT }
  return {
    root,
    configPath,
    files: [...files.keys()],
    tasks: tasks.map((t) => t.name),
    holdout,
    chat,
    invoices
  }
}
