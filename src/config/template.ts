/**
 * User prompt templates: `{{field}}` slots filled from a dataset row. Spaces inside the braces are
 * allowed (`{{ field }}`) and a dotted path reaches into nested objects (`{{ticket.subject}}`).
 * Write `\{{` for a literal `{{` (the backslash is dropped; nothing after it is substituted).
 */
import { InputError } from '../errors.js'

// Either an escaped `\{{` (no group) or a slot whose name is group 1. `{{}}` and names with braces
// are left as literal text, so JSON-ish examples inside a prompt survive untouched.
const SLOT = /\\\{\{|\{\{\s*([^{}\s](?:[^{}]*[^{}\s])?)\s*\}\}/g

/** Where a row comes from, for the message when a slot has no field. */
export interface RenderContext {
  /** The prompt file (relative path). */
  file: string
  /** The message's index in a messages file, when the template is one of its messages. */
  message?: number
  /** The row's stable id. */
  rowId: string
  /** The row's 1-based line in its dataset. */
  line?: number
  /** The dataset file (relative path). */
  dataFile?: string
}

/** The distinct slot names of a template, in order of first appearance. */
export function templateSlots(text: string): string[] {
  const slots: string[] = []
  for (const match of text.matchAll(SLOT)) {
    const name = match[1]
    if (name !== undefined && !slots.includes(name)) slots.push(name)
  }
  return slots
}

/**
 * Fills every slot from `fields`. Strings are inserted as they are, other values as JSON.
 * A slot with no such field is an InputError that names the prompt file, the slot, the row and
 * the fields the row does have.
 */
export function renderTemplate(
  text: string,
  fields: Record<string, unknown>,
  ctx: RenderContext
): string {
  return text.replace(SLOT, (_whole, name: string | undefined) => {
    if (name === undefined) return '{{'
    const found = lookupField(fields, name)
    if (!found.ok) throw missingSlotError(name, fields, ctx)
    return formatValue(found.value)
  })
}

/**
 * The value of a slot: the field named exactly so (CSV headers may contain dots), else the
 * dotted path into nested objects and arrays.
 */
export function lookupField(
  fields: Record<string, unknown>,
  name: string
): { ok: true; value: unknown } | { ok: false } {
  if (Object.hasOwn(fields, name) && fields[name] !== undefined)
    return { ok: true, value: fields[name] }
  let node: unknown = fields
  for (const part of name.split('.')) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, part))
      return { ok: false }
    node = (node as Record<string, unknown>)[part]
  }
  return node === undefined ? { ok: false } : { ok: true, value: node }
}

/** The error for a slot the row cannot fill; `others` counts further rows with the same gap. */
export function missingSlotError(
  slot: string,
  fields: Record<string, unknown>,
  ctx: RenderContext,
  others = 0
): InputError {
  const where = [ctx.dataFile, ctx.line === undefined ? undefined : `line ${ctx.line}`]
    .filter(Boolean)
    .join(' ')
  const row = `row ${JSON.stringify(ctx.rowId)}${where ? ` (${where})` : ''}`
  const inMessage = ctx.message === undefined ? '' : ` (messages[${ctx.message}])`
  const names = Object.keys(fields)
  const has = names.length > 0 ? names.join(', ') : 'none'
  const more = others > 0 ? ` (and ${others} more row${others === 1 ? '' : 's'})` : ''
  return new InputError(
    `slot {{${slot}}}${inMessage} has no field in ${row}${more}; the row's fields are: ${has}`,
    { file: ctx.file }
  )
}

function formatValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value)
}
