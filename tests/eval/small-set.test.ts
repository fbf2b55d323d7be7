import { describe, expect, it } from 'vitest'
import { mcnemarExact } from '../../src/eval/stats.js'
import {
  heldOutShortfall,
  minRowsForSignificance,
  smallSetNote,
  worstHalfWidthPoints
} from '../../src/eval/small-set.js'

describe('what a small set can show', () => {
  it('needs 6 rows all moving one way at 95%, as the gate’s McNemar test says', () => {
    expect(minRowsForSignificance(0.95)).toBe(6)
    expect(mcnemarExact(0, 5)).toBeGreaterThanOrEqual(0.05)
    expect(mcnemarExact(0, 6)).toBeLessThan(0.05)
    expect(minRowsForSignificance(0.9)).toBe(5)
  })

  it('says plainly what a handful of rows can and cannot show', () => {
    expect(worstHalfWidthPoints(5, 0.95)).toBe(44)
    expect(smallSetNote('route', 5, 0.95)).toBe(
      'route has only 5 rows: a score is known to about ±44 points (95%), and no drop can be shown to be more than noise: that takes at least 6 rows that all got worse; add rows for a firmer answer'
    )
    expect(smallSetNote('route', 12, 0.95)).toContain(
      'the smallest drop it could detect is 6 of 12 rows all getting worse (50 points)'
    )
    expect(smallSetNote('route', 30, 0.95)).toBeUndefined()
  })

  it('says how many rows would confirm a gain', () => {
    expect(heldOutShortfall('route', 1, 0.25, 0.95)).toBe(
      'route has 1 held-out (test) row; confirming a gain at 95% confidence takes at least 6 — about 24 rows in all at the 25% test split'
    )
    expect(heldOutShortfall('route', 6, 0.25, 0.95)).toBeUndefined()
  })
})
