/**
 * The meta-prompt contract as the simulated optimizer reads it: the tag names a meta-prompt wraps
 * its pieces in (defined with the algorithm, in src/optimize/meta-tags.ts, and re-exported here),
 * and the answer tag that tells the request kind. The full contract is written out at the top of
 * ./optimizer-model.ts.
 */
import { CONTRACT_TAGS } from '../optimize/meta-tags.js'
import type { MetaTag } from '../optimize/meta-tags.js'

export { CONTRACT_TAGS }

export type ContractTag = MetaTag

/** The tag synthetic task prompts ask the target model to put its label in. */
export const ANSWER_TAG = 'answer'

/** The kinds of optimizer request the simulation understands, by the answer tag they ask for. */
export type RequestKind =
  'critique' | 'rewrite' | 'paraphrase' | 'analysis' | 'system-rewrite' | 'reflect'

/**
 * Answer tag → request kind, in the order they are tried: a rewrite request also carries the
 * critique (or analysis) it answers, so the more specific asks come first.
 */
export const REQUEST_TAGS: ReadonlyArray<readonly [ContractTag, RequestKind]> = [
  [CONTRACT_TAGS.newPrompt, 'reflect'],
  [CONTRACT_TAGS.improvedSystemPrompt, 'system-rewrite'],
  [CONTRACT_TAGS.improvedPrompt, 'rewrite'],
  [CONTRACT_TAGS.paraphrase, 'paraphrase'],
  [CONTRACT_TAGS.analysis, 'analysis'],
  [CONTRACT_TAGS.critique, 'critique']
]

/** How a request names the tag it wants its answer in: the empty pair, e.g. `<critique></critique>`. */
export function askFor(tag: string): string {
  return `<${tag}></${tag}>`
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** Every `<tag>…</tag>` body in the text, trimmed, in order (case-insensitive tag name). */
export function taggedAll(text: string, tag: string): string[] {
  const name = escapeRegExp(tag)
  const re = new RegExp(`<\\s*${name}(?:\\s[^<>]*)?>([\\s\\S]*?)<\\s*/\\s*${name}\\s*>`, 'gi')
  return Array.from(text.matchAll(re), (m) => (m[1] ?? '').trim())
}

/** The first `<tag>…</tag>` body, or undefined. */
export function taggedFirst(text: string, tag: string): string | undefined {
  return taggedAll(text, tag)[0]
}

/** The text with every `<tag>…</tag>` block (tags included) removed. */
export function withoutTagged(text: string, tag: string): string {
  const name = escapeRegExp(tag)
  const re = new RegExp(`<\\s*${name}(?:\\s[^<>]*)?>[\\s\\S]*?<\\s*/\\s*${name}\\s*>`, 'gi')
  return text.replace(re, ' ')
}

/** `<tag>\nbody\n</tag>`. */
export function wrap(tag: string, body: string): string {
  return `<${tag}>\n${body}\n</${tag}>`
}

/**
 * The count a request asks for ("Give 3 critiques", "Give two paraphrases"), or undefined.
 * `noun` is singular ("critique"); the plural is matched too.
 */
export function requestedCount(text: string, noun: string): number | undefined {
  const words: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6 }
  const re = new RegExp(`\\bgive\\s+(\\d+|one|two|three|four|five|six)\\s+${noun}s?\\b`, 'i')
  const match = re.exec(text)
  if (!match?.[1]) return undefined
  const raw = match[1].toLowerCase()
  const n = words[raw] ?? Number.parseInt(raw, 10)
  return Number.isFinite(n) && n > 0 ? n : undefined
}

/** The `{{slot}}` names in a template, in first-seen order, without repeats. */
export function slotNames(template: string): string[] {
  const names: string[] = []
  for (const m of template.matchAll(/\{\{\s*([\w.-]+)\s*\}\}/g)) {
    const name = m[1] as string
    if (!names.includes(name)) names.push(name)
  }
  return names
}
