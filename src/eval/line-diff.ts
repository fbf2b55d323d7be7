/*
 * A small unified line diff for showing how a prompt changed. Longest common subsequence on lines
 * after the common head and tail are trimmed; prompts are short, so the quadratic table is fine.
 * A very large middle (over MAX_CELLS) is shown as one replaced block instead.
 */

export interface LineDiffOptions {
  /** Unchanged lines shown around each change (default 3). */
  context?: number
  /** Names for the `---` / `+++` header lines; no header when both are absent. */
  fromLabel?: string
  toLabel?: string
}

type Op = { kind: ' ' | '-' | '+'; line: string }

const MAX_CELLS = 4_000_000

function splitLines(text: string): string[] {
  if (text === '') return []
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  return lines
}

function diffOps(a: readonly string[], b: readonly string[]): Op[] {
  let start = 0
  while (start < a.length && start < b.length && a[start] === b[start]) start++
  let endA = a.length
  let endB = b.length
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--
    endB--
  }
  const head: Op[] = a.slice(0, start).map((line) => ({ kind: ' ', line }))
  const tail: Op[] = a.slice(endA).map((line) => ({ kind: ' ', line }))
  const midA = a.slice(start, endA)
  const midB = b.slice(start, endB)
  const n = midA.length
  const m = midB.length
  const middle: Op[] = []
  if (n * m > MAX_CELLS) {
    for (const line of midA) middle.push({ kind: '-', line })
    for (const line of midB) middle.push({ kind: '+', line })
    return [...head, ...middle, ...tail]
  }
  // lcs[i][j] = LCS length of midA[i..] and midB[j..], flattened.
  const width = m + 1
  const lcs = new Uint32Array((n + 1) * width)
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] =
        midA[i] === midB[j]
          ? (lcs[(i + 1) * width + j + 1] as number) + 1
          : Math.max(lcs[(i + 1) * width + j] as number, lcs[i * width + j + 1] as number)
    }
  }
  let i = 0
  let j = 0
  while (i < n || j < m) {
    if (i < n && j < m && midA[i] === midB[j]) {
      middle.push({ kind: ' ', line: midA[i] as string })
      i++
      j++
    } else if (
      j < m &&
      (i >= n || (lcs[i * width + j + 1] as number) > (lcs[(i + 1) * width + j] as number))
    ) {
      middle.push({ kind: '+', line: midB[j] as string })
      j++
    } else {
      middle.push({ kind: '-', line: midA[i] as string })
      i++
    }
  }
  return [...head, ...middle, ...tail]
}

function range(start: number, count: number): string {
  // Unified-diff convention: an empty range names the line before it.
  const first = count === 0 ? start : start + 1
  return count === 1 ? `${first}` : `${first},${count}`
}

/**
 * Unified diff of two texts, line by line, with `context` unchanged lines around each change and
 * `@@ -a,b +c,d @@` hunk headers. '' when the texts have the same lines (line-ending style and a
 * final newline do not count as changes).
 */
export function lineDiff(before: string, after: string, options: LineDiffOptions = {}): string {
  const context = Math.max(0, Math.floor(options.context ?? 3))
  const ops = diffOps(splitLines(before), splitLines(after))
  const changed = ops.flatMap((op, index) => (op.kind === ' ' ? [] : [index]))
  if (changed.length === 0) return ''

  // Group changes whose context windows touch into one hunk.
  const hunks: Array<[number, number]> = []
  for (const index of changed) {
    const from = Math.max(0, index - context)
    const to = Math.min(ops.length, index + context + 1)
    const last = hunks[hunks.length - 1]
    if (last !== undefined && from <= last[1]) last[1] = Math.max(last[1], to)
    else hunks.push([from, to])
  }

  const out: string[] = []
  if (options.fromLabel !== undefined || options.toLabel !== undefined) {
    out.push(`--- ${options.fromLabel ?? 'before'}`, `+++ ${options.toLabel ?? 'after'}`)
  }
  // Line numbers before each op index, in the old and new text.
  let oldLine = 0
  let newLine = 0
  let cursor = 0
  for (const [from, to] of hunks) {
    for (; cursor < from; cursor++) {
      const kind = (ops[cursor] as Op).kind
      if (kind !== '+') oldLine++
      if (kind !== '-') newLine++
    }
    const slice = ops.slice(from, to)
    const oldCount = slice.filter((op) => op.kind !== '+').length
    const newCount = slice.filter((op) => op.kind !== '-').length
    out.push(`@@ -${range(oldLine, oldCount)} +${range(newLine, newCount)} @@`)
    for (const op of slice) out.push(`${op.kind}${op.line}`)
  }
  return out.join('\n')
}
