/**
 * Files to commit through the Git Data API: path checks, and blobs + tree on top of a base tree.
 */
import { InputError } from '../errors.js'
import type { GitHubApi } from './api.js'

/** A text file to write at a repository path (forward slashes, relative to the root). */
export interface RepoFile {
  path: string
  content: string
}

/** How many blobs are uploaded at once. */
const BLOB_CONCURRENCY = 4

/** Throws an InputError naming `what[i].path` when a path is empty, absolute, has `.`/`..` or repeats. */
export function checkRepoFiles(files: RepoFile[], what: string): void {
  const seen = new Set<string>()
  files.forEach((file, i) => {
    const segments = file.path.split('/')
    const bad =
      file.path === '' ||
      file.path.includes('\\') ||
      segments.some((s) => s === '' || s === '.' || s === '..')
    if (bad) {
      throw new InputError(
        `expected a relative path with forward slashes and no "." or ".." segments, got "${file.path}"`,
        { location: `${what}[${i}].path` }
      )
    }
    if (seen.has(file.path)) {
      throw new InputError(`"${file.path}" appears twice`, { location: `${what}[${i}].path` })
    }
    seen.add(file.path)
  })
}

async function mapLimit<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++
      results[index] = await fn(items[index] as T)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

/** Uploads the files as blobs and returns the sha of `baseTree` with them written over it. */
export async function writeTree(
  api: GitHubApi,
  files: RepoFile[],
  baseTree: string | undefined
): Promise<string> {
  const blobs = await mapLimit(files, BLOB_CONCURRENCY, (file) => api.createBlob(file.content))
  return api.createTree({
    ...(baseTree ? { baseTree } : {}),
    changes: files.map((file, i) => ({ path: file.path, blobSha: blobs[i] as string }))
  })
}
