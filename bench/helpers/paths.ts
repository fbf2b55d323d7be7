/** Where the repository is, and the shared research data beside it (never copied into it). */
import { resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/**
 * A path under ../shared/data, resolved from the repository root; BENCH_SHARED_DATA points
 * elsewhere (e.g. to an empty directory, to check that the real-data runs skip cleanly).
 */
export function sharedData(path: string): string {
  return resolve(process.env['BENCH_SHARED_DATA'] ?? resolve(ROOT, '../shared/data'), path)
}
