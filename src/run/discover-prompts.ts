/**
 * Finding a repository's GitHub Models prompt files, and loading the project they imply when there
 * is no `prompt-descent.yml` (config/discovered-config.ts). In the working tree, `git ls-files`
 * lists tracked and untracked files minus what .gitignore ignores (outside a git checkout, a walk
 * of the folders); at another commit, `git ls-tree`. node_modules is skipped either way.
 */
import { execFile } from 'node:child_process'
import type { Dirent } from 'node:fs'
import { access, readdir } from 'node:fs/promises'
import path from 'node:path'
import { promisify } from 'node:util'
import { discoveredConfig } from '../config/discovered-config.js'
import { isGithubPromptFile, parseGithubPromptFile } from '../config/github-prompt-file.js'
import { loadProject } from '../config/load-project.js'
import type { LoadProjectOptions } from '../config/load-project.js'
import { createFsReader, readFailureReason } from '../config/paths.js'
import type { FileReader } from '../config/paths.js'
import type { LoadedProject } from '../config/project-types.js'
import { InputError } from '../errors.js'

const run = promisify(execFile)

/** The config file name whose absence means "use the prompt files". */
const DEFAULT_CONFIG = 'prompt-descent.yml'

/** Lists root-relative paths of the prompt files (forward slashes, sorted). */
export type PromptFileLister = () => Promise<string[]>

/** Bounds on a walk outside git: folders deep and files looked at. */
const MAX_DEPTH = 20
const MAX_ENTRIES = 50_000

function keep(paths: Iterable<string>): string[] {
  return [...new Set(paths)]
    .filter((p) => isGithubPromptFile(p) && !p.split('/').includes('node_modules'))
    .sort()
}

async function git(cwd: string, args: string[]): Promise<string> {
  const { stdout } = await run('git', args, {
    cwd,
    maxBuffer: 64 * 1024 * 1024,
    encoding: 'utf8',
    timeout: 60_000
  })
  return stdout
}

/** The prompt files of the working tree under `root`. */
export function workingTreeLister(root: string): PromptFileLister {
  return async () => {
    let listed: string
    try {
      listed = await git(root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard'])
    } catch {
      return keep(await walk(root))
    }
    const paths = keep(listed.split('\0').filter((p) => p !== ''))
    // A tracked file deleted in the working tree is listed by git but gone.
    const present = await Promise.all(
      paths.map((p) =>
        access(path.join(root, p)).then(
          () => true,
          () => false
        )
      )
    )
    return paths.filter((_, i) => present[i])
  }
}

/** The prompt files at a commit (paths relative to `root`, which may be a subfolder). */
export function commitLister(root: string, sha: string): PromptFileLister {
  return async () => {
    const listed = await git(root, ['ls-tree', '-r', '-z', '--name-only', sha, '--', '.'])
    return keep(listed.split('\0').filter((p) => p !== ''))
  }
}

async function walk(root: string): Promise<string[]> {
  const found: string[] = []
  let seen = 0
  const visit = async (dir: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH || seen > MAX_ENTRIES) return
    let entries: Dirent[]
    try {
      entries = await readdir(path.join(root, dir), { withFileTypes: true })
    } catch {
      return
    }
    for (const entry of entries) {
      if (++seen > MAX_ENTRIES) return
      const rel = dir === '' ? entry.name : `${dir}/${entry.name}`
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== '.git') await visit(rel, depth + 1)
      } else if (entry.isFile() && isGithubPromptFile(entry.name)) found.push(rel)
    }
  }
  await visit('', 0)
  return found
}

export interface OpenProjectOptions extends LoadProjectOptions {
  /** Lists the prompt files when there is no config (default: the working tree under the root). */
  list?: PromptFileLister
  /** Receives warnings (unknown keys of prompt files, a model chosen for several files). */
  warn?: (message: string) => void
}

/**
 * Loads the project of `configPath`; when that file (named prompt-descent.yml) does not exist, the
 * project the repository's `*.prompt.yml` files imply (every file a task). Without either, the
 * loader's own "cannot read the config file" error.
 */
export async function openProject(
  configPath: string,
  options: OpenProjectOptions = {}
): Promise<LoadedProject> {
  const absolute = path.resolve(configPath)
  const root = path.resolve(options.root ?? path.dirname(absolute))
  const configRel = path.relative(root, absolute).split(path.sep).join('/')
  const reader = options.readFile ?? createFsReader(root)
  const missing = await reader(configRel).then(
    () => false,
    (error: unknown) => (error as { code?: unknown }).code === 'ENOENT'
  )
  // Only the default config name falls back to the prompt files: a --config that names a missing
  // file is a mistake to report, not a reason to look elsewhere.
  const paths =
    missing && path.basename(configRel) === DEFAULT_CONFIG
      ? await (options.list ?? workingTreeLister(root))()
      : []
  const project =
    paths.length > 0
      ? await loadDiscovered(root, configRel, paths, reader, options)
      : await loadProject(absolute, { ...options, root, readFile: reader })
  for (const warning of project.warnings ?? [])
    options.warn?.(
      `${warning.file}${warning.line === undefined ? '' : `:${warning.line}`}: ${warning.message}`
    )
  return project
}

async function loadDiscovered(
  root: string,
  configRel: string,
  paths: readonly string[],
  reader: FileReader,
  options: OpenProjectOptions
): Promise<LoadedProject> {
  const files = await Promise.all(
    paths.map(async (p) => {
      let text: string
      try {
        text = await reader(p)
      } catch (error) {
        throw new InputError(`cannot read the prompt file: ${readFailureReason(error)}`, {
          file: p
        })
      }
      return { path: p, file: parseGithubPromptFile(text, p) }
    })
  )
  const { text, notes } = discoveredConfig(files)
  for (const note of notes) options.warn?.(note)
  const project = await loadProject(path.join(root, configRel), {
    root,
    readFile: (rel) => (rel === configRel ? Promise.resolve(text) : reader(rel))
  })
  return { ...project, discovered: true }
}
