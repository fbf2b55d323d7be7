import { describe, expect, it } from 'vitest'
import {
  formatCount,
  formatDelta,
  formatDuration,
  formatExampleScore,
  formatInterval,
  formatLevel,
  formatPValue,
  formatScore,
  formatSignedPoints,
  formatTokens,
  formatUsd,
  formatValue
} from '../../src/report/format.js'

describe('format', () => {
  it('shows scores as percentages with one decimal', () => {
    expect(formatScore(0.8125)).toBe('81.3%')
    expect(formatScore(1)).toBe('100.0%')
    expect(formatScore(0)).toBe('0.0%')
    expect(formatScore(-0.0001)).toBe('0.0%')
    expect(formatScore(Number.NaN)).toBe('—')
    expect(formatScore(null)).toBe('—')
  })

  it('shows intervals and deltas with true minus signs', () => {
    expect(formatInterval({ value: 0.8125, low: 0.74, high: 0.881, level: 0.95 })).toBe(
      '81.3% [74.0, 88.1]'
    )
    expect(formatDelta({ value: 0.042, low: -0.01, high: 0.095, level: 0.95 })).toBe(
      '+4.2 pts [−1.0, +9.5]'
    )
    expect(formatSignedPoints(0)).toBe('±0.0')
    expect(formatSignedPoints(-0.0004)).toBe('±0.0')
    expect(formatSignedPoints(-0.0469)).toBe('−4.7')
    expect(formatDelta({ value: 0.1, low: Number.NaN, high: 0.2, level: 0.95 })).toBe('+10.0 pts')
  })

  it('formats levels and p-values', () => {
    expect(formatLevel(0.95)).toBe('95%')
    expect(formatLevel(0.975)).toBe('97.5%')
    expect(formatPValue(0.0313)).toBe('0.031')
    expect(formatPValue(0.0002)).toBe('<0.001')
    expect(formatPValue(1)).toBe('1.000')
  })

  it('formats dollars, tokens and counts', () => {
    expect(formatUsd(null)).toBe('unknown')
    expect(formatUsd(0)).toBe('$0.00')
    expect(formatUsd(0.0042)).toBe('$0.0042')
    expect(formatUsd(1.2345)).toBe('$1.23')
    expect(formatUsd(12345.6)).toBe('$12,345.60')
    expect(formatTokens(950)).toBe('950')
    expect(formatTokens(12_345)).toBe('12.3k')
    expect(formatTokens(12_000)).toBe('12k')
    expect(formatTokens(123_456)).toBe('123k')
    expect(formatTokens(1_234_567)).toBe('1.23M')
    expect(formatCount(1_234_567)).toBe('1,234,567')
    expect(formatCount(999)).toBe('999')
  })

  it('formats durations', () => {
    expect(formatDuration(850)).toBe('850 ms')
    expect(formatDuration(12_340)).toBe('12.3 s')
    expect(formatDuration(245_000)).toBe('4m 05s')
    expect(formatDuration(3_725_000)).toBe('1h 02m')
    expect(formatDuration(-1)).toBe('—')
  })

  it('formats example scores and expected values', () => {
    expect(formatExampleScore(1)).toBe('1')
    expect(formatExampleScore(0.5)).toBe('0.50')
    expect(formatValue('billing')).toBe('billing')
    expect(formatValue({ a: 1 })).toBe('{"a":1}')
    expect(formatValue(undefined)).toBe('')
  })
})
