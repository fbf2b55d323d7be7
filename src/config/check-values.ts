/**
 * A check's `value`: the expected value it compares with instead of the row's, with `{{field}}`
 * slots filled from the row by the same rules as the prompt templates (template.ts).
 */
import { lookupField, renderTemplate, templateSlots } from './template.js'
import type { RenderContext } from './template.js'

const WHOLE_SLOT = /^\{\{\s*([^{}\s](?:[^{}]*[^{}\s])?)\s*\}\}$/

/**
 * The value for one row. A string that is exactly one slot takes the field's value as it is (a
 * list stays a list of accepted answers, a number a number); any other string is rendered as a
 * template; a list is filled item by item; other values are used as written. A slot the row
 * cannot fill throws the template's InputError (naming `ctx.file`, the slot and the row's fields).
 */
export function fillCheckValue(
  value: unknown,
  fields: Record<string, unknown>,
  ctx: RenderContext
): unknown {
  if (Array.isArray(value)) return value.map((item) => fillCheckValue(item, fields, ctx))
  if (typeof value !== 'string') return value
  const whole = WHOLE_SLOT.exec(value)
  if (whole?.[1] !== undefined) {
    const found = lookupField(fields, whole[1])
    if (found.ok) return found.value
  }
  return renderTemplate(value, fields, ctx)
}

/** The distinct `{{field}}` slots of a check value (in its strings and list items). */
export function checkValueSlots(value: unknown): string[] {
  if (Array.isArray(value)) return [...new Set(value.flatMap(checkValueSlots))]
  return typeof value === 'string' ? templateSlots(value) : []
}
