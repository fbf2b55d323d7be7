/**
 * Reading `<tag>…</tag>` items out of an optimizer model's reply.
 *
 * Tolerant of what models actually write — any letter case, spaces inside the angle brackets,
 * attributes on the opening tag — but strict about what counts as an answer: text outside the
 * tags is never taken as an item, an opening tag without its closing tag yields nothing, and a reply
 * without the tag yields `undefined` / `[]`. The reference code of both papers let a malformed reply
 * (or a sentinel string) become the next prompt; here the caller sees "missing" and counts it.
 */

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

function tagPattern(tag: string): RegExp {
  const name = escapeRegExp(tag.trim())
  // Opening tag may carry attributes (`<critique n="1">`); the name must end there (so <prompt>
  // does not match <prompt_v2>). Non-greedy body up to the first matching closing tag.
  return new RegExp(`<\\s*${name}(?:\\s[^<>]*)?>([\\s\\S]*?)<\\s*/\\s*${name}\\s*>`, 'gi')
}

/**
 * Every `<tag>…</tag>` item in `text`, in order, trimmed. Empty items are kept as `''` so a caller
 * can tell "answered with nothing" from "did not answer"; filter them when they mean nothing.
 */
export function parseTagged(text: string, tag: string): string[] {
  const items: string[] = []
  for (const match of text.matchAll(tagPattern(tag))) items.push((match[1] ?? '').trim())
  return items
}

/**
 * The last `<tag>…</tag>` item (trimmed), or undefined when the reply has none. The last one is the
 * model's final answer when it drafted or quoted the tag earlier in its reply.
 */
export function parseLastTagged(text: string, tag: string): string | undefined {
  const items = parseTagged(text, tag)
  return items.length === 0 ? undefined : items[items.length - 1]
}

/** The first `<tag>…</tag>` item (trimmed), or undefined when the reply has none. */
export function parseFirstTagged(text: string, tag: string): string | undefined {
  return parseTagged(text, tag)[0]
}

/** `<tag>\ncontent\n</tag>`: how our meta-prompts wrap every piece of text they send. */
export function wrapTag(tag: string, content: string): string {
  return `<${tag}>\n${content}\n</${tag}>`
}
