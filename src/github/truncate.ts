/**
 * Keeps a comment or pull-request body under GitHub's 65,536-character limit. The renderers aim
 * well below it; this is the last, defensive cut, and it leaves valid Markdown behind (open code
 * fences and <details> blocks are closed) with a note saying where the full text is.
 */

/** GitHub rejects bodies of this many characters or more. */
export const GITHUB_BODY_LIMIT = 65_536

export const DEFAULT_TRUNCATION_NOTE =
  'The full report is in the job summary and in the JSON report artifact of this run.'

export interface FittedBody {
  body: string
  truncated: boolean
}

function closersFor(text: string): string {
  let closers = ''
  const fences = text.split('\n').filter((line) => /^\s*(```|~~~)/.test(line)).length
  if (fences % 2 === 1) closers += '\n```'
  const opened = (text.match(/<details\b/gi) ?? []).length
  const closed = (text.match(/<\/details>/gi) ?? []).length
  for (let i = closed; i < opened; i++) closers += '\n\n</details>'
  return closers
}

/**
 * Returns `body` unchanged when it is under `limit` characters, else a cut at a line boundary,
 * with the Markdown closed and a note appended, that is under the limit.
 */
export function fitGitHubBody(
  body: string,
  options: { limit?: number; note?: string } = {}
): FittedBody {
  const limit = options.limit ?? GITHUB_BODY_LIMIT
  if (body.length < limit) return { body, truncated: false }
  const note = `\n\n---\n> **Truncated:** this text was longer than GitHub's ${limit.toLocaleString('en-US')}-character limit. ${options.note ?? DEFAULT_TRUNCATION_NOTE}\n`
  let budget = limit - 1 - note.length
  for (;;) {
    if (budget <= 0) return { body: note.trim().slice(0, limit - 1), truncated: true }
    let cut = body.slice(0, budget)
    // Prefer a line boundary not too far back, and never split a surrogate pair.
    const newline = cut.lastIndexOf('\n')
    if (newline > budget - 2_000 && newline > 0) cut = cut.slice(0, newline)
    else if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1)
    const fitted = cut + closersFor(cut) + note
    if (fitted.length < limit) return { body: fitted, truncated: true }
    budget -= fitted.length - limit + 1
  }
}
