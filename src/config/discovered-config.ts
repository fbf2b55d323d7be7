/**
 * A repository without `prompt-descent.yml` but with GitHub Models prompt files: the config the
 * files imply. One task per file, named after it (`support/route.prompt.yml` → `route`); its rows
 * are the file's `testData` and its checks the file's evaluators (load-project does that for a
 * task whose prompt is such a file). The provider is GitHub Models, the target the files' `model`.
 */
import { InputError } from '../errors.js'
import type { GithubPromptFile } from './github-prompt-file.js'
import { promptFileTaskName } from './github-prompt-file.js'
import { evaluatorJudgeModel } from './prompt-file-checks.js'

/** The model a file without `model:` is run on (gh's own examples use it). */
export const DEFAULT_PROMPT_FILE_MODEL = 'openai/gpt-4o-mini'

export interface DiscoveredFile {
  /** Root-relative path, forward slashes. */
  path: string
  file: GithubPromptFile
}

export interface DiscoveredConfig {
  /** The config as YAML (JSON) text, validated by the normal loader. */
  text: string
  /** What the user should know: a model chosen for several files, a renamed task. */
  notes: string[]
}

/** Task names are letters, digits, `.`, `_`, `-`: anything else in a file name becomes `-`. */
function taskName(path: string): string {
  const name = promptFileTaskName(path)
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
  return name === '' ? 'prompt' : name
}

/** The config the prompt files imply. Two files with one task name are an error naming both. */
export function discoveredConfig(files: readonly DiscoveredFile[]): DiscoveredConfig {
  const notes: string[] = []
  const byName = new Map<string, string>()
  const clashes: string[] = []
  for (const { path } of files) {
    const name = taskName(path)
    const first = byName.get(name)
    if (first !== undefined)
      clashes.push(`${first} and ${path} would both be the task "${name}"; rename one of them`)
    else byName.set(name, path)
  }
  if (clashes.length > 0)
    throw new InputError(
      `two prompt files share a name (with no prompt-descent.yml, each *.prompt.yml is a task named after its file): ${clashes.join('; ')}`
    )
  // Each task runs on its own file's `model` (load-project applies it with the file's
  // modelParameters); models.target, the optimizer's and judge's default, is the first named one.
  const lead = files.find((f) => f.file.model !== undefined)
  const model = lead?.file.model ?? DEFAULT_PROMPT_FILE_MODEL
  const unnamed = files.filter((f) => f.file.model === undefined)
  if (unnamed.length > 0)
    notes.push(
      `${unnamed.map((f) => f.path).join(', ')} ${unnamed.length === 1 ? 'names' : 'name'} no model; using ${model}${lead === undefined ? '' : ` (from ${lead.path})`}`
    )
  const target: Record<string, unknown> = { model }
  const judge = evaluatorJudgeModel(files.flatMap((f) => f.file.evaluators))
  const config = {
    provider: { type: 'github-models' },
    models: { target, ...(judge === undefined ? {} : { judge: { model: judge } }) },
    tasks: files.map(({ path }) => ({ name: taskName(path), prompt: path }))
  }
  return { text: `${JSON.stringify(config, null, 2)}\n`, notes }
}
