/**
 * Loads a whole project: the config, every prompt file and every dataset, checked against each
 * other (slots against row fields, labels against choices) before any model is called.
 * All file access goes through one FileReader, so the same code can load the working tree or,
 * through `git show <sha>:<path>`, the files of another commit.
 */
import path from 'node:path'
import { InputError } from '../errors.js'
import { sha256 } from '../util/hash.js'
import { throwIssues } from './issues.js'
import type { Issue } from './issues.js'
import { loadConfigText } from './parse-config.js'
import type { ParsedConfig } from './parse-config.js'
import { createFsReader, readFailureReason, tryRepoPath } from './paths.js'
import type { FileReader } from './paths.js'
import { buildExamples, checkValueGaps } from './examples.js'
import { buildTaskPrompt } from './task-prompt.js'
import { isGithubPromptFile, parseGithubPromptFile } from './github-prompt-file.js'
import { evaluatorChecks, promptFileResponseFormat } from './prompt-file-checks.js'
import { promptFileTarget } from './task-models.js'
import type { TaskConfig } from './types.js'
import type { LoadedProject, LoadedTask, PromptFile } from './project-types.js'
import { readSchemaFile, schemaFileRefs, withSchemaValues } from './schema-files.js'
import { formatKeyPath } from './yaml-source.js'
import type { KeyPath } from './yaml-source.js'

export { loadConfigText, parseConfig } from './parse-config.js'
export type { ParsedConfig } from './parse-config.js'

export interface LoadProjectOptions {
  /** Repository root; default the directory of the config file. */
  root?: string
  /**
   * Reads a file by its root-relative path (forward slashes). Default: the working tree under the
   * root, refusing symbolic links that lead outside it. A reader for another commit should throw an
   * error with `code: 'ENOENT'` for a missing file, so the message says "no such file".
   */
  readFile?: FileReader
}

/** Reads, validates and cross-checks the config and every file it names. */
export async function loadProject(
  configPath: string,
  options: LoadProjectOptions = {}
): Promise<LoadedProject> {
  const absoluteConfig = path.resolve(configPath)
  const root = path.resolve(options.root ?? path.dirname(absoluteConfig))
  const configRel = path.relative(root, absoluteConfig).split(path.sep).join('/')
  if (configRel === '' || configRel.startsWith('..') || path.isAbsolute(configRel))
    throw new InputError(`the config file must be inside the repository root ${root}`, {
      file: configPath
    })
  const reader = options.readFile ?? createFsReader(root)

  let text: string
  try {
    text = await reader(configRel)
  } catch (error) {
    throw new InputError(`cannot read the config file: ${readFailureReason(error)}`, {
      file: configRel,
      cause: error
    })
  }
  const parsed = loadConfigText(text, configRel)
  const files = new ProjectFiles(root, configRel, parsed, reader)
  const schemaRefs = parsed.config.tasks.flatMap((task, i) => schemaFileRefs(task, i))

  // Check every path before reading any, so all such mistakes are reported together.
  files.check(parsed.config.systemPrompt, ['system_prompt'])
  files.check(parsed.config.cache.dir, ['cache', 'dir'])
  parsed.config.tasks.forEach((task, i) => {
    files.check(task.prompt, ['tasks', i, 'prompt'])
    files.check(task.data, ['tasks', i, 'data'])
    files.check(task.systemPrompt, ['tasks', i, 'system_prompt'])
  })
  for (const ref of schemaRefs) files.check(ref.schema.file, ref.key)
  files.throwIfProblems()

  const schemaValues = new Map<string, Record<string, unknown>>()
  for (const ref of schemaRefs) {
    const schemaText = await files.read(ref.schema.file, ref.key)
    if (schemaText === undefined) continue
    const read = readSchemaFile(
      stripBom(schemaText),
      files.relative(ref.schema.file),
      ref.key,
      ref.strict
    )
    if ('issues' in read) files.report(read.issues)
    else schemaValues.set(ref.schema.file, read.value)
  }
  files.throwIfProblems()
  const config =
    schemaRefs.length === 0
      ? parsed.config
      : {
          ...parsed.config,
          tasks: parsed.config.tasks.map((task) => withSchemaValues(task, schemaValues))
        }

  const shared = files.prompt(config.systemPrompt, ['system_prompt'])
  const loaded = config.tasks.map(async (task, i) => ({
    task,
    promptFile: await files.prompt(task.prompt, ['tasks', i, 'prompt']),
    ownSystem: await files.prompt(task.systemPrompt, ['tasks', i, 'system_prompt']),
    data: await files.read(task.data, ['tasks', i, 'data'])
  }))
  const sharedSystemPrompt = await shared
  const results = await Promise.all(loaded)
  files.throwIfProblems()

  const prompts = results.map(({ promptFile, ownSystem }, i) => {
    if (promptFile === undefined) throw new Error('unreachable: unread file')
    return buildTaskPrompt(
      {
        file: promptFile,
        ownSystem,
        sharedSystem: sharedSystemPrompt,
        edit: config.optimize.edit,
        taskKey: ['tasks', i]
      },
      (key, message) => files.problem(key, message)
    )
  })
  files.throwIfProblems()

  const warnings: Issue[] = []
  const tasks = results.map(({ task: configured, data, promptFile }, i): LoadedTask => {
    const prompt = prompts[i]
    if (prompt === undefined || data === undefined || promptFile === undefined)
      throw new Error('unreachable: unread file')
    const ghFile = isGithubPromptFile(promptFile.path)
      ? parseGithubPromptFile(promptFile.text, promptFile.path)
      : undefined
    if (ghFile !== undefined) warnings.push(...ghFile.warnings)
    // A prompt file's evaluators are the task's checks unless the config gives a metric or checks.
    const fromFile =
      configured.metricDefaulted === true && ghFile !== undefined
        ? evaluatorChecks(ghFile.evaluators)
        : undefined
    let task: TaskConfig = fromFile === undefined ? configured : { ...configured, checks: fromFile }
    // The file's responseFormat / jsonSchema, unless the config gives tasks[].response_format.
    const format = ghFile === undefined ? undefined : promptFileResponseFormat(ghFile)
    if (format !== undefined && task.responseFormat === undefined)
      task = { ...task, responseFormat: format }
    // On GitHub Models, the file's `model` (with its modelParameters) answers the task, unless
    // the config gives tasks[].model; other providers do not take publisher/model ids.
    const fileTarget =
      ghFile === undefined || config.provider.type !== 'github-models'
        ? undefined
        : promptFileTarget(ghFile, config.models.target)
    if (fileTarget !== undefined && task.target === undefined)
      task = { ...task, target: fileTarget }
    if (task !== configured) config.tasks[i] = task
    const dataFile = files.relative(task.data)
    const examples = buildExamples(task, prompt, dataFile, data)
    for (const gap of checkValueGaps(task, examples, dataFile))
      files.problem(['tasks', i, 'checks', gap.check, 'value'], gap.message)
    const loaded: LoadedTask = {
      config: task,
      name: task.name,
      prompt,
      examples,
      dataHash: sha256(data)
    }
    if (ghFile?.name !== undefined) loaded.title = ghFile.name
    return loaded
  })
  files.throwIfProblems()
  return {
    root,
    configPath: configRel,
    configHash: parsed.configHash,
    config,
    sharedSystemPrompt,
    tasks,
    ...(warnings.length > 0 ? { warnings } : {})
  }
}

/** Path checks and reads for one project, collecting problems against the config's keys. */
class ProjectFiles {
  private readonly issues: Issue[] = []
  private readonly cache = new Map<string, Promise<string>>()
  constructor(
    private readonly root: string,
    private readonly configFile: string,
    private readonly parsed: ParsedConfig,
    private readonly reader: FileReader
  ) {}

  check(value: string | undefined, key: KeyPath): void {
    if (value === undefined) return
    const resolved = tryRepoPath(this.root, value)
    if ('problem' in resolved) this.problem(key, resolved.problem)
  }

  relative(value: string): string {
    const resolved = tryRepoPath(this.root, value)
    return 'problem' in resolved ? value : resolved.relative
  }

  async read(value: string | undefined, key: KeyPath): Promise<string | undefined> {
    if (value === undefined) return undefined
    const rel = this.relative(value)
    let pending = this.cache.get(rel)
    if (!pending) {
      pending = this.reader(rel)
      this.cache.set(rel, pending)
    }
    try {
      return await pending
    } catch (error) {
      this.problem(key, `cannot read ${rel}: ${readFailureReason(error)}`)
      return undefined
    }
  }

  async prompt(value: string | undefined, key: KeyPath): Promise<PromptFile | undefined> {
    const text = await this.read(value, key)
    if (value === undefined || text === undefined) return undefined
    return { path: this.relative(value), text: stripBom(text) }
  }

  /** Problems found inside another file (a schema file), reported with the config's own. */
  report(issues: readonly Issue[]): void {
    this.issues.push(...issues)
  }

  problem(key: KeyPath, message: string): void {
    const line = this.parsed.lineOf(key)
    this.issues.push({ file: this.configFile, line, path: formatKeyPath(key), message })
  }

  throwIfProblems(): void {
    throwIssues(this.issues)
  }
}

function stripBom(text: string): string {
  return text.startsWith('\uFEFF') ? text.slice(1) : text
}
