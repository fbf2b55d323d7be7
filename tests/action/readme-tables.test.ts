/**
 * The README's inputs and outputs tables (between the `<!-- inputs:start -->` / `<!-- outputs:start -->`
 * markers) list exactly what action.yml declares, with the same defaults.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')
const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>
  outputs: Record<string, unknown>
}

/** Rows of the Markdown table between two markers: the cells of each row after the header. */
function tableRows(name: string): string[][] {
  const start = readme.indexOf(`<!-- ${name}:start -->`)
  const end = readme.indexOf(`<!-- ${name}:end -->`)
  expect(start, `README has <!-- ${name}:start -->`).toBeGreaterThanOrEqual(0)
  expect(end, `README has <!-- ${name}:end -->`).toBeGreaterThan(start)
  const lines = readme.slice(start, end).split('\n')
  const first = lines.findIndex((line) => line.startsWith('|'))
  const last = lines.length - 1 - [...lines].reverse().findIndex((line) => line.startsWith('|'))
  // One unbroken table: a blank line inside would end it on GitHub and show the rest as text.
  expect(
    lines.slice(first, last + 1).every((line) => line.startsWith('|')),
    `${name} table is unbroken`
  ).toBe(true)
  return lines
    .filter((line) => line.startsWith('|'))
    .slice(2)
    .map((line) =>
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim())
    )
}

const unquote = (cell: string): string => cell.replace(/^`(.*)`$/, '$1')

describe('README tables', () => {
  it('lists every input of action.yml, in order, with its default', () => {
    const rows = tableRows('inputs')
    expect(rows.map((r) => unquote(r[0] ?? ''))).toEqual(Object.keys(action.inputs))
    for (const row of rows) {
      const name = unquote(row[0] ?? '')
      expect(unquote(row[1] ?? ''), `default of ${name}`).toBe(action.inputs[name]?.default ?? '')
      expect(row[2]?.length ?? 0, `description of ${name}`).toBeGreaterThan(10)
    }
  })

  it('lists every output of action.yml, in order', () => {
    const rows = tableRows('outputs')
    expect(rows.map((r) => unquote(r[0] ?? ''))).toEqual(Object.keys(action.outputs))
  })
})
