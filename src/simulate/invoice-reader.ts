/**
 * Reading a synthetic invoice the way the simulated target does: the vendor (the company after
 * "from"), the invoice number, the issue date, the currency and the total, as the text really
 * means them, and, for each field, the value a careless reader gives when a trait of the text goes
 * unheeded (the customer it is billed to, the date as written, the currency symbol or word, the
 * subtotal, an amount whose thousands separator was read as a decimal point). The generator
 * (./invoice-task.ts) writes with these same patterns, so data and reader can never disagree.
 */

export const INVOICE_FIELDS = ['vendor', 'invoice_number', 'date', 'currency', 'total'] as const

export type InvoiceField = (typeof INVOICE_FIELDS)[number]

export interface InvoiceValues {
  vendor: string
  invoice_number: string
  date: string
  currency: string
  total: number
}

export const COMPANIES = [
  'Northwind Traders',
  'Blue Harbor Supplies',
  'Kestrel Office Goods',
  'Alder and Finch Printing',
  'Copperline Logistics',
  'Maple Row Catering',
  'Quartz Field Software',
  'Harbor Light Cleaning',
  'Acme Robotics',
  'Lumen Dental Care',
  'Riverside Primary School',
  'Oakridge Bakery',
  'Silverpine Architects',
  'Greenway Bicycles'
] as const

export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December'
] as const

export interface Currency {
  code: string
  symbol: string
  word: string
}

export const CURRENCIES: readonly Currency[] = [
  { code: 'EUR', symbol: '€', word: 'euros' },
  { code: 'USD', symbol: '$', word: 'dollars' },
  { code: 'GBP', symbol: '£', word: 'pounds' }
]

const COMPANY = COMPANIES.join('|')
const VENDOR = new RegExp(`\\bfrom (${COMPANY})\\b`)
/** Names the customer before the vendor: the trap of the `billed-to` trait. */
export const BILLED_TO = new RegExp(`\\b(?:billed to|customer:) (${COMPANY})\\b`, 'i')
const INVOICE_NUMBER = /\bINV-\d{4,5}\b/
const ISO_DATE = /\b(\d{4})-(\d{2})-(\d{2})\b/
const MONTH = MONTHS.join('|')
/** "March 14, 2026" or "14 March 2026". */
export const WORD_DATE = new RegExp(
  `\\b(?:(${MONTH}) (\\d{1,2}), (\\d{4})|(\\d{1,2}) (${MONTH}) (\\d{4}))\\b`
)
/** An amount with its currency as a symbol before it, a code before or after it, or a word after. */
export const MONEY =
  /(?:([€$£])|\b(EUR|USD|GBP) )?(\d{1,3}(?:,\d{3})+|\d+)\.(\d{2})(?: (EUR|USD|GBP|euros|dollars|pounds)\b)?/g

export interface MoneyMention {
  /** The amount as written ("1,250.00"). */
  written: string
  value: number
  /** How the currency is written next to it: the symbol, the code or the word. */
  currency: string
}

/** Every amount with a currency in the text, in order. */
export function moneyIn(text: string): MoneyMention[] {
  const out: MoneyMention[] = []
  for (const m of text.matchAll(MONEY)) {
    const currency = m[1] ?? m[2] ?? m[5]
    if (currency === undefined) continue
    const written = `${m[3] as string}.${m[4] as string}`
    out.push({ written, value: Number(written.replace(/,/g, '')), currency })
  }
  return out
}

/** The ISO code of a currency as written (symbol, code or word), or undefined. */
export function currencyCode(written: string): string | undefined {
  return CURRENCIES.find((c) => [c.code, c.symbol, c.word].includes(written))?.code
}

/** A date in words as YYYY-MM-DD. */
function isoOf(match: RegExpExecArray): string {
  const month = (match[1] ?? match[5]) as (typeof MONTHS)[number]
  const day = (match[2] ?? match[4]) as string
  const year = (match[3] ?? match[6]) as string
  const mm = String(MONTHS.indexOf(month) + 1).padStart(2, '0')
  return `${year}-${mm}-${day.padStart(2, '0')}`
}

/** What a careless reader reads an amount with a thousands separator as: "1,250.00" → 1.25. */
export function commaAsDecimal(written: string): number {
  const [whole, ...rest] = written.split(',')
  return Number(`${whole as string}.${rest.join('').replace(/\./g, '')}`)
}

/** How the reader treats each field: `careful` flags say which traps it avoids. */
export interface ReadingCare {
  /** The customer named first is not the vendor. */
  billedTo: boolean
  /** A date in words is given as YYYY-MM-DD. */
  dateWords: boolean
  /** A currency symbol is given as its code. */
  currencySymbol: boolean
  /** A currency word is given as its code. */
  currencyWord: boolean
  /** The last of several amounts is the total. */
  twoAmounts: boolean
  /** A comma in an amount separates thousands. */
  thousands: boolean
}

export const CAREFUL: ReadingCare = {
  billedTo: true,
  dateWords: true,
  currencySymbol: true,
  currencyWord: true,
  twoAmounts: true,
  thousands: true
}

/**
 * The invoice's fields as a reader with the given care reads them; undefined when the text is not
 * an invoice (no vendor, number, date or amount can be found).
 */
export function readInvoice(
  text: string,
  care: ReadingCare = CAREFUL
): { values: InvoiceValues; raw: Record<InvoiceField, string | number> } | undefined {
  const vendor = VENDOR.exec(text)?.[1]
  const number = INVOICE_NUMBER.exec(text)?.[0]
  const iso = ISO_DATE.exec(text)
  const words = WORD_DATE.exec(text)
  const money = moneyIn(text)
  const last = money[money.length - 1]
  if (vendor === undefined || number === undefined || last === undefined) return undefined
  if (iso === null && words === null) return undefined
  const customer = BILLED_TO.exec(text)?.[1]
  const date = iso !== null ? iso[0] : isoOf(words as RegExpExecArray)
  const code = currencyCode(last.currency) ?? last.currency
  const values: InvoiceValues = {
    vendor,
    invoice_number: number,
    date,
    currency: code,
    total: last.value
  }
  const amount = care.twoAmounts ? last : (money[0] as MoneyMention)
  const symbol = CURRENCIES.some((c) => c.symbol === last.currency)
  const word = CURRENCIES.some((c) => c.word === last.currency)
  const raw: Record<InvoiceField, string | number> = {
    vendor: customer !== undefined && !care.billedTo ? customer : vendor,
    invoice_number: number,
    date: iso === null && !care.dateWords ? (words as RegExpExecArray)[0] : date,
    currency:
      (symbol && !care.currencySymbol) || (word && !care.currencyWord) ? last.currency : code,
    total:
      amount.written.includes(',') && !care.thousands
        ? commaAsDecimal(amount.written)
        : amount.value
  }
  return { values, raw }
}
