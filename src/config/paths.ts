/**
 * Paths named in the config are confined to the repository: a config from a pull request must not
 * make the tool read (or write its cache) anywhere else on the runner.
 */
import { readFile, realpath } from 'node:fs/promises'
import path from 'node:path'
import { throwIssues } from './issues.js'

/** Reads a file given its path relative to the repository root (forward slashes). */
export type FileReader = (relativePath: string) => Promise<string>

/** Where a path came from, for the error message. */
export interface PathSource {
  /** The config file (relative path). */
  file: string
  /** The key that holds the path, in YAML form (e.g. `tasks[0].data`). */
  key: string
  /** Line of that key in the config file. */
  line?: number
}

export interface RepoPath {
  /** Relative to the root, with forward slashes (what a FileReader takes). */
  relative: string
  absolute: string
}

/**
 * Resolves a config path (relative to the root, or absolute but inside it). A path that leaves the
 * root, or names the root itself, is an InputError that names the key.
 */
export function resolveRepoPath(root: string, value: string, source: PathSource): RepoPath {
  const resolved = tryRepoPath(root, value)
  if ('problem' in resolved)
    throwIssues([
      { file: source.file, line: source.line, path: source.key, message: resolved.problem }
    ])
  return resolved as RepoPath
}

/** Like resolveRepoPath, but returns the problem instead of throwing. */
export function tryRepoPath(root: string, value: string): RepoPath | { problem: string } {
  if (value.includes('\0'))
    return { problem: 'expected a file path, got a string with a NUL character' }
  const absolute = path.resolve(root, value)
  const relative = path.relative(root, absolute)
  if (relative === '')
    return { problem: `"${value}" is the repository root itself; expected a path inside it` }
  if (isOutside(relative))
    return { problem: `"${value}" is outside the repository; expected a path inside ${root}` }
  if (inGitDir(relative)) return { problem: GIT_DIR_PROBLEM(value) }
  return { relative: relative.split(path.sep).join('/'), absolute }
}

/**
 * Git's own folder holds the checkout's credentials (`.git/config` keeps the token actions/checkout
 * saved) and hooks: never a prompt, a dataset or a schema, whatever a pull request's config says.
 */
const GIT_DIR_PROBLEM = (value: string): string =>
  `"${value}" is inside .git/, which holds git's metadata and the checkout's credentials; expected a file of the working tree`

/** True when a root-relative path has a `.git` segment (any case: some file systems ignore it). */
export function inGitDir(relative: string): boolean {
  return relative.split(/[\\/]/).some((segment) => segment.toLowerCase() === '.git')
}

function isOutside(relative: string): boolean {
  return relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative)
}

/** An error a FileReader throws; `code` follows Node (ENOENT = no such file). */
export class FileReadError extends Error {
  readonly code: string | undefined
  constructor(message: string, code?: string) {
    super(message)
    this.name = 'FileReadError'
    this.code = code
  }
}

/**
 * The default reader: the working tree under `root`. It refuses a file whose real location (after
 * symbolic links) is outside the root's real location.
 */
export function createFsReader(root: string): FileReader {
  let realRoot: Promise<string> | undefined
  return async (relativePath) => {
    const absolute = path.resolve(root, relativePath)
    if (isOutside(path.relative(root, absolute)))
      throw new FileReadError('the path is outside the repository', 'EOUTSIDE')
    realRoot ??= realpath(root)
    let real: string
    try {
      real = await realpath(absolute)
    } catch (error) {
      throw asReadError(error)
    }
    const realRelative = path.relative(await realRoot, real)
    if (isOutside(realRelative))
      throw new FileReadError(
        'a symbolic link leads outside the repository; expected a file inside it',
        'EOUTSIDE'
      )
    if (inGitDir(realRelative))
      throw new FileReadError(
        "a symbolic link leads into .git/, which holds the checkout's credentials; expected a file of the working tree",
        'EOUTSIDE'
      )
    try {
      return await readFile(real, 'utf8')
    } catch (error) {
      throw asReadError(error)
    }
  }
}

function asReadError(error: unknown): FileReadError {
  const code = (error as { code?: unknown }).code
  const known = typeof code === 'string' ? code : undefined
  return new FileReadError(readFailureReason(error), known)
}

/** A short reason for a failed read, for the message that names the key. */
export function readFailureReason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'no such file'
  if (code === 'EISDIR') return 'it is a directory; expected a file'
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied'
  return error instanceof Error ? error.message : String(error)
}
