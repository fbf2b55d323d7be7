/**
 * Text and number normalisation shared by the metrics.
 *
 * Text: Unicode NFKC, punctuation removed, whitespace collapsed, trimmed, and (unless asked to keep
 * case) lowercased. Articles are NOT removed: "a" and "the" can be the answer, and removing them
 * would make "The Who" equal "who". Punctuation inside numbers survives so "3.5" stays "3.5" and
 * not "35": a `.`, `,` or `:` between two digits, and a minus sign directly before a digit. Dashes
 * and slashes between words become a space ("well-known" = "well known"); other punctuation is
 * dropped ("don't" = "dont", "U.S.A." = "usa"), and that includes %, &, #, @ and *, which Unicode
 * counts as punctuation ("50%" = "50"). Symbols ($, +, =, <, emoji) are kept.
 *
 * Numbers: an optional sign (+, -, or the Unicode minus), digits with optional thousands
 * separators (`1,234`) or `_`, an optional decimal part and exponent. A currency sign before the
 * number and a trailing `%` or sentence period are allowed and ignored: "50%" reads as 50, not
 * 0.5, because a dataset's expected values are written the way the answers are (a percent answer
 * against a percent label). Fractions ("3/4") and words ("five") are not numbers here.
 */

const PUNCTUATION = /\p{P}/u
const DIGIT = /\p{Nd}/u
const WORD_CHAR = /[\p{L}\p{N}]/u
/** Punctuation that separates words rather than joining them. */
const SEPARATORS = new Set(['-', '‐', '‑', '‒', '–', '—', '―', '/', '\\', '_'])
const MINUS_SIGNS = new Set(['-', '−', '‒', '–'])

/** Options of {@link foldText}. */
export interface FoldOptions {
  /** Keep letter case (default false: lowercase). */
  caseSensitive?: boolean
}

/**
 * Folds text for comparison: NFKC, punctuation stripped (see the module comment), whitespace
 * collapsed, trimmed, lowercased unless `caseSensitive`.
 */
export function foldText(text: string, options: FoldOptions = {}): string {
  const chars = Array.from(text.normalize('NFKC'))
  let out = ''
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] as string
    if (!PUNCTUATION.test(ch)) {
      out += ch
      continue
    }
    const before = chars[i - 1] ?? ''
    const after = chars[i + 1] ?? ''
    const betweenDigits = DIGIT.test(before) && DIGIT.test(after)
    if (betweenDigits && (ch === '.' || ch === ',' || ch === ':')) {
      out += ch
    } else if (MINUS_SIGNS.has(ch) && DIGIT.test(after) && !WORD_CHAR.test(before)) {
      out += '-'
    } else if (SEPARATORS.has(ch)) {
      out += ' '
    }
  }
  out = out.replace(/\s+/gu, ' ').trim()
  return options.caseSensitive === true ? out : out.toLowerCase()
}

/** Lowercased, punctuation-free, whitespace-collapsed text: what "exact match" compares. */
export function normalizeText(text: string): string {
  return foldText(text)
}

/** Any expected value as text: strings as they are, numbers and booleans printed, the rest as JSON. */
export function valueToText(value: unknown): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return String(value)
  }
  if (value === null || value === undefined) return ''
  return JSON.stringify(value)
}

const NUMBER_BODY =
  '(?:\\d{1,3}(?:,\\d{3})+|\\d+(?:_\\d+)*)(?:\\.\\d+)?(?:[eE][+-]?\\d+)?|\\.\\d+(?:[eE][+-]?\\d+)?'
const SIGN = '[+\\-\u2212]'
const CURRENCY = '[$€£¥₹]'
const WHOLE_NUMBER = new RegExp(`^(${SIGN})?\\s*${CURRENCY}?\\s*(${NUMBER_BODY})\\s*%?\\.?$`, 'u')
const ANY_NUMBER = new RegExp(
  `(?<![\\p{L}\\p{N}.,])(${SIGN})?${CURRENCY}?(${NUMBER_BODY})(?![\\p{N}])`,
  'gu'
)

function toNumber(sign: string | undefined, body: string): number | null {
  const value = Number(body.replace(/[,_]/g, ''))
  if (!Number.isFinite(value)) return null
  return sign === '-' || sign === '\u2212' ? -value : value
}

/**
 * Reads a string that is one number (see the module comment for the accepted forms), or null.
 * Finite numbers pass through; other values give null.
 */
export function parseNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value !== 'string') return null
  const text = value.normalize('NFKC').trim()
  const match = WHOLE_NUMBER.exec(text)
  if (match === null) return null
  return toNumber(match[1], match[2] as string)
}

/**
 * The last number written anywhere in a text ("so the total is 1,234.5 apples." → 1234.5), or
 * null. Used when an answer is a sentence around a number: the conclusion usually comes last.
 */
export function findLastNumber(text: string): number | null {
  let last: number | null = null
  for (const match of text.normalize('NFKC').matchAll(ANY_NUMBER)) {
    const value = toNumber(match[1], match[2] as string)
    if (value !== null) last = value
  }
  return last
}

/** A number as a short string for reports: integers plain, others without float noise. */
export function formatNumber(value: number): string {
  if (Number.isInteger(value)) return String(value)
  return String(Number(value.toPrecision(12)))
}
