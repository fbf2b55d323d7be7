import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

/** A temporary repository with the given files; `cleanup` removes it. */
export async function makeRepo(
  files: Record<string, string>
): Promise<{ root: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'prompt-descent-config-'))
  for (const [name, text] of Object.entries(files)) {
    const file = path.join(root, name)
    await mkdir(path.dirname(file), { recursive: true })
    await writeFile(file, text)
  }
  return { root, cleanup: () => rm(root, { recursive: true, force: true }) }
}

/** The message of what `fn` throws (fails the test when it does not throw). */
export async function thrown(fn: () => unknown): Promise<Error> {
  try {
    await fn()
  } catch (error) {
    if (error instanceof Error) return error
    throw new Error(`threw a non-Error: ${String(error)}`)
  }
  throw new Error('expected an error, but none was thrown')
}
