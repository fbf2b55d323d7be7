/**
 * Making untrusted text (dataset rows, model output, prompt text, task names) safe inside GitHub
 * Markdown. A PR comment is read by people and parsed by GitHub: a dataset row must not ping
 * `@someone`, cross-reference issue #123, inject HTML (an unclosed `<!--` or `</details>` would hide
 * or break the rest of the comment), or split a table row.
 */

const ZWJ = '\u200D'

// ANSI/VT escape sequences (CSI and OSC) that model output or data may carry; a terminal or a log
// viewer would act on them.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001B(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001B]*(?:\u0007|\u001B\\)|[@-Z\\-_])/g
// C0/C1 controls except tab and newline, plus bidi overrides that can make text read differently
// from what it is.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g

/** Removes escape sequences and control characters (keeps tab and newline; CRLF/CR become LF). */
export function stripControl(text: string): string {
  return text.replace(/\r\n?/g, '\n').replace(ANSI, '').replace(CONTROL, '')
}

/**
 * Text for a CI log, where the runner reads workflow commands out of what a step prints: a line
 * that starts with `::` (`::add-mask::`, `::error::`, `::set-output`, `::stop-commands::`) and
 * `##[` anywhere in a line (the older form). A zero-width joiner between the two characters keeps
 * the text readable and the runner blind to it; nothing else changes (CR counts as a line break,
 * as it does for the runner).
 */
export function neutralizeWorkflowCommands(text: string): string {
  return text
    .replace(/(^|[\r\n])([^\S\r\n]*):(?=:)/g, `$1$2:${ZWJ}`)
    .replace(/#(?=#\[)/g, `#${ZWJ}`)
}

/**
 * Caps `text` at `max` characters (code points), ending with an ellipsis when cut. Never splits a
 * surrogate pair. `max` ≤ 0 gives ''; Infinity leaves the text whole.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text
  if (max <= 0) return ''
  // A code point is one or two UTF-16 units, so the first 2·max units hold the first max points.
  const points = Array.from(text.slice(0, 2 * max))
  if (points.length <= max && text.length <= 2 * max) return text
  return points.slice(0, max - 1).join('') + '…'
}

/** Escapes the characters HTML gives meaning to, so no tag, comment or entity injects. */
function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
}

/**
 * Breaks what GitHub would turn into a notification or a cross-reference: @mentions (users and
 * teams), #123 and GH-123 issue references, and links to github.com (which also cross-reference).
 * A zero-width joiner keeps the text readable while the autolinker no longer matches it.
 */
function neutralizeReferences(text: string): string {
  return text
    .replace(/@(?=[A-Za-z0-9_])/g, `@${ZWJ}`)
    .replace(/#(?=\d)/g, `#${ZWJ}`)
    .replace(/\b(GH-)(?=\d)/gi, `$1${ZWJ}`)
    .replace(/\b(github)(\.com)/gi, `$1${ZWJ}$2`)
}

/** Markdown punctuation that could start emphasis, code, links, images, math, strikethrough or split a table cell. */
const MARKDOWN_PUNCTUATION = /[\\`*_[\]~$|]/g
/** What a line may start with to become a heading, list item or ordered list item. */
const BLOCK_START = /^(\s*)(#{1,6}|[-+]|\d{1,9}[.)])(?=\s|$)/

function markdownText(text: string): string {
  const escaped = neutralizeReferences(escapeHtml(text).replace(MARKDOWN_PUNCTUATION, '\\$&'))
  return escaped.replace(BLOCK_START, (_m, space: string, mark: string) =>
    /^\d/.test(mark) ? `${space}${mark.slice(0, -1)}\\${mark.slice(-1)}` : `${space}\\${mark}`
  )
}

/**
 * Untrusted text as one line of literal Markdown text: controls removed, newlines folded to spaces,
 * capped at `max` characters, HTML and Markdown punctuation escaped, mentions and references broken.
 */
export function escapeInline(text: string, max = Infinity): string {
  const flat = stripControl(text).replace(/\s*\n\s*/g, ' ')
  return markdownText(truncate(flat, max))
}

/**
 * Untrusted text for a GitHub table cell: like {@link escapeInline}, but pipes are escaped (they are
 * already by the Markdown escaping) and newlines become `<br>` so the row stays on one line.
 */
export function tableCell(text: string, max = Infinity): string {
  const clean = truncate(stripControl(text).trim(), max)
  if (clean === '') return ' '
  return clean
    .split('\n')
    .map((line) => markdownText(line))
    .join('<br>')
}

/**
 * Untrusted text inside raw HTML (e.g. a `<summary>`), where Markdown is not parsed: one line, HTML
 * escaped, references broken, capped.
 */
export function escapeHtmlText(text: string, max = Infinity): string {
  const flat = stripControl(text).replace(/\s*\n\s*/g, ' ')
  return neutralizeReferences(escapeHtml(truncate(flat, max)))
}

/**
 * Breaks HTML comment delimiters in text that goes out verbatim (code spans and blocks, where an
 * entity would show as typed): a `<!--` from a dataset row must never read as our hidden marker,
 * which finds our sticky comment. A zero-width joiner keeps the text readable.
 */
function breakHtmlComments(text: string): string {
  return text.replace(/<!--/g, `<${ZWJ}!--`).replace(/--!?>/g, (m) => `--${ZWJ}${m.slice(2)}`)
}

function longestRun(text: string, char: string): number {
  let longest = 0
  let run = 0
  for (const ch of text) {
    run = ch === char ? run + 1 : 0
    if (run > longest) longest = run
  }
  return longest
}

/**
 * Untrusted text as an inline code span: the fence is longer than any backtick run inside, so the
 * text cannot close it. GitHub does not link mentions inside code, so the text stays exact. In a
 * table (`inTable`), pipes are escaped, which GitHub requires even inside code spans.
 */
export function inlineCode(text: string, max = Infinity, inTable = false): string {
  let body = breakHtmlComments(truncate(stripControl(text).replace(/\s*\n\s*/g, ' '), max))
  if (body === '') return '*(empty)*'
  if (inTable) body = body.replace(/\|/g, '\\|')
  const fence = '`'.repeat(longestRun(body, '`') + 1)
  const pad = /^[` ]|[` ]$/.test(body) ? ' ' : ''
  return `${fence}${pad}${body}${pad}${fence}`
}

/**
 * Untrusted text as a fenced code block whose fence is longer than any backtick run in it, so no
 * line of the text can end the block. Over `max` characters the text is cut and a last line says so.
 */
export function codeBlock(text: string, lang = '', max = Infinity): string {
  let body = breakHtmlComments(stripControl(text))
  if (body.length > max) {
    const kept = truncate(body, max)
    body = `${kept.slice(0, -1)}\n… (${body.length - kept.length + 1} more characters not shown)`
  }
  const fence = '`'.repeat(Math.max(3, longestRun(body, '`') + 1))
  const info = lang.replace(/[^\w+.-]/g, '')
  const end = body === '' || body.endsWith('\n') ? '' : '\n'
  return `${fence}${info}\n${body}${end}${fence}`
}

/**
 * A collapsed section. `summary` is untrusted text (escaped here); `body` is Markdown the renderer
 * built from already-sanitised parts. The blank lines let GitHub parse Markdown inside the HTML.
 */
export function details(summary: string, body: string): string {
  return `<details><summary>${escapeHtmlText(summary, 300)}</summary>\n\n${body.trim()}\n\n</details>`
}
