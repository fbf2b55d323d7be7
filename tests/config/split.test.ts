import { describe, expect, it } from 'vitest'
import { assignIds, assignSplits, limitRows, splitCounts } from '../../src/config/split.js'
import type { SplitConfig } from '../../src/config/types.js'
import { thrown } from './helpers.js'

const split = (over: Partial<SplitConfig> = {}): SplitConfig => ({
  train: 0.5,
  dev: 0.25,
  test: 0.25,
  seed: 0,
  field: undefined,
  ...over
})

const rowsOf = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({
    id: `row-${from + i}`,
    line: from + i + 1,
    fields: { id: `row-${from + i}` }
  }))

const byId = (rows: ReturnType<typeof rowsOf>, config: SplitConfig) => {
  const splits = assignSplits(rows, config, 'd.jsonl')
  return new Map(rows.map((row, i) => [row.id, splits[i]]))
}

describe('assignIds', () => {
  it('uses the id field as a string, else the 1-based position', () => {
    const rows = [
      { fields: { id: 7 }, line: 1 },
      { fields: { text: 'no id' }, line: 2 },
      { fields: { id: 'abc' }, line: 3 },
      { fields: { id: { k: 1 } }, line: 4 }
    ]
    expect(assignIds(rows, 'id', 'd.jsonl')).toEqual(['7', '2', 'abc', '{"k":1}'])
  })

  it('names both lines of a duplicate id', async () => {
    const rows = [
      { fields: { key: 1 }, line: 2 },
      { fields: { key: 2 }, line: 3 },
      { fields: { key: '1' }, line: 5 }
    ]
    expect((await thrown(() => assignIds(rows, 'key', 'd.csv'))).message).toBe(
      'd.csv: line 5: duplicate id "1" (also on line 2); ids must be unique (field "key", or the row\'s position when it has none)'
    )
  })
})

describe('splitCounts', () => {
  it('hits the fractions with largest-remainder rounding', () => {
    expect(splitCounts(100, split())).toEqual({ train: 50, dev: 25, test: 25 })
    expect(splitCounts(10, split())).toEqual({ train: 5, dev: 3, test: 2 })
    expect(splitCounts(7, split({ train: 0.6, dev: 0.2, test: 0.2 }))).toEqual({
      train: 4,
      dev: 2,
      test: 1
    })
    expect(splitCounts(5, split({ train: 0, dev: 0, test: 1 }))).toEqual({
      train: 0,
      dev: 0,
      test: 5
    })
  })

  it('gives every non-zero fraction at least one row from 3 rows up', () => {
    expect(splitCounts(3, split({ train: 0.9, dev: 0.05, test: 0.05 }))).toEqual({
      train: 1,
      dev: 1,
      test: 1
    })
    expect(splitCounts(4, split())).toEqual({ train: 2, dev: 1, test: 1 })
    expect(splitCounts(2, split())).toEqual({ train: 1, dev: 1, test: 0 })
  })
})

describe('assignSplits', () => {
  it('is deterministic for a seed and changes with the seed', () => {
    const rows = rowsOf(40)
    const a = assignSplits(rows, split({ seed: 1 }), 'd.jsonl')
    expect(assignSplits(rows, split({ seed: 1 }), 'd.jsonl')).toEqual(a)
    expect(assignSplits(rows, split({ seed: 2 }), 'd.jsonl')).not.toEqual(a)
  })

  it('respects the fractions exactly', () => {
    const splits = assignSplits(rowsOf(40), split({ train: 0.6, dev: 0.2, test: 0.2 }), 'd.jsonl')
    const count = (name: string) => splits.filter((s) => s === name).length
    expect([count('train'), count('dev'), count('test')]).toEqual([24, 8, 8])
  })

  it('does not depend on row order', () => {
    const rows = rowsOf(30)
    const forward = byId(rows, split())
    const backward = byId([...rows].reverse(), split())
    expect(backward).toEqual(forward)
  })

  it('keeps the other rows in their splits when a row is added', () => {
    const before = byId(rowsOf(40), split({ seed: 3 }))
    for (let extra = 0; extra < 8; extra++) {
      const rows = [...rowsOf(40), ...rowsOf(1, 1000 + extra)]
      const after = byId(rows, split({ seed: 3 }))
      const moved = [...before].filter(([id, name]) => after.get(id) !== name)
      // Only a row at one of the two cut points can cross it.
      expect(moved.length).toBeLessThanOrEqual(2)
    }
    // With the pure-train/test split and a row whose rank lands after every cut, nothing moves.
    const all = byId(rowsOf(40), split({ train: 0, dev: 0, test: 1 }))
    const grown = byId(rowsOf(41), split({ train: 0, dev: 0, test: 1 }))
    expect([...all].every(([id, name]) => grown.get(id) === name)).toBe(true)
  })

  it('reads an explicit split field, with validation meaning dev', () => {
    const rows = ['train', 'Validation', ' dev ', 'TEST', 'val'].map((value, i) => ({
      id: String(i),
      line: i + 2,
      fields: { part: value }
    }))
    expect(assignSplits(rows, split({ field: 'part' }), 'd.csv')).toEqual([
      'train',
      'dev',
      'dev',
      'test',
      'dev'
    ])
  })

  it('names the line of a bad split value', async () => {
    const rows = [
      { id: 'a', line: 2, fields: { part: 'train' } },
      { id: 'b', line: 3, fields: { part: 'holdout' } },
      { id: 'c', line: 4, fields: {} }
    ]
    expect(
      (await thrown(() => assignSplits(rows, split({ field: 'part' }), 'd.csv'))).message
    ).toBe(
      'd.csv: 2 problems:\n' +
        '  line 3: split field "part": expected train, dev or test (validation counts as dev), got "holdout"\n' +
        '  line 4: split field "part": expected train, dev or test (validation counts as dev), no such field'
    )
  })
})

describe('limitRows', () => {
  it('keeps a seeded choice of rows, in file order, and all rows without a limit', () => {
    const rows = rowsOf(20)
    const kept = limitRows(rows, 5, 0)
    expect(kept).toHaveLength(5)
    expect(kept.map((r) => r.line)).toEqual([...kept.map((r) => r.line)].sort((a, b) => a - b))
    expect(limitRows(rows, 5, 0)).toEqual(kept)
    expect(limitRows(rows, 5, 1)).not.toEqual(kept)
    expect(limitRows(rows, undefined, 0)).toEqual(rows)
    expect(limitRows(rows, 50, 0)).toEqual(rows)
  })
})
