/**
 * The prompt files of a proposal, as the repository will hold them, and the check that the
 * checked-out workspace is the branch the proposal is based on (so a suggestion never undoes
 * someone else's edit).
 */
import { execFile } from 'node:child_process'
import { readFile, realpath } from 'node:fs/promises'
import { relative, resolve, sep } from 'node:path'
import { promisify } from 'node:util'
import type { LoadedProject } from '../config/project-types.js'
import { InputError } from '../errors.js'
import type { GitHubApi } from '../github/api.js'
import type { RepoFile } from '../github/repo-files.js'
import type { PromptOutcome } from '../optimize/types.js'
import { asFileText } from '../run/prompt-files.js'

const run = promisify(execFile)

/**
 * The repository's root on disk: git's top level for the project's folder (the config may sit in a
 * subfolder, and the checkout need not be the workspace), else the workspace.
 */
export async function repositoryRoot(projectRoot: string, workspace: string): Promise<string> {
  try {
    const { stdout } = await run('git', ['rev-parse', '--show-toplevel'], {
      cwd: projectRoot,
      encoding: 'utf8'
    })
    return await realpath(stdout.trim())
  } catch {
    return realpath(workspace).catch(() => workspace)
  }
}

/** The checked-out commit, when git can say. */
export async function headCommit(repoRoot: string): Promise<string | undefined> {
  try {
    const { stdout } = await run('git', ['rev-parse', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' })
    return stdout.trim() || undefined
  } catch {
    return undefined
  }
}

/** A project file (root-relative) as a repository path with forward slashes. */
export async function repoPath(
  project: LoadedProject,
  repoRoot: string,
  file: string
): Promise<string> {
  const absolute = await realpath(resolve(project.root, file)).catch(() =>
    resolve(project.root, file)
  )
  const path = relative(repoRoot, absolute)
  if (path === '' || path.startsWith('..')) {
    throw new InputError(`${file} is outside the repository checked out at ${repoRoot}`)
  }
  return path.split(sep).join('/')
}

async function readWorkspaceFile(
  project: LoadedProject,
  file: string
): Promise<string | undefined> {
  return readFile(resolve(project.root, file), 'utf8').catch(() => undefined)
}

/**
 * The changed prompts as repository files, each keeping its file's line endings and final newline.
 * Unchanged prompts, and changes that vanish once written as a file, are left out.
 */
export async function proposalFiles(
  project: LoadedProject,
  repoRoot: string,
  prompts: readonly PromptOutcome[]
): Promise<RepoFile[]> {
  const files: RepoFile[] = []
  for (const prompt of prompts) {
    if (prompt.after === prompt.before || prompt.file === '') continue
    const previous = await readWorkspaceFile(project, prompt.file)
    const content = asFileText(prompt, previous)
    if (content === previous) continue
    const path = await repoPath(project, repoRoot, prompt.file)
    // Two tasks may share one prompt file; the first proposal for it wins.
    if (files.some((f) => f.path === path)) continue
    files.push({ path, content })
  }
  return files
}

/**
 * Throws when a prompt file in the workspace differs from the same file on `branch`: the run would
 * optimize other text than the branch holds, and the commit would overwrite the difference.
 */
export async function assertWorkspaceIsBranch(args: {
  api: GitHubApi
  project: LoadedProject
  repoRoot: string
  branch: string
  files: readonly string[]
  /** What to say about getting the right checkout. */
  hint: string
}): Promise<void> {
  for (const file of args.files) {
    const path = await repoPath(args.project, args.repoRoot, file)
    const local = await readWorkspaceFile(args.project, file)
    const remote = await args.api.readFile(path, args.branch)
    if (local !== remote) {
      const what =
        remote === undefined
          ? `is not on branch ${args.branch}`
          : `differs from branch ${args.branch}`
      throw new InputError(
        `the checked-out ${path} ${what}: the workspace must be the branch the proposal is based on. ${args.hint}`
      )
    }
  }
}
