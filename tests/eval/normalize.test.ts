import { describe, expect, it } from 'vitest'
import {
  findLastNumber,
  foldText,
  formatNumber,
  normalizeText,
  parseNumber
} from '../../src/eval/normalize.js'

describe('normalizeText', () => {
  it('lowercases, strips punctuation and collapses whitespace', () => {
    expect(normalizeText('  Hello,   World!\n')).toBe('hello world')
    expect(normalizeText("Don't")).toBe('dont')
    expect(normalizeText('U.S.A.')).toBe('usa')
  })

  it('keeps articles', () => {
    expect(normalizeText('The Who')).toBe('the who')
  })

  it('turns word dashes and slashes into spaces', () => {
    expect(normalizeText('well-known')).toBe(normalizeText('well known'))
    expect(normalizeText('and/or')).toBe('and or')
  })

  it('keeps the punctuation that belongs to numbers', () => {
    expect(normalizeText('3.5.')).toBe('3.5')
    expect(normalizeText('1,000 people')).toBe('1,000 people')
    expect(normalizeText('at 10:30')).toBe('at 10:30')
    expect(normalizeText('it is -3')).toBe('it is -3')
    expect(normalizeText('3-4')).toBe('3 4')
  })

  it('applies NFKC', () => {
    expect(normalizeText('ＡＢＣ１')).toBe('abc1')
  })

  it('can keep case', () => {
    expect(foldText(' Hello,  World ', { caseSensitive: true })).toBe('Hello World')
  })
})

describe('parseNumber', () => {
  it('reads the documented forms', () => {
    expect(parseNumber('1,234.5')).toBe(1234.5)
    expect(parseNumber('-3')).toBe(-3)
    expect(parseNumber('\u22123')).toBe(-3)
    expect(parseNumber('+7')).toBe(7)
    expect(parseNumber('50%')).toBe(50)
    expect(parseNumber('$1,000')).toBe(1000)
    expect(parseNumber('-$2.50')).toBe(-2.5)
    expect(parseNumber('.5')).toBe(0.5)
    expect(parseNumber('1e-3')).toBe(0.001)
    expect(parseNumber('1_000')).toBe(1000)
    expect(parseNumber(' 42. ')).toBe(42)
    expect(parseNumber(12)).toBe(12)
  })

  it('rejects what is not one number', () => {
    expect(parseNumber('12 apples')).toBeNull()
    expect(parseNumber('1,23')).toBeNull()
    expect(parseNumber('3/4')).toBeNull()
    expect(parseNumber('five')).toBeNull()
    expect(parseNumber('')).toBeNull()
    expect(parseNumber(Number.NaN)).toBeNull()
    expect(parseNumber(null)).toBeNull()
  })
})

describe('findLastNumber', () => {
  it('finds the last number in prose', () => {
    expect(findLastNumber('First 3 then 4, so the total is 1,234.5 apples.')).toBe(1234.5)
    expect(findLastNumber('#### -72')).toBe(-72)
    expect(findLastNumber('no digits')).toBeNull()
  })

  it('does not read digits glued to letters as numbers', () => {
    expect(findLastNumber('answer 7 from gpt4')).toBe(7)
  })
})

describe('formatNumber', () => {
  it('drops float noise', () => {
    expect(formatNumber(0.1 + 0.2)).toBe('0.3')
    expect(formatNumber(42)).toBe('42')
  })
})
