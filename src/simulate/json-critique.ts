/**
 * What the simulated optimizer sees in failing JSON extraction examples: it compares each reply's
 * JSON with the expected object field by field, and for every field that came back wrong it looks
 * for the invoice traits in the input that spoil that field; a field left out of the reply is a
 * format finding. Only traits the studied prompt does not address yet are named, weighted by how
 * often they spoiled a field.
 */
import { findJson } from '../eval/json-find.js'
import type { Random } from '../util/random.js'
import type { OptimizerRequest } from './optimizer-request.js'
import { JSON_TRAITS, getJsonTrait, jsonTraitsAddressedBy } from './json-traits.js'
import type { JsonTraitId } from './json-traits.js'

export interface JsonFinding {
  kind: 'json'
  trait: JsonTraitId
  field: string
  weight: number
  example: string
}

type JsonObject = Record<string, unknown>

function objectIn(text: string): JsonObject | undefined {
  const value = findJson(text)?.value
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined
}

function sameField(got: unknown, want: unknown): boolean {
  if (typeof want === 'number') return Number(got) === want
  return String(got).trim().toLowerCase() === String(want).trim().toLowerCase()
}

/** True when the failing examples are JSON extraction: their expected answers are JSON objects. */
export function isJsonRequest(request: OptimizerRequest): boolean {
  return (
    request.examples.length > 0 &&
    request.examples.every((ex) => objectIn(ex.expected) !== undefined)
  )
}

/** The field traits (and a missing-field finding) the failures show, not yet addressed by `studied`. */
export function jsonFindings(request: OptimizerRequest, studied: string): JsonFinding[] {
  const addressed = new Set(jsonTraitsAddressedBy(studied))
  const seen = new Map<JsonTraitId, JsonFinding>()
  const note = (trait: JsonTraitId, field: string, example: string): void => {
    const entry = seen.get(trait) ?? { kind: 'json', trait, field, weight: 0, example }
    entry.weight++
    seen.set(trait, entry)
  }
  for (const ex of request.examples) {
    const want = objectIn(ex.expected)
    const got = objectIn(ex.output)
    if (want === undefined || got === undefined) continue
    for (const [field, value] of Object.entries(want)) {
      if (!(field in got)) {
        note('all-fields', field, ex.text)
        continue
      }
      if (sameField(got[field], value)) continue
      for (const trait of JSON_TRAITS) {
        if (trait.field === field && trait.visibleIn(ex.text)) note(trait.id, field, ex.text)
      }
    }
  }
  return JSON_TRAITS.flatMap((t) => {
    const finding = seen.get(t.id)
    return finding !== undefined && !addressed.has(t.id) ? [finding] : []
  })
}

/** A critique naming a JSON finding; `quote` makes the excerpt of the example. */
export function renderJsonFinding(
  finding: JsonFinding,
  rng: Random,
  quote: (text: string) => string
): string {
  const templates = getJsonTrait(finding.trait).critiques
  const template = templates[rng.int(templates.length)] as string
  return template.replace('@{example}', quote(finding.example)).replace('@{field}', finding.field)
}
