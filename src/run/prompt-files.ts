/**
 * How an optimized prompt goes back into its file, shared by the CLI (`optimize --write`) and the
 * action (the files of a proposed pull request), so both write byte-identical files.
 */

/**
 * The prompt text as it goes into a file: the optimizer works on trimmed text, the file keeps its
 * own line ending style and its final newline (`previous` is the file's current text, if any).
 */
export function asFileText(prompt: string, previous: string | undefined): string {
  const crlf = previous?.includes('\r\n') ?? false
  const endsWithNewline = previous === undefined ? true : /\r?\n$/.test(previous)
  let text = prompt.replace(/\r\n/g, '\n').replace(/\s+$/, '')
  if (endsWithNewline) text += '\n'
  return crlf ? text.replace(/\n/g, '\r\n') : text
}
