/**
 * Score history on a data branch (no GitHub Pages needed). Each run appends one record through the
 * Git Data API and moves the branch WITHOUT force; when another run moved it first, the update is
 * not a fast forward, so we re-read and try again: no record is ever lost.
 */
import { InputError } from '../errors.js'
import type { GitHubApi } from './api.js'
import {
  GitHubApiError,
  GitHubNotFoundError,
  NotFastForwardError,
  RefExistsError
} from './errors.js'
import { parseHistoryFile, renderHistoryFile } from '../report/history-file.js'
import { checkRepoFiles, writeTree } from './repo-files.js'
import type { RepoFile } from './repo-files.js'

export const DEFAULT_HISTORY_BRANCH = 'prompt-descent-data'
export const DEFAULT_HISTORY_PATH = 'history/history.json'

export interface HistoryLocation {
  /** Default `prompt-descent-data`. */
  branch?: string
  /** Default `history/history.json`. */
  path?: string
}

export interface AppendHistoryOptions<R> extends HistoryLocation {
  record: R
  /** Keep only the newest this many records. */
  maxRecords: number
  /** Files committed beside the history (e.g. SVG charts), rendered from the final record list. */
  extraFiles?: (records: R[]) => RepoFile[]
  /** Records this one supersedes (e.g. the same commit's record from an earlier attempt of a re-run). */
  replaces?: (existing: R) => boolean
  message: string
  /** Attempts in all, including the first. Default 5. */
  maxAttempts?: number
  /** Waits between attempts; injectable so tests need no real time. */
  sleep?: (ms: number) => Promise<void>
}

export interface AppendHistoryResult {
  /** Records in the file after the append and the cap. */
  records: number
  commitSha: string
  /** Attempts that lost a race and were redone. */
  retries: number
  /** The branch did not exist and was created. */
  createdBranch: boolean
}

const wait = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Reads the history records at the branch head; none when the branch or file is missing. */
export async function readHistory<R = unknown>(
  api: GitHubApi,
  location: HistoryLocation = {}
): Promise<{ records: R[]; headSha: string | undefined }> {
  const branch = location.branch ?? DEFAULT_HISTORY_BRANCH
  const path = location.path ?? DEFAULT_HISTORY_PATH
  const headSha = await api.getBranchSha(branch)
  if (!headSha) return { records: [], headSha }
  return { records: await readAt<R>(api, branch, path, headSha), headSha }
}

async function readAt<R>(api: GitHubApi, branch: string, path: string, sha: string): Promise<R[]> {
  // Read at the exact commit we will build on, not at the moving branch name.
  const text = await api.readFile(path, sha)
  return text === undefined ? [] : parseHistoryFile<R>(text, `${branch}:${path}`)
}

/** A lost race: another writer moved or created the branch between our read and our update. */
function lostRace(error: unknown): boolean {
  return (
    error instanceof NotFastForwardError ||
    error instanceof RefExistsError ||
    (error instanceof GitHubNotFoundError && error.status === 422)
  )
}

/** Appends `record` to the history file on the data branch, creating the branch when missing. */
export async function appendHistoryRecord<R>(
  api: GitHubApi,
  options: AppendHistoryOptions<R>
): Promise<AppendHistoryResult> {
  const branch = options.branch ?? DEFAULT_HISTORY_BRANCH
  const path = options.path ?? DEFAULT_HISTORY_PATH
  const maxAttempts = options.maxAttempts ?? 5
  const sleep = options.sleep ?? wait
  if (!Number.isInteger(options.maxRecords) || options.maxRecords < 1) {
    throw new InputError(`expected a whole number ≥ 1, got ${options.maxRecords}`, {
      location: 'maxRecords'
    })
  }

  const attempt = async (): Promise<Omit<AppendHistoryResult, 'retries'>> => {
    const headSha = await api.getBranchSha(branch)
    const previous = headSha ? await readAt<R>(api, branch, path, headSha) : []
    const kept = options.replaces ? previous.filter((r) => !options.replaces?.(r)) : previous
    const records = [...kept, options.record].slice(-options.maxRecords)
    const extra = options.extraFiles?.(records) ?? []
    const files = [
      ...extra.filter((f) => f.path !== path),
      { path, content: renderHistoryFile(records) }
    ]
    checkRepoFiles(files, 'extraFiles')

    if (!headSha) {
      // An orphan branch: its first commit has no parent and only our files.
      const tree = await writeTree(api, files, undefined)
      const commitSha = await api.createCommit({ message: options.message, tree, parents: [] })
      await api.createBranch(branch, commitSha)
      return { records: records.length, commitSha, createdBranch: true }
    }
    const head = await api.getCommit(headSha)
    const tree = await writeTree(api, files, head.treeSha)
    const commitSha = await api.createCommit({ message: options.message, tree, parents: [headSha] })
    await api.updateBranch(branch, commitSha, { force: false })
    return { records: records.length, commitSha, createdBranch: false }
  }

  for (let retries = 0; ; retries++) {
    try {
      return { ...(await attempt()), retries }
    } catch (error) {
      if (!lostRace(error)) throw error
      if (retries + 1 >= maxAttempts) {
        throw new GitHubApiError(
          `append to ${branch}:${path}`,
          `Could not append to ${branch}:${path}: other runs kept moving the branch (${maxAttempts} attempts).`,
          { cause: error }
        )
      }
      await sleep(200 * 2 ** retries)
    }
  }
}
