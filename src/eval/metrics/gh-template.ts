/**
 * `gh models eval`'s templating, reproduced so evaluator values and judge prompts read the same as
 * there: every `{{key}}` of a top-level row field is replaced by the field's value (non-text
 * values formatted as Go's `%v` formats them); no nested `{{a.b}}`; a slot the row does not have
 * stays in the text as written.
 */

/** A value as Go's `fmt` `%v` prints the JSON-decoded value. */
export function goValueText(value: unknown): string {
  if (typeof value === 'string') return value
  if (value === null || value === undefined) return '<nil>'
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value)
  if (Array.isArray(value)) return `[${value.map(goValueText).join(' ')}]`
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0
    )
    return `map[${entries.map(([k, v]) => `${k}:${goValueText(v)}`).join(' ')}]`
  }
  return String(value)
}

/** The text with each `{{key}}` of `vars` replaced. */
export function fillGhTemplate(text: string, vars: Readonly<Record<string, unknown>>): string {
  let out = text
  for (const [key, value] of Object.entries(vars)) {
    out = out.split(`{{${key}}}`).join(goValueText(value))
  }
  return out
}
