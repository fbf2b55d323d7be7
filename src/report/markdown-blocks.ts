/**
 * Fitting a Markdown report into a length limit. A report is a list of blocks; detail blocks carry
 * the class they belong to and are dropped class by class (changed examples first, then diffs and
 * prompt texts, then optimization detail), last block first, until the report fits. If the
 * essential blocks alone are still too long they are cut at a line. A note then says what was left
 * out and where the full report is.
 */

/** What a detail block is, in the order such blocks are dropped when the report is too long. */
export type DropClass = 'examples' | 'diffs' | 'detail'

/** One top-level piece of Markdown. Blocks without `drop` are kept (or cut at a line) last. */
export interface Block {
  text: string
  drop?: DropClass
}

const DROP_ORDER: DropClass[] = ['examples', 'diffs', 'detail']

const DROP_NAMES: Record<DropClass, string> = {
  examples: 'changed examples',
  diffs: 'prompt texts and diffs',
  detail: 'optimization details'
}

const SEPARATOR = '\n\n'

function joinedLength(blocks: Block[]): number {
  if (blocks.length === 0) return 0
  return blocks.reduce((sum, b) => sum + b.text.length, 0) + SEPARATOR.length * (blocks.length - 1)
}

function truncationNote(omitted: string[], hint: string): string {
  const what = omitted.length === 0 ? '' : ` (left out: ${omitted.join(', ')})`
  return `> [!NOTE]\n> This report was shortened to fit GitHub's size limit${what}. The full report is in ${hint}.`
}

/** Cuts at the last line break before `limit`, never inside a surrogate pair. */
function cutAtLine(text: string, limit: number): string {
  if (text.length <= limit) return text
  let cut = text.slice(0, Math.max(0, limit))
  const newline = cut.lastIndexOf('\n')
  if (newline > 0) cut = cut.slice(0, newline)
  else if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1)
  return cut.trimEnd()
}

/**
 * Joins `blocks` after `prefix` into at most `maxLength` characters (UTF-16 units, which are never
 * fewer than the characters GitHub counts). `hint` names where the full report is (Markdown).
 */
export function fitBlocks(
  prefix: string,
  blocks: Block[],
  maxLength: number,
  hint: string
): string {
  const whole = prefix + blocks.map((b) => b.text).join(SEPARATOR) + '\n'
  if (whole.length <= maxLength) return whole

  let kept = [...blocks]
  const omitted: string[] = []
  const fits = (): boolean =>
    prefix.length +
      joinedLength(kept) +
      SEPARATOR.length +
      truncationNote(omitted, hint).length +
      1 <=
    maxLength
  for (const cls of DROP_ORDER) {
    if (fits()) break
    for (let i = kept.length - 1; i >= 0 && !fits(); i--) {
      if (kept[i]?.drop !== cls) continue
      kept = [...kept.slice(0, i), ...kept.slice(i + 1)]
      if (!omitted.includes(DROP_NAMES[cls])) omitted.push(DROP_NAMES[cls])
    }
  }
  let body = kept.map((b) => b.text).join(SEPARATOR)
  if (!fits()) {
    omitted.push('the end of the report')
    const note = truncationNote(omitted, hint)
    body = cutAtLine(body, maxLength - prefix.length - note.length - SEPARATOR.length - 1)
  }
  const result = `${prefix}${body}${SEPARATOR}${truncationNote(omitted, hint)}\n`
  // Only a limit smaller than the note itself gets here: the bound holds above all.
  return result.length <= maxLength ? result : cutAtLine(result, maxLength)
}
