/**
 * What a one-task optimization (APO, GEPA) proposes: the edited part of the task's prompt, before
 * and after, with the file (and the message of a messages file) it is written back to.
 */
import type { LoadedTask } from '../config/project-types.js'
import { partLocation } from '../config/prompt.js'
import type { PromptPart, PromptParts } from '../config/prompt.js'
import type { PromptOutcome } from './types.js'

export function taskPromptOutcome(input: {
  task: LoadedTask
  edit: PromptPart
  start: PromptParts
  best: PromptParts
  /** The file the edited prompt is written to; default the file that holds that part. */
  file?: string
}): PromptOutcome {
  const { task, edit, start, best } = input
  const location = input.file === undefined ? partLocation(task.prompt, edit) : undefined
  const file = input.file ?? location?.file ?? task.config.systemPrompt
  const text = (parts: PromptParts): string => (edit === 'user' ? parts.user : (parts.system ?? ''))
  return {
    file: file ?? '',
    kind: edit,
    ...(location?.message === undefined ? {} : { message: location.message }),
    task: task.name,
    before: text(start),
    after: text(best)
  }
}
