/**
 * Structural checks of rendered Markdown for the tests: code fences closed, what lies outside code
 * (where GitHub links mentions and parses HTML), and table rows with the header's cell count.
 */

interface Split {
  /** Lines outside fenced code blocks, with inline code spans removed. */
  prose: string[]
  /** Fences opened and never closed. */
  unclosedFences: number
}

function dropCodeSpans(line: string): string {
  let out = ''
  let i = 0
  while (i < line.length) {
    if (line[i] === '\\') {
      out += line.slice(i, i + 2)
      i += 2
      continue
    }
    if (line[i] !== '`') {
      out += line[i]
      i++
      continue
    }
    let run = 0
    while (line[i + run] === '`') run++
    const fence = '`'.repeat(run)
    let close = line.indexOf(fence, i + run)
    while (close !== -1 && line[close + run] === '`') close = line.indexOf(fence, close + run + 1)
    if (close === -1) {
      out += fence
      i += run
    } else {
      out += 'CODE'
      i = close + run
    }
  }
  return out
}

export function splitCode(markdown: string): Split {
  const prose: string[] = []
  let fence: string | null = null
  for (const line of markdown.split('\n')) {
    const match = /^(`{3,})/.exec(line)
    if (fence === null) {
      if (match) fence = match[1] ?? null
      else prose.push(dropCodeSpans(line))
    } else if (match && /^`+\s*$/.test(line) && (match[1] ?? '').length >= fence.length) {
      fence = null
    }
  }
  return { prose, unclosedFences: fence === null ? 0 : 1 }
}

/** Unescaped pipes of a table row (outside code spans, which were removed). */
export function pipeCount(line: string): number {
  let count = 0
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\') i++
    else if (line[i] === '|') count++
  }
  return count
}

/** Table rows whose cell count differs from their table's header row. */
export function brokenTableRows(prose: string[]): string[] {
  const broken: string[] = []
  let expected: number | null = null
  for (const line of prose) {
    if (!line.startsWith('|')) {
      expected = null
      continue
    }
    const pipes = pipeCount(line)
    if (expected === null) expected = pipes
    else if (pipes !== expected) broken.push(line)
  }
  return broken
}

/** Raw HTML tags in the prose other than the ones the renderer writes itself. */
export function foreignTags(prose: string[]): string[] {
  const allowed = /^<\/?(details|summary|sub|br)>/
  const found: string[] = []
  for (const line of prose) {
    for (let i = line.indexOf('<'); i !== -1; i = line.indexOf('<', i + 1)) {
      const rest = line.slice(i)
      if (!allowed.test(rest)) found.push(rest.slice(0, 30))
    }
  }
  return found
}
