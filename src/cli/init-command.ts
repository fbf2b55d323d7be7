import { lstat, mkdir, open, readFile, readdir, writeFile } from 'node:fs/promises'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { datasetFormat, parseDataset } from '../config/datasets.js'
import {
  STARTER_FILES,
  planTasks,
  starterConfigText,
  starterPlan
} from '../config/starter-config.js'
import type {
  FoundDataset,
  FoundPrompt,
  FoundPromptFile,
  InitPlan
} from '../config/starter-config.js'
import { isGithubPromptFile, parseGithubPromptFile } from '../config/github-prompt-file.js'
import { isMessagesFile, parseMessagesFile } from '../config/messages-file.js'
import type { RawRow } from '../config/datasets.js'
import { templateSlots } from '../config/template.js'
import { ExitCode, InputError, errorMessage } from '../errors.js'
import type { CommandContext } from './context.js'

/** The action's default report folder, ignored along with the cache. */
export const REPORT_DIR = 'prompt-descent-report'
const IGNORED = ['.prompt-descent/', `${REPORT_DIR}/`]

/** Folders never searched: dependencies, builds, VCS and our own output. */
const SKIP_DIRS = new Set([
  'node_modules',
  'dist',
  'build',
  'out',
  'coverage',
  'vendor',
  REPORT_DIR
])
const MAX_DEPTH = 6
const MAX_FILES = 5000
const MAX_PROMPT_BYTES = 256 * 1024
const MAX_DATA_BYTES = 8 * 1024 * 1024
/** Rows read to learn a dataset's fields and labels. */
const SAMPLE_ROWS = 200
const PROMPT_EXT = /\.(md|txt|prompt)$/i
const NOT_PROMPTS = /^(readme|changelog|license|contributing|code_of_conduct|security)\b/i
const NOT_DATA =
  /^(package(-lock)?\.json|tsconfig.*\.json|prompt-descent.*\.ya?ml|.*\.config\.json|composer\.json|renovate\.json|\.?eslintrc.*|docker-compose.*\.ya?ml|action\.ya?ml)$/i

/** Repository files under `root` worth a look, relative with `/`, bounded in depth and count. */
async function listFiles(root: string): Promise<string[]> {
  const found: string[] = []
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH || found.length >= MAX_FILES) return
    let entries
    try {
      entries = await readdir(dir, { withFileTypes: true })
    } catch {
      return
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    for (const entry of entries) {
      if (found.length >= MAX_FILES) return
      if (entry.name.startsWith('.')) continue
      const full = join(dir, entry.name)
      // Symbolic links are not followed: everything found stays inside the repository.
      if (entry.isDirectory() && !SKIP_DIRS.has(entry.name)) await walk(full, depth + 1)
      else if (entry.isFile()) found.push(relative(root, full).split(sep).join('/'))
    }
  }
  await walk(root, 0)
  return found
}

async function readSmall(path: string, max: number): Promise<string | undefined> {
  const info = await lstat(path)
  if (!info.isFile() || info.size > max) return undefined
  const handle = await open(path, 'r')
  try {
    return await handle.readFile('utf8')
  } finally {
    await handle.close()
  }
}

async function findPrompt(root: string, path: string): Promise<FoundPrompt | undefined> {
  const name = path.split('/').pop() ?? path
  if (!PROMPT_EXT.test(name) || NOT_PROMPTS.test(name)) return undefined
  const text = await readSmall(join(root, path), MAX_PROMPT_BYTES)
  if (text === undefined) return undefined
  const slots = templateSlots(text)
  if (slots.length === 0 && !/^system/i.test(name)) return undefined
  return { path, slots }
}

/** The slots of every message, in order of first use. */
function messageSlots(messages: ReadonlyArray<{ content: string }>): string[] {
  return [...new Set(messages.flatMap((m) => templateSlots(m.content)))]
}

/**
 * A chat-messages file (YAML/JSON with a `messages:` list) with at least one slot to fill. A file
 * that merely mentions `messages` but is not one is left to the dataset check.
 */
async function findMessagesPrompt(root: string, path: string): Promise<FoundPrompt | undefined> {
  const name = path.split('/').pop() ?? path
  if (!isMessagesFile(path) || NOT_DATA.test(name)) return undefined
  const text = await readSmall(join(root, path), MAX_PROMPT_BYTES)
  if (text === undefined || !/(^|["{,\s])messages["']?\s*:/m.test(text)) return undefined
  let slots: string[]
  try {
    slots = messageSlots(parseMessagesFile(text, path))
  } catch {
    return undefined
  }
  return slots.length === 0 ? undefined : { path, slots, kind: 'messages' }
}

/** A GitHub Models prompt file, or a line saying why it cannot be used as it is. */
async function findPromptFile(
  root: string,
  path: string
): Promise<FoundPromptFile | string | undefined> {
  const text = await readSmall(join(root, path), MAX_DATA_BYTES)
  if (text === undefined) return undefined
  try {
    const file = parseGithubPromptFile(text, path)
    return {
      path,
      slots: messageSlots(file.messages),
      data: datasetOf(path, file.testData),
      evaluators: file.evaluators.length,
      model: file.model
    }
  } catch (error) {
    return `${path}: not a prompt file init can read — ${errorMessage(error).split('\n')[0] ?? ''}`
  }
}

/** Rows' field names (in order of first appearance) and values, over the first rows. */
function datasetOf(path: string, rows: readonly RawRow[]): FoundDataset {
  const fields: string[] = []
  const values: Record<string, unknown[]> = {}
  for (const row of rows.slice(0, SAMPLE_ROWS)) {
    for (const [key, value] of Object.entries(row.fields)) {
      if (!fields.includes(key)) fields.push(key)
      ;(values[key] ??= []).push(value)
    }
  }
  return { path, rows: rows.length, fields, values }
}

async function findDataset(root: string, path: string): Promise<FoundDataset | undefined> {
  const name = path.split('/').pop() ?? path
  if (datasetFormat(path) === undefined || NOT_DATA.test(name)) return undefined
  const text = await readSmall(join(root, path), MAX_DATA_BYTES)
  if (text === undefined) return undefined
  let rows
  try {
    rows = parseDataset(text, path)
  } catch {
    return undefined // not rows of records: a config, a manifest…
  }
  const found = datasetOf(path, rows)
  if (found.fields.length < 2) return undefined
  return found
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path)
    return true
  } catch {
    return false
  }
}

/** Appends the lines `.gitignore` lacks; returns them. */
async function ignore(root: string, lines: readonly string[]): Promise<string[]> {
  const path = join(root, '.gitignore')
  let text = ''
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const have = new Set(text.split(/\r?\n/).map((l) => l.trim().replace(/^\//, '')))
  const missing = lines.filter((l) => !have.has(l) && !have.has(l.replace(/\/$/, '')))
  if (missing.length === 0) return []
  const sep = text === '' || text.endsWith('\n') ? '' : '\n'
  await writeFile(
    path,
    `${text}${sep}# prompt-descent: response cache and reports\n${missing.join('\n')}\n`
  )
  return missing
}

/**
 * How to run this CLI again, as the user launched it: `npx prompt-descent` when it runs from an
 * installed package (node_modules), else `node <path to the script>` (a clone of the repository).
 */
export function selfCommand(script: string | undefined, cwd: string): string {
  if (script === undefined || script.split(sep).includes('node_modules'))
    return 'npx prompt-descent'
  const near = relative(cwd, script)
  const path = near !== '' && near.length < script.length ? near : script
  return `node ${/\s/.test(path) ? JSON.stringify(path) : path}`
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/**
 * `prompt-descent init`: finds prompt templates and datasets under the config's folder and writes a
 * commented config that pairs them (or a starter task and its two files), ignores the cache and
 * report folders in `.gitignore`, and prints the next command. Never overwrites an existing config.
 */
export async function runInitCommand(context: CommandContext): Promise<number> {
  const { args, io, logger } = context
  const configPath = resolve(io.cwd, args.config)
  const root = dirname(configPath)
  const shown = relative(io.cwd, configPath) || args.config
  if (await exists(configPath)) {
    throw new InputError(
      'a config is already there; init never overwrites one (edit it, or pass --config NEW.yml)',
      { file: shown }
    )
  }
  const files = await listFiles(root)
  const prompts: FoundPrompt[] = []
  const datasets: FoundDataset[] = []
  const promptFiles: FoundPromptFile[] = []
  const unreadable: string[] = []
  for (const file of files) {
    if (isGithubPromptFile(file)) {
      const found = await findPromptFile(root, file)
      if (typeof found === 'string') unreadable.push(found)
      else if (found) promptFiles.push(found)
      continue
    }
    const prompt = (await findPrompt(root, file)) ?? (await findMessagesPrompt(root, file))
    if (prompt) prompts.push(prompt)
    else {
      const data = await findDataset(root, file)
      if (data) datasets.push(data)
    }
  }
  let plan: InitPlan = planTasks(prompts, datasets, promptFiles)
  plan = { ...plan, unmatched: [...unreadable, ...plan.unmatched] }
  const starter = plan.tasks.length === 0 && plan.promptFileTasks.length === 0
  const templates = prompts.filter((p) => p.slots.length > 0 && p.kind !== 'messages').length
  const messages = prompts.filter((p) => p.kind === 'messages').length
  const parts = [
    plural(templates, 'prompt template'),
    ...(messages > 0 ? [plural(messages, 'messages file')] : []),
    ...(promptFiles.length > 0 ? [plural(promptFiles.length, 'GitHub Models prompt file')] : []),
    plural(datasets.length, 'dataset')
  ]
  let found = `Found ${parts.slice(0, -1).join(', ')} and ${parts.at(-1) ?? ''}.`
  const written: string[] = []
  if (starter) {
    for (const file of [STARTER_FILES.prompt, STARTER_FILES.data]) {
      if (await exists(join(root, file.path))) {
        throw new InputError(
          `no prompt template and dataset that fit were found, and the starter task's ${file.path} is already there; write the config by hand (see the README's Configuration)`,
          { file: file.path }
        )
      }
    }
    found += ' None fit together, so this is a starter task to replace with your own.'
    plan = { ...starterPlan(), unmatched: plan.unmatched }
  }
  for (const line of plan.unmatched) logger.warn(`init: ${line}`)
  try {
    if (starter) {
      for (const file of [STARTER_FILES.prompt, STARTER_FILES.data]) {
        await mkdir(dirname(join(root, file.path)), { recursive: true })
        await writeFile(join(root, file.path), file.text, { flag: 'wx' })
        written.push(file.path)
      }
    }
    await writeFile(configPath, starterConfigText(plan, { found, reportDir: REPORT_DIR }), {
      flag: 'wx'
    })
  } catch (error) {
    throw new InputError(`could not write the config: ${errorMessage(error)}`, { file: shown })
  }
  const ignored = await ignore(root, IGNORED)
  const config = args.config === 'prompt-descent.yml' ? '' : ` --config ${args.config}`
  const tasks = [
    ...plan.tasks.map((t) => `${t.name} (${t.prompt.path} × ${t.data.path})`),
    ...plan.promptFileTasks.map((t) => `${t.name} (${t.file.path}, its testData)`)
  ]
  logger.info(`wrote ${shown}: ${plural(tasks.length, 'task')}: ${tasks.join(', ')}`)
  for (const file of written) logger.info(`wrote ${file}`)
  if (ignored.length > 0) logger.info(`added ${ignored.join(' and ')} to .gitignore`)
  const self = selfCommand(process.argv[1], io.cwd)
  const key =
    plan.provider === 'github-models' ? 'GITHUB_TOKEN=$(gh auth token)' : 'OPENAI_API_KEY=…'
  io.stdout(
    `Next: ${self} eval${config} --estimate      # what a run costs; no call is made\n` +
      `Then: export ${key}; ${self} eval${config} --markdown ${REPORT_DIR}/report.md\n`
  )
  return ExitCode.ok
}
