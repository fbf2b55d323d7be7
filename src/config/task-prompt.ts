/**
 * A task's prompt as loaded: the two-file form (a system file, shared or the task's own, and a user
 * template) or a messages file, with the shared system prompt put first when the file has none,
 * and each message marked editable or frozen by `optimize.edit`.
 */
import { isGithubPromptFile, parseGithubPromptFile } from './github-prompt-file.js'
import { isMessagesFile, parseMessagesFile } from './messages-file.js'
import { plainPrompt } from './prompt.js'
import type { ChatPrompt, PromptMessage } from './prompt.js'
import type { PromptFile } from './project-types.js'
import type { EditEntry } from './types.js'
import type { KeyPath } from './yaml-source.js'

export interface TaskPromptInput {
  /** The task's `prompt:` file. */
  file: PromptFile
  /** The task's own system file, if it names one. */
  ownSystem: PromptFile | undefined
  /** The shared `system_prompt` file, if any. */
  sharedSystem: PromptFile | undefined
  edit: readonly EditEntry[] | undefined
  /** Where the task sits in the config, for problems. */
  taskKey: KeyPath
}

/** Problems found here, reported against the config's keys. */
export type PromptProblem = (key: KeyPath, message: string) => void

/** Builds the task's prompt; problems with the config's keys go to `problem`. */
export function buildTaskPrompt(input: TaskPromptInput, problem: PromptProblem): ChatPrompt {
  const system = input.ownSystem ?? input.sharedSystem
  if (!isMessagesFile(input.file.path)) {
    return markEditable(plainPrompt(system, input.file), input.edit)
  }
  const parsed = isGithubPromptFile(input.file.path)
    ? parseGithubPromptFile(input.file.text, input.file.path).messages
    : parseMessagesFile(input.file.text, input.file.path)
  const fromFile: PromptMessage[] = parsed.map((m, index) => ({
    ...m,
    editable: false,
    source: { file: input.file.path, index }
  }))
  const hasSystem = fromFile.some((m) => m.role === 'system')
  if (hasSystem && input.ownSystem !== undefined)
    problem(
      [...input.taskKey, 'system_prompt'],
      `${input.file.path} already has a system message; keep one of the two`
    )
  const messages =
    !hasSystem && system !== undefined && system.text.trim() !== ''
      ? [
          {
            role: 'system' as const,
            content: system.text,
            editable: false,
            source: { file: system.path, index: undefined }
          },
          ...fromFile
        ]
      : fromFile
  input.edit?.forEach((entry, k) => {
    if (typeof entry === 'number' && entry >= fromFile.length)
      problem(
        ['optimize', 'edit', k],
        `${input.file.path} has ${fromFile.length} message${fromFile.length === 1 ? '' : 's'} (indices 0–${fromFile.length - 1}); there is no message ${entry}`
      )
  })
  return markEditable({ messages }, input.edit)
}

/**
 * Marks the messages the optimizers may rewrite. Default: system messages and the last user
 * message (earlier user/assistant turns are few-shot examples). With `optimize.edit`: every message
 * of a listed role, and the messages of a messages file at a listed index.
 */
export function markEditable(
  prompt: ChatPrompt,
  edit: readonly EditEntry[] | undefined
): ChatPrompt {
  const lastUser = prompt.messages.map((m) => m.role).lastIndexOf('user')
  const messages = prompt.messages.map((m, i) => {
    const editable =
      edit === undefined
        ? m.role === 'system' || i === lastUser
        : edit.some((entry) =>
            typeof entry === 'number' ? m.source.index === entry : entry === m.role
          )
    return { ...m, editable }
  })
  return { messages }
}
