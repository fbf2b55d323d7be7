import type { ExtractConfig } from '../config/types.js'
import { InputError } from '../errors.js'
import { findJson, pickJsonPath } from './json-find.js'
import type { FoundJson } from './json-find.js'

/*
 * Reading the answer out of a reply. Parsing is strict on purpose: a reply without the asked-for
 * tag gives null (the example is "unreadable"), never the whole reply passed off as an answer.
 * An answer that is empty after trimming is null too, for every kind of extraction.
 */

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function nonEmpty(text: string | undefined): string | null {
  if (text === undefined) return null
  const trimmed = text.trim()
  return trimmed === '' ? null : trimmed
}

const tagPatterns = new Map<string, { pair: RegExp; open: RegExp }>()

function tagPattern(tag: string): { pair: RegExp; open: RegExp } {
  let cached = tagPatterns.get(tag)
  if (cached === undefined) {
    const name = escapeRegExp(tag.trim())
    cached = {
      pair: new RegExp(`<\\s*${name}(?:\\s[^>]*)?>([\\s\\S]*?)<\\s*/\\s*${name}\\s*>`, 'gi'),
      open: new RegExp(`<\\s*${name}(?:\\s[^>]*)?>`, 'gi')
    }
    tagPatterns.set(tag, cached)
  }
  return cached
}

/**
 * The content of the last `<tag>…</tag>` in the text (tag name case-insensitive, attributes and
 * whitespace inside the brackets tolerated, content trimmed), or null when there is none. A
 * stray second opening tag inside the pair ("<a>draft <a>final</a>") keeps what follows it.
 */
export function lastTagContent(text: string, tag: string): string | null {
  const { pair, open } = tagPattern(tag)
  let content: string | undefined
  for (const match of text.matchAll(pair)) content = match[1]
  if (content === undefined) return null
  const opens = Array.from(content.matchAll(open))
  const lastOpen = opens[opens.length - 1]
  if (lastOpen !== undefined) content = content.slice(lastOpen.index + lastOpen[0].length)
  return nonEmpty(content)
}

const regexCache = new Map<string, RegExp>()

/**
 * Compiles an extraction pattern with flags `g` and `m` (so `^` and `$` match at line ends). A
 * leading `(?i)` asks for case-insensitive matching, since the config has no flags field here.
 */
function compileExtractPattern(pattern: string): RegExp {
  let re = regexCache.get(pattern)
  if (re === undefined) {
    const insensitive = pattern.startsWith('(?i)')
    const source = insensitive ? pattern.slice(4) : pattern
    try {
      re = new RegExp(source, insensitive ? 'gim' : 'gm')
    } catch (error) {
      throw new InputError(
        `the extract pattern /${pattern}/ is not a valid regular expression (${(error as Error).message})`
      )
    }
    regexCache.set(pattern, re)
  }
  return re
}

function lastRegexGroup(text: string, pattern: string, group: number): string | null {
  const re = compileExtractPattern(pattern)
  let last: RegExpExecArray | undefined
  for (const match of text.matchAll(re)) last = match
  if (last === undefined) return null
  return nonEmpty(last[group])
}

function jsonAnswer(text: string, path: string | undefined): string | null {
  const found = findJson(text)
  if (found === undefined) return null
  const value =
    path === undefined || path.trim() === '' ? found.value : pickJsonPath(found.value, path)
  if (value === undefined || value === null) return null
  return nonEmpty(typeof value === 'string' ? value : JSON.stringify(value))
}

function lastLine(text: string): string | null {
  const lines = text.split(/\r?\n|\r/)
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = nonEmpty(lines[i])
    if (line !== null) return line
  }
  return null
}

/**
 * Reads the answer out of a model reply, or null when it holds none:
 * - `raw`: the trimmed reply;
 * - `tag`: the content of the last `<tag>…</tag>`;
 * - `regex`: group N of the last match (flags `gm`; group 0 is the whole match);
 * - `json`: the reply's JSON (the whole reply, else the last fenced block, else the last object in
 *   the prose), then the field at `path` (`a.b[0]`); strings as they are, other values as JSON;
 * - `last-line`: the last non-empty line.
 */
export function extractAnswer(reply: string, config: ExtractConfig): string | null {
  switch (config.type) {
    case 'raw':
      return nonEmpty(reply)
    case 'tag':
      return lastTagContent(reply, config.tag)
    case 'regex':
      return lastRegexGroup(reply, config.pattern, config.group)
    case 'json':
      return jsonAnswer(reply, config.path)
    case 'last-line':
      return lastLine(reply)
  }
}

/**
 * The JSON value an answer holds, for the json metric: with a `json` extraction, the value found
 * (at `path`, when set) without a round trip through text; with any other extraction, the JSON
 * found in the extracted text. Undefined when there is none.
 */
export function extractJsonValue(reply: string, config: ExtractConfig): FoundJson | undefined {
  if (config.type === 'json') {
    const found = findJson(reply)
    if (found === undefined || config.path === undefined || config.path.trim() === '') return found
    const value = pickJsonPath(found.value, config.path)
    return value === undefined ? undefined : { value }
  }
  const answer = extractAnswer(reply, config)
  return answer === null ? undefined : findJson(answer)
}
