/**
 * How an optimized prompt goes back into its file, shared by the CLI (`optimize --write`) and the
 * action (the files of a proposed pull request), so both write byte-identical files.
 */
import { replaceMessageContent } from '../config/messages-edit.js'
import { parseMessagesFile } from '../config/messages-file.js'
import { InputError } from '../errors.js'
import type { PromptOutcome } from '../optimize/types.js'

/**
 * The file's new text. A whole-file prompt is the prompt text keeping the file's own line ending
 * style and final newline (the optimizer works on trimmed text); a message of a messages file is
 * written into that message's `content` alone, keeping the old content's trailing line breaks and
 * every other byte of the file (`previous` is the file's current text, if any).
 */
export function asFileText(
  prompt: Pick<PromptOutcome, 'after' | 'message' | 'file'>,
  previous: string | undefined
): string {
  if (prompt.message === undefined) return asWholeFile(prompt.after, previous)
  if (previous === undefined)
    throw new InputError(`cannot write messages[${prompt.message}]: the file is gone`, {
      file: prompt.file
    })
  const old = parseMessagesFile(previous, prompt.file)[prompt.message]?.content ?? ''
  const trailing = /\n*$/.exec(old)?.[0] ?? ''
  const content = prompt.after.replace(/\r\n/g, '\n').replace(/\s+$/, '') + trailing
  return replaceMessageContent(previous, prompt.message, content, prompt.file)
}

function asWholeFile(prompt: string, previous: string | undefined): string {
  const crlf = previous?.includes('\r\n') ?? false
  const endsWithNewline = previous === undefined ? true : /\r?\n$/.test(previous)
  let text = prompt.replace(/\r\n/g, '\n').replace(/\s+$/, '')
  if (endsWithNewline) text += '\n'
  return crlf ? text.replace(/\n/g, '\r\n') : text
}
