/**
 * A synthetic JSON extraction task for the simulated provider: short invoice texts, each with its
 * expected object {vendor, invoice_number, date, currency, total} and zero to two field traits
 * (./json-traits.ts), a weak starting prompt that asks for JSON and names the fields, and a
 * response schema. Every row is checked against what the simulated target reads from its text
 * alone (./invoice-reader.ts), so the dataset and the simulation can never disagree.
 */
import { createRandom } from '../util/random.js'
import type { Random } from '../util/random.js'
import { COMPANIES, CURRENCIES, INVOICE_FIELDS, MONTHS, readInvoice } from './invoice-reader.js'
import type { InvoiceValues } from './invoice-reader.js'
import { detectJsonTraits } from './json-traits.js'
import type { JsonTraitId } from './json-traits.js'

/** The traits an invoice text can carry (all but the format trait `all-fields`). */
export const INVOICE_TRAITS = [
  'billed-to',
  'date-words',
  'currency-symbol',
  'currency-word',
  'two-amounts',
  'thousands'
] as const satisfies readonly JsonTraitId[]

export type InvoiceTraitId = (typeof INVOICE_TRAITS)[number]

export interface InvoiceTaskSpec {
  name: string
  size: number
  seed: number | string
  /** Traits the rows may carry (default: all of them). */
  traits?: readonly InvoiceTraitId[]
  /** Share of rows with no trait (default 0.25). */
  plainRate?: number
}

export interface InvoiceRow {
  id: string
  text: string
  expected: InvoiceValues
  /** Hidden: the traits visible in the text. Not written to disk. */
  traits: JsonTraitId[]
}

export interface InvoiceTask {
  name: string
  rows: InvoiceRow[]
  /** A weak user prompt: asks for JSON with the fields named, and an `Invoice: {{text}}` line. */
  initialPrompt: string
  /** The response schema: every field required, no other property (strict-mode ready). */
  schema: Record<string, unknown>
  description: string
}

export const INVOICE_PROMPT = [
  'Extract the invoice details from the text below as JSON with the fields vendor, invoice_number, date, currency and total.',
  '',
  'Invoice: {{text}}'
].join('\n')

export const INVOICE_SCHEMA: Record<string, unknown> = {
  type: 'object',
  additionalProperties: false,
  required: [...INVOICE_FIELDS],
  properties: {
    vendor: { type: 'string', description: 'The company that sent the invoice.' },
    invoice_number: { type: 'string' },
    date: { type: 'string' },
    currency: { type: 'string' },
    total: { type: 'number' }
  }
}

function pick<T>(rng: Random, items: readonly T[]): T {
  return items[rng.int(items.length)] as T
}

/** 1250 → "1,250.00". */
export function formatAmount(value: number): string {
  const [whole, cents] = value.toFixed(2).split('.') as [string, string]
  return `${whole.replace(/\B(?=(\d{3})+$)/g, ',')}.${cents}`
}

function chooseTraits(spec: InvoiceTaskSpec, rng: Random): InvoiceTraitId[] {
  const pool = spec.traits ?? INVOICE_TRAITS
  if (pool.length === 0 || rng.next() < (spec.plainRate ?? 0.25)) return []
  const first = pick(rng, pool)
  if (rng.next() >= 0.35) return [first]
  const second = pick(rng, pool)
  const currencies = new Set<InvoiceTraitId>(['currency-symbol', 'currency-word'])
  if (second === first || (currencies.has(first) && currencies.has(second))) return [first]
  return [first, second]
}

function invoiceText(traits: readonly InvoiceTraitId[], rng: Random): string {
  const has = (t: InvoiceTraitId): boolean => traits.includes(t)
  const vendor = pick(rng, COMPANIES)
  const customer = pick(
    rng,
    COMPANIES.filter((c) => c !== vendor)
  )
  const number = `INV-${1000 + rng.int(90000)}`
  const year = 2025 + rng.int(2)
  const month = rng.int(12)
  const day = 1 + rng.int(28)
  const iso = `${year}-${String(month + 1).padStart(2, '0')}-${String(day).padStart(2, '0')}`
  const monthName = MONTHS[month] as string
  const currency = pick(rng, CURRENCIES)
  const cents = rng.int(100) / 100
  const total = has('thousands') ? 1000 + rng.int(47000) + cents : 20 + rng.int(970) + cents
  const money = (value: number): string => {
    const amount = formatAmount(value)
    if (has('currency-symbol')) return `${currency.symbol}${amount}`
    if (has('currency-word')) return `${amount} ${currency.word}`
    return rng.next() < 0.5 ? `${amount} ${currency.code}` : `${currency.code} ${amount}`
  }
  const header = has('billed-to')
    ? pick(rng, [
        `Billed to ${customer}: invoice ${number} from ${vendor}.`,
        `Customer: ${customer}. Invoice ${number} from ${vendor}.`
      ])
    : pick(rng, [
        `Invoice ${number} from ${vendor}.`,
        `Please find attached invoice ${number} from ${vendor}.`,
        `New invoice ${number} from ${vendor} is ready.`
      ])
  const date = has('date-words')
    ? pick(rng, [`Issued on ${monthName} ${day}, ${year}.`, `Dated ${day} ${monthName} ${year}.`])
    : pick(rng, [`Issued ${iso}.`, `Invoice date: ${iso}.`])
  let amount: string
  if (has('two-amounts')) {
    const subtotal = Math.round((total / 1.2) * 100) / 100
    amount = pick(rng, [
      `Subtotal ${money(subtotal)}, total due ${money(total)}.`,
      `Net amount ${money(subtotal)}; with VAT the total is ${money(total)}.`
    ])
  } else {
    amount = pick(rng, [
      `Amount due: ${money(total)}.`,
      `Total due: ${money(total)}.`,
      `Please pay ${money(total)} by bank transfer.`
    ])
  }
  const body = rng.next() < 0.5 ? [date, amount] : [amount, date]
  const closer =
    rng.next() < 0.4
      ? [
          pick(rng, [
            'Thank you for your business.',
            'Payment terms: 30 days.',
            'Questions? Reply to this email.'
          ])
        ]
      : []
  return [header, ...body, ...closer].join(' ')
}

/** Generates an invoice extraction task; every row's expected object is what its text says. */
export function makeInvoiceTask(spec: InvoiceTaskSpec): InvoiceTask {
  const rng = createRandom(`invoices:${spec.name}:${String(spec.seed)}`)
  const rows: InvoiceRow[] = []
  const seen = new Set<string>()
  const width = Math.max(3, String(spec.size).length)
  for (let i = 0; i < spec.size; i++) {
    for (let attempt = 0; ; attempt++) {
      if (attempt >= 200) throw new Error(`task ${spec.name}: could not generate row ${i + 1}`)
      const traits = chooseTraits(spec, rng)
      const text = invoiceText(traits, rng)
      const read = readInvoice(text)
      const shown = detectJsonTraits(text)
      if (read === undefined || seen.has(text)) continue
      if (shown.join() !== [...traits].sort(byCatalogue).join()) continue
      seen.add(text)
      rows.push({
        id: `${spec.name}-${String(i + 1).padStart(width, '0')}`,
        text,
        expected: read.values,
        traits: shown
      })
      break
    }
  }
  return {
    name: spec.name,
    rows,
    initialPrompt: INVOICE_PROMPT,
    schema: INVOICE_SCHEMA,
    description: `invoice field extraction (synthetic, ${spec.size} rows)`
  }
}

function byCatalogue(a: InvoiceTraitId, b: InvoiceTraitId): number {
  return INVOICE_TRAITS.indexOf(a) - INVOICE_TRAITS.indexOf(b)
}
