/**
 * The field-level traits of synthetic invoices (the JSON extraction world of the simulation): what
 * in an invoice's text trips a careless extractor, which field it spoils, the instructions that
 * address it (with the stems that let any wording count) and the critiques that name it. The
 * `all-fields` entry is about the reply's format, not a field: a reply that leaves a field out.
 * Kept apart from the label traits (./traits.ts) so neither world reads the other's instructions.
 */
import { BILLED_TO, WORD_DATE, moneyIn } from './invoice-reader.js'
import type { InvoiceField, ReadingCare } from './invoice-reader.js'

export const JSON_TRAIT_IDS = [
  'billed-to',
  'date-words',
  'currency-symbol',
  'currency-word',
  'two-amounts',
  'thousands',
  'all-fields'
] as const

export type JsonTraitId = (typeof JSON_TRAIT_IDS)[number]

export interface JsonTrait {
  id: JsonTraitId
  title: string
  /** The field the trait spoils; undefined for the format trait `all-fields`. */
  field: InvoiceField | undefined
  /** True when the trait can be seen in the invoice's text (never for `all-fields`). */
  visibleIn(text: string): boolean
  phrasings: readonly string[]
  /** Lower-case substrings: an instruction text containing one addresses the trait. */
  stems: readonly string[]
  /** Critiques naming the trait; `@{example}` is replaced by a quoted excerpt, `@{field}` by the field. */
  critiques: readonly string[]
}

const SYMBOLS = /[€$£]\d/
const WORDS = /\d (?:euros|dollars|pounds)\b/

export const JSON_TRAITS: readonly JsonTrait[] = [
  {
    id: 'billed-to',
    title: 'the customer named before the vendor',
    field: 'vendor',
    visibleIn: (t) => BILLED_TO.test(t),
    phrasings: [
      'The vendor is the company that issued the invoice (the one it is from), never the customer it is billed to.',
      'Do not confuse the two companies: vendor is the issuer of the invoice, not the customer.'
    ],
    stems: ['billed to', 'the customer', 'issuer', 'issued the invoice'],
    critiques: [
      'Invoices such as "@{example}" name the customer first, and the model gave the customer as vendor; the prompt should say the vendor is the company that issued the invoice, not the customer.',
      'The @{field} field is wrong when the invoice names who it is billed to (see "@{example}").'
    ]
  },
  {
    id: 'date-words',
    title: 'dates written in words',
    field: 'date',
    visibleIn: (t) => WORD_DATE.test(t),
    phrasings: [
      'Write date as YYYY-MM-DD, also when the invoice spells the date out in words.',
      'Convert every date to the ISO date form YYYY-MM-DD.'
    ],
    stems: ['yyyy-mm-dd', 'iso date'],
    critiques: [
      'Dates spelled out in words ("@{example}") are copied as written; the prompt should ask for the date as YYYY-MM-DD.',
      'The @{field} field keeps the wording of the text (see "@{example}") instead of an ISO date (YYYY-MM-DD).'
    ]
  },
  {
    id: 'currency-symbol',
    title: 'a currency symbol',
    field: 'currency',
    visibleIn: (t) => SYMBOLS.test(t),
    phrasings: [
      'When the currency is shown as a symbol (€, $, £), give its three-letter code (EUR, USD, GBP) instead of the symbol.',
      'Map a currency symbol to its three-letter code.'
    ],
    stems: ['symbol'],
    critiques: [
      'When the amount carries a currency symbol ("@{example}") the model returns the symbol; the prompt should ask for the three-letter code instead of the symbol.'
    ]
  },
  {
    id: 'currency-word',
    title: 'a currency named in words',
    field: 'currency',
    visibleIn: (t) => WORDS.test(t),
    phrasings: [
      'When the currency is given by its name (euros, dollars, pounds), answer with the currency code (EUR, USD, GBP), not the name.',
      'A currency name such as euros becomes its currency code.'
    ],
    stems: ['currency name', 'by its name', 'currency code'],
    critiques: [
      'The currency is sometimes given by its name ("@{example}") and the model copied the name; the prompt should ask to turn a currency name into its currency code.'
    ]
  },
  {
    id: 'two-amounts',
    title: 'a subtotal before the total',
    field: 'total',
    visibleIn: (t) => moneyIn(t).length > 1,
    phrasings: [
      'When the invoice lists a subtotal and then the total, total is the final amount due, not the subtotal.',
      'If several amounts appear, take the final amount due as total.'
    ],
    stems: ['subtotal', 'final amount', 'several amounts'],
    critiques: [
      'Invoices with more than one amount ("@{example}") get the first one as @{field}; the prompt should say the total is the final amount due, not the subtotal.'
    ]
  },
  {
    id: 'thousands',
    title: 'a thousands separator',
    field: 'total',
    visibleIn: (t) => moneyIn(t).some((m) => m.written.includes(',')),
    phrasings: [
      'Amounts may use commas as thousands separators (1,250.00 is one thousand two hundred fifty); give total as a plain number without them.',
      'A comma inside an amount separates thousands; it is not a decimal point.'
    ],
    stems: ['thousands'],
    critiques: [
      'Large amounts such as "@{example}" come back far too small: the model read the comma as a decimal point. The prompt should explain thousands separators.'
    ]
  },
  {
    id: 'all-fields',
    title: 'a field left out',
    field: undefined,
    visibleIn: () => false,
    phrasings: [
      'Always include every field of the object, even when you are unsure of a value.',
      'Every reply must contain all fields.'
    ],
    stems: ['every field', 'all fields', 'all of the fields'],
    critiques: [
      'Some replies leave the @{field} field out entirely (see "@{example}"); the prompt should require every field in each reply.'
    ]
  }
]

const BY_ID = new Map<JsonTraitId, JsonTrait>(JSON_TRAITS.map((t) => [t.id, t]))

export function getJsonTrait(id: JsonTraitId): JsonTrait {
  const trait = BY_ID.get(id)
  if (trait === undefined) throw new Error(`unknown JSON trait ${id}`)
  return trait
}

/** The field traits visible in an invoice's text, in catalogue order. */
export function detectJsonTraits(text: string): JsonTraitId[] {
  return JSON_TRAITS.filter((t) => t.visibleIn(text)).map((t) => t.id)
}

/** The JSON traits an instruction text addresses (any stem occurs in it). */
export function jsonTraitsAddressedBy(text: string): JsonTraitId[] {
  const lower = text.toLowerCase()
  return JSON_TRAITS.filter((t) => t.stems.some((s) => lower.includes(s))).map((t) => t.id)
}

/** How a reader minds each field trap, given the traits its instructions address. */
export function careFrom(addressed: ReadonlySet<JsonTraitId>): ReadingCare {
  return {
    billedTo: addressed.has('billed-to'),
    dateWords: addressed.has('date-words'),
    currencySymbol: addressed.has('currency-symbol'),
    currencyWord: addressed.has('currency-word'),
    twoAmounts: addressed.has('two-amounts'),
    thousands: addressed.has('thousands')
  }
}
