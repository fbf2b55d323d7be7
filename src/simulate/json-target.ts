/**
 * The simulated target on a JSON extraction request: asked for JSON (a `response_format`, or the
 * prompt says JSON) about an invoice, it replies with a JSON object of the fields it was asked for
 * (the schema's properties, else the invoice fields the prompt names). A field comes back wrong
 * when a trait of the text that spoils it is not addressed by the instructions — the system and
 * user prompt around the invoice, and the descriptions in the response schema. Without a strict
 * `json_schema` format it sometimes breaks the format: prose around the JSON (text only, unless
 * the prompt asks for only the JSON), a field left out (unless the prompt asks for every field), a
 * reply cut short (text only). A strict schema is always followed. Every draw is seeded by the
 * request text, as for labels (./target-model.ts).
 */
import type { ChatMessage, ResponseFormat } from '../llm/chat-model.js'
import { unitHash } from './chance.js'
import { INVOICE_FIELDS, readInvoice } from './invoice-reader.js'
import type { InvoiceField } from './invoice-reader.js'
import { careFrom, detectJsonTraits, getJsonTrait, jsonTraitsAddressedBy } from './json-traits.js'
import type { JsonTraitId } from './json-traits.js'
import { findExample } from './message.js'

/** How the reply's format was broken, if it was. */
export type JsonBreak = 'prose' | 'missing-field' | 'cut-short'

export interface JsonDecision {
  reply: string
  /** The object given (before any break), or undefined when the text is no invoice. */
  given: Record<string, string | number> | undefined
  /** The invoice's true fields. */
  truth: Record<string, string | number> | undefined
  traits: JsonTraitId[]
  /** Traits that spoiled a field (not addressed by the instructions). */
  missed: JsonTraitId[]
  broken: JsonBreak | undefined
  /** The field left out, for `missing-field`. */
  dropped: string | undefined
  noisy: boolean
}

/** Share of replies with prose around the JSON when plain text is asked for. */
const PROSE_RATE = 0.3
/** Share of replies missing a field without a strict schema. */
const MISSING_RATE = 0.12
/** Share of plain-text replies cut short (no JSON to read). */
const CUT_RATE = 0.03

const ONLY_JSON = /\bonly (?:the |a |one )?json\b|\bno other text\b|\bnothing else\b/i

/** The descriptions in a schema: instructions the model reads as it reads the prompt. */
function descriptionsOf(schema: unknown): string[] {
  if (Array.isArray(schema)) return schema.flatMap(descriptionsOf)
  if (schema === null || typeof schema !== 'object') return []
  return Object.entries(schema).flatMap(([key, value]) =>
    key === 'description' && typeof value === 'string' ? [value] : descriptionsOf(value)
  )
}

function schemaOf(format: ResponseFormat | undefined): Record<string, unknown> | undefined {
  return format?.type === 'json_schema' ? format.json_schema.schema : undefined
}

/** The fields asked for: the schema's properties, else the invoice fields the prompt names. */
function fieldsAsked(format: ResponseFormat | undefined, instructions: string): string[] {
  const properties = schemaOf(format)?.['properties']
  if (properties !== null && typeof properties === 'object') return Object.keys(properties)
  const named = INVOICE_FIELDS.filter((f) => new RegExp(`\\b${f}\\b`, 'i').test(instructions))
  return named.length > 0 ? named : [...INVOICE_FIELDS]
}

/** True when the request asks for JSON: a response format, or the word JSON in the instructions. */
export function asksForJson(instructions: string, format: ResponseFormat | undefined): boolean {
  return format !== undefined || /\bjson\b/i.test(instructions)
}

/**
 * The simulated target's decision on a JSON request, or undefined when the request holds no
 * invoice (the label world of ./target-model.ts answers it then).
 */
export function decideAsJsonTarget(
  messages: readonly ChatMessage[],
  format: ResponseFormat | undefined,
  options: { seed: number; noise?: number; sampleIndex?: number }
): JsonDecision | undefined {
  const system = messages
    .filter((m) => m.role === 'system')
    .map((m) => m.content)
    .join('\n\n')
  const last = messages.map((m) => m.role).lastIndexOf('user')
  const user = messages[last]?.content ?? ''
  const found = findExample(user)
  const text = found?.text ?? user
  const schema = schemaOf(format)
  const instructions = [
    system,
    found ? user.replace(found.span, ' ') : '',
    ...descriptionsOf(schema)
  ].join('\n\n')
  if (!asksForJson(instructions, format)) return undefined
  const addressed = new Set(jsonTraitsAddressedBy(instructions))
  const read = readInvoice(text, careFrom(addressed))
  if (read === undefined) return undefined
  const sample = options.sampleIndex ? `#${options.sampleIndex}` : ''
  const formatKey = JSON.stringify(format ?? null)
  const draw = (what: string): number =>
    unitHash(options.seed, 'json', what, system, user, formatKey, sample)

  const traits = detectJsonTraits(text)
  const fields = fieldsAsked(format, instructions)
  const given: Record<string, string | number> = {}
  const truth: Record<string, string | number> = {}
  for (const field of fields) {
    if (!(INVOICE_FIELDS as readonly string[]).includes(field)) continue
    given[field] = read.raw[field as InvoiceField]
    truth[field] = read.values[field as InvoiceField]
  }
  const missed = traits.filter((t) => {
    const field = getJsonTrait(t).field
    return (
      field !== undefined && !addressed.has(t) && field in given && given[field] !== truth[field]
    )
  })
  let noisy = false
  if (draw('noise') < (options.noise ?? 0.03) && typeof given['invoice_number'] === 'string') {
    // a digit misread: the last two digits swapped
    given['invoice_number'] = given['invoice_number'].replace(/(\d)(\d)$/, '$2$1')
    noisy = given['invoice_number'] !== truth['invoice_number']
  }

  const strict = format?.type === 'json_schema' && format.json_schema.strict
  let broken: JsonBreak | undefined
  let dropped: string | undefined
  let object = given
  const keys = Object.keys(given)
  if (!strict && !addressed.has('all-fields') && draw('missing') < MISSING_RATE) {
    dropped = keys[Math.floor(draw('missing-field') * keys.length)]
    if (dropped !== undefined) {
      object = Object.fromEntries(Object.entries(given).filter(([k]) => k !== dropped))
      broken = 'missing-field'
    }
  }
  const json = JSON.stringify(object)
  let reply = json
  if (format === undefined) {
    if (draw('cut') < CUT_RATE) {
      reply = json.slice(0, Math.max(1, Math.floor(json.length / 2)))
      broken = 'cut-short'
    } else if (!ONLY_JSON.test(instructions) && draw('prose') < PROSE_RATE) {
      reply = `Here are the invoice details:\n\`\`\`json\n${JSON.stringify(object, null, 2)}\n\`\`\`\nLet me know if you need anything else.`
      broken ??= 'prose'
    }
  }
  return { reply, given, truth, traits, missed, broken, dropped, noisy }
}
