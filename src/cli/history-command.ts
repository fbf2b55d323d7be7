import { execFile } from 'node:child_process'
import { mkdir, readFile, stat } from 'node:fs/promises'
import { basename, dirname, join, relative, resolve } from 'node:path'
import { promisify } from 'node:util'
import { ExitCode, InputError, errorMessage } from '../errors.js'
import { DEFAULT_HISTORY_BRANCH, DEFAULT_HISTORY_PATH } from '../github/history-branch.js'
import { chartPath, historyChartSvg } from '../report/history-chart.js'
import { readHistoryText } from '../report/history-check.js'
import { taskNames } from '../report/history-record.js'
import { renderHistoryText } from '../report/history-text.js'
import type { CommandContext } from './context.js'
import { writeFileAtomic } from '../util/confined-write.js'

const run = promisify(execFile)

interface HistorySource {
  text: string
  /** How errors name it: a path, or `branch:path` read with git. */
  name: string
}

async function readLocal(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new InputError(`could not read the history file: ${errorMessage(error)}`, { file: path })
  }
}

/** The data branch's history file from the local clone (the branch, or its remote copy). */
async function readFromGit(cwd: string): Promise<HistorySource | undefined> {
  for (const ref of [DEFAULT_HISTORY_BRANCH, `origin/${DEFAULT_HISTORY_BRANCH}`]) {
    const spec = `${ref}:${DEFAULT_HISTORY_PATH}`
    try {
      const { stdout } = await run('git', ['show', spec], {
        cwd,
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024
      })
      return { text: stdout, name: spec }
    } catch {
      // Not a repository, no such branch or file: try the next place.
    }
  }
  return undefined
}

/**
 * The history to show: `--file`, else `history/history.json` in the current folder, else the data
 * branch through git.
 */
async function findHistory(context: CommandContext): Promise<HistorySource> {
  const { args, io } = context
  if (args.file !== undefined) {
    const path = resolve(io.cwd, args.file)
    const text = await readLocal(path)
    if (text === undefined) {
      throw new InputError('the history file does not exist', { file: args.file })
    }
    return { text, name: args.file }
  }
  const local = await readLocal(resolve(io.cwd, DEFAULT_HISTORY_PATH))
  if (local !== undefined) return { text: local, name: DEFAULT_HISTORY_PATH }
  const fromGit = await readFromGit(io.cwd)
  if (fromGit) return fromGit
  throw new InputError(
    `no history file: pass --file FILE, or fetch the data branch (git fetch origin ${DEFAULT_HISTORY_BRANCH}) so ${DEFAULT_HISTORY_BRANCH}:${DEFAULT_HISTORY_PATH} can be read`
  )
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory()
  } catch {
    return false
  }
}

/**
 * `prompt-descent history [--file FILE] [--task NAME]... [--svg OUT]`: prints each task's records
 * (commit, date, score with interval, n, cost) and a sparkline; with --svg writes the trend chart
 * (one task: OUT is the file, or a folder to put `<task>.svg` in; several: OUT is a folder).
 */
export async function runHistoryCommand(context: CommandContext): Promise<number> {
  const { args, io, logger } = context
  const source = await findHistory(context)
  const records = readHistoryText(source.text, source.name)
  const known = taskNames(records)
  const unknown = args.tasks.filter((t) => !known.includes(t))
  if (unknown.length > 0) {
    throw new InputError(
      `no task named ${unknown.map((t) => `"${t}"`).join(', ')} in the history; it has ${known.length === 0 ? 'no tasks' : known.join(', ')}`,
      { file: source.name, location: '--task' }
    )
  }
  const tasks = args.tasks.length > 0 ? args.tasks : known
  io.stdout(renderHistoryText(records, { tasks }))

  if (args.svg !== undefined && tasks.length > 0) {
    const out = resolve(io.cwd, args.svg)
    const show = (path: string): string => relative(io.cwd, path) || path
    const single = tasks.length === 1 && !(await isFolder(out))
    const folder = single ? dirname(out) : out
    try {
      await mkdir(folder, { recursive: true })
      for (const task of tasks) {
        const path = single ? out : join(folder, basename(chartPath(task)))
        await writeFileAtomic(path, historyChartSvg(records, task))
        logger.info(`wrote the ${task} chart to ${show(path)}`)
      }
    } catch (error) {
      throw new InputError(`could not write the chart: ${errorMessage(error)}`, {
        location: '--svg'
      })
    }
  }
  return ExitCode.ok
}
