import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { dirname, join, resolve } from 'node:path'
import type { PromptOutcome } from '../optimize/types.js'
import { asFileText } from '../run/prompt-files.js'

/** Replaces the prompt files in the repository (root-relative paths) with the optimized prompts. */
export async function writePromptsInPlace(
  root: string,
  prompts: readonly PromptOutcome[]
): Promise<string[]> {
  const written: string[] = []
  for (const prompt of prompts) {
    if (prompt.after === prompt.before || prompt.file === '') continue
    const path = resolve(root, prompt.file)
    const previous = await readFile(path, 'utf8').catch(() => undefined)
    await writeFile(path, asFileText(prompt, previous), 'utf8')
    written.push(prompt.file)
  }
  return written
}

/** Writes the optimized prompts under `dir`, keeping their repository paths. */
export async function writePromptsToFolder(
  root: string,
  dir: string,
  prompts: readonly PromptOutcome[]
): Promise<string[]> {
  const written: string[] = []
  for (const prompt of prompts) {
    if (prompt.file === '') continue
    const previous = await readFile(resolve(root, prompt.file), 'utf8').catch(() => undefined)
    const path = join(dir, prompt.file)
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, asFileText(prompt, previous), 'utf8')
    written.push(path)
  }
  return written
}
