import { describe, expect, it } from 'vitest'
import { lineDiff } from '../../src/eval/line-diff.js'

const lines = (n: number, prefix = 'line'): string[] =>
  Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}`)

describe('lineDiff', () => {
  it('is empty for equal texts, whatever the line endings', () => {
    expect(lineDiff('a\nb\n', 'a\r\nb')).toBe('')
    expect(lineDiff('', '')).toBe('')
  })

  it('shows a change with three lines of context', () => {
    const before = lines(10)
    const after = before.slice()
    after[4] = 'changed 5'
    expect(lineDiff(before.join('\n'), after.join('\n'))).toBe(
      [
        '@@ -2,7 +2,7 @@',
        ' line 2',
        ' line 3',
        ' line 4',
        '-line 5',
        '+changed 5',
        ' line 6',
        ' line 7',
        ' line 8'
      ].join('\n')
    )
  })

  it('splits distant changes into hunks and merges close ones', () => {
    const before = lines(30)
    const far = before.slice()
    far[1] = 'x'
    far[25] = 'y'
    expect(lineDiff(before.join('\n'), far.join('\n')).match(/^@@/gm)).toHaveLength(2)
    const near = before.slice()
    near[1] = 'x'
    near[8] = 'y'
    expect(lineDiff(before.join('\n'), near.join('\n')).match(/^@@/gm)).toHaveLength(1)
  })

  it('handles insertions, deletions and labels', () => {
    const diff = lineDiff('a\nb\nc', 'a\nc\nd', { fromLabel: 'base', toLabel: 'head' })
    expect(diff).toBe(
      ['--- base', '+++ head', '@@ -1,3 +1,3 @@', ' a', '-b', ' c', '+d'].join('\n')
    )
  })

  it('numbers an empty side as the line before it', () => {
    expect(lineDiff('', 'new')).toBe(['@@ -0,0 +1 @@', '+new'].join('\n'))
    expect(lineDiff('old', '')).toBe(['@@ -1 +0,0 @@', '-old'].join('\n'))
  })

  it('respects a custom context', () => {
    const before = lines(5)
    const after = before.slice()
    after[2] = 'z'
    expect(lineDiff(before.join('\n'), after.join('\n'), { context: 0 })).toBe(
      ['@@ -3 +3 @@', '-line 3', '+z'].join('\n')
    )
  })
})
