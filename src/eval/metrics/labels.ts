import { foldText } from '../normalize.js'

/**
 * Reads class labels out of text. A label "mention" is the label as a whole word or phrase
 * (letters and digits may not touch it on either side; inner whitespace may vary), matched
 * case-insensitively. A one-letter label (A/B/C/D) is matched only in the case the choices spell
 * it, or every article "a" would count as a vote for option A. When mentions overlap ("not spam"
 * holds "spam") the longer label claims the text; the mention that starts last wins.
 */
export interface LabelReader {
  readonly choices: readonly string[]
  /** The choice equal to the whole text (folded: case, punctuation and spacing aside), or null. */
  exact(text: string): string | null
  /** The choice mentioned last in the text, or null when it names none. */
  lastMention(text: string): string | null
  /** The label a text reads as: an exact label, else the last one it mentions, else null. */
  read(text: string): string | null
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function mentionPattern(label: string): RegExp {
  const body = label.trim().split(/\s+/u).map(escapeRegExp).join('\\s+')
  const flags = Array.from(label.trim()).length === 1 ? 'gu' : 'giu'
  return new RegExp(`(?<![\\p{L}\\p{N}])${body}(?![\\p{L}\\p{N}])`, flags)
}

/** Builds a reader for the given labels (blank labels are ignored). */
export function createLabelReader(choices: readonly string[]): LabelReader {
  const labels = choices.filter((c) => c.trim() !== '')
  const byFolded = new Map<string, string>()
  for (const label of labels) {
    const key = foldText(label)
    if (!byFolded.has(key)) byFolded.set(key, label)
  }
  // Longest first, so on overlap the longer label claims the span.
  const patterns = labels
    .map((label) => ({ label, re: mentionPattern(label) }))
    .sort((a, b) => b.label.trim().length - a.label.trim().length)

  const exact = (text: string): string | null => byFolded.get(foldText(text)) ?? null

  const lastMention = (text: string): string | null => {
    const taken: Array<[number, number]> = []
    let best: { label: string; start: number } | undefined
    for (const { label, re } of patterns) {
      for (const match of text.matchAll(re)) {
        const start = match.index
        const end = start + match[0].length
        if (taken.some(([s, e]) => start < e && s < end)) continue
        taken.push([start, end])
        if (best === undefined || start > best.start) best = { label, start }
      }
    }
    return best?.label ?? null
  }

  return {
    choices: labels,
    exact,
    lastMention,
    read: (text) => exact(text) ?? lastMention(text)
  }
}
