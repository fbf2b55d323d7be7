import { readFile } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import type { PromptOutcome } from '../optimize/types.js'
import { asFileText } from '../run/prompt-files.js'
import { writeFileAtomic } from '../util/confined-write.js'

/**
 * Replaces the prompt files in the repository (root-relative paths) with the optimized prompts,
 * each atomically and never through a symbolic link that leaves the repository.
 */
export async function writePromptsInPlace(
  root: string,
  prompts: readonly PromptOutcome[]
): Promise<string[]> {
  const written: string[] = []
  for (const prompt of prompts) {
    if (prompt.after === prompt.before || prompt.file === '') continue
    const path = resolve(root, prompt.file)
    const previous = await readFile(path, 'utf8').catch(() => undefined)
    await writeFileAtomic(path, asFileText(prompt, previous), { root })
    written.push(prompt.file)
  }
  return written
}

/**
 * Writes the optimized prompts under `dir`, keeping their repository paths. `confineTo` is the
 * repository when `dir` is the tool's own folder in it (no link may lead the writes out of it);
 * undefined for a folder the user named on the command line, which is theirs.
 */
export async function writePromptsToFolder(
  root: string,
  dir: string,
  prompts: readonly PromptOutcome[],
  confineTo: string | undefined
): Promise<string[]> {
  const written: string[] = []
  for (const prompt of prompts) {
    if (prompt.file === '') continue
    const previous = await readFile(resolve(root, prompt.file), 'utf8').catch(() => undefined)
    const path = join(dir, prompt.file)
    await writeFileAtomic(path, asFileText(prompt, previous), { root: confineTo })
    written.push(path)
  }
  return written
}
