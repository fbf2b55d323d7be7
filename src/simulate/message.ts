/**
 * Reading a rendered prompt the way the simulated target does: where the example text is, which
 * labels the prompt offers, and which tag (if any) it wants the answer in. Only the message text
 * is used — nothing about the dataset or the template is known here.
 */
import { kindsNamedIn, lexiconOf } from './lexicon.js'

export interface FoundExample {
  text: string
  /** The whole span that held it (with its field label or tags), removed from the instructions. */
  span: string
}

const FIELD_NAMES =
  'review|ticket|text|message|input|email|sms|request|statement|question|query|sentence|tweet|comment|document|passage|content|invoice'

const FIELD_TAG = new RegExp(`<(${FIELD_NAMES})(?:\\s[^<>]*)?>([\\s\\S]*?)</\\1\\s*>`, 'i')
const FIELD_LINE = new RegExp(`^[ \\t]*(?:${FIELD_NAMES})[ \\t]*:[ \\t]*(.*)$`, 'im')
const QUOTED_BLOCK = /("""|```)\n?([\s\S]*?)\n?\1/

/** The example text of a rendered user message, or undefined when it cannot be told apart. */
export function findExample(user: string): FoundExample | undefined {
  const tag = FIELD_TAG.exec(user)
  if (tag && (tag[2] ?? '').trim() !== '') return { text: (tag[2] as string).trim(), span: tag[0] }
  const line = FIELD_LINE.exec(user)
  if (line) {
    const rest = (line[1] ?? '').trim()
    if (rest !== '') return { text: rest, span: line[0] }
    // "Text:" alone on its line: the example is the paragraph below it
    const after = user.slice(line.index + line[0].length).replace(/^\s*\n/, '')
    const paragraph = after.split(/\n\s*\n/)[0]?.trim() ?? ''
    if (paragraph !== '') return { text: paragraph, span: `${line[0]}\n${paragraph}` }
  }
  const quoted = QUOTED_BLOCK.exec(user)
  if (quoted && (quoted[2] ?? '').trim() !== '') {
    return { text: (quoted[2] as string).trim(), span: quoted[0] }
  }
  return undefined
}

const LIST_INTRO =
  /\b(?:one of|choose from|choices|labels|categories|options|classes)\b\s*:?\s*([^\n]*)/gi
const PAIR =
  /\b(?:as|either|answer|respond with|reply with|label it)\s+['"`]?([\w-]+)['"`]?\s+or\s+['"`]?([\w-]+)/i

function listItems(rest: string): string[] | undefined {
  const clause = rest.split(/[.;:()?!](?:\s|$)|[()]/)[0] ?? ''
  const items = clause
    .split(/,|\bor\b|\//)
    .map((s) => s.trim().replace(/^['"`[]+|['"`\]]+$/g, ''))
    .filter((s) => s !== '')
  if (items.length < 2 || !items.every((s) => /^[\w-]+$/.test(s))) return undefined
  return items
}

/** The labels a prompt offers: an explicit list, else a known label set it names, else "X or Y". */
export function findChoices(instructions: string): string[] | undefined {
  for (const match of instructions.matchAll(LIST_INTRO)) {
    const items = listItems(match[1] ?? '')
    if (items) return items
  }
  const kinds = kindsNamedIn(instructions)
  if (kinds[0] !== undefined) {
    // in the prompt's own spelling ("Spam", "Ham"), which is what the answer should repeat
    return lexiconOf(kinds[0]).labels.map(
      (l) => new RegExp(`\\b${l}\\b`, 'i').exec(instructions)?.[0] ?? l
    )
  }
  const pair = PAIR.exec(instructions)
  if (pair?.[1] && pair[2] && pair[1].toLowerCase() !== pair[2].toLowerCase()) {
    return [pair[1], pair[2]]
  }
  return undefined
}

/** The tag the instructions ask the answer to be put in (`answer` preferred), or undefined. */
export function requestedAnswerTag(instructions: string): string | undefined {
  const names: string[] = []
  for (const m of instructions.matchAll(/<([A-Za-z][\w.-]*)(?:\s[^<>]*)?>/g)) {
    const name = m[1] as string
    const closed = new RegExp(`</\\s*${name.replace(/[.]/g, '\\.')}\\s*>`, 'i').test(instructions)
    const named = new RegExp(`<${name}>\\s*tags?\\b`, 'i').test(instructions)
    if ((closed || named) && !names.includes(name)) names.push(name)
  }
  return names.find((n) => n.toLowerCase() === 'answer') ?? names[0]
}
