/**
 * "No command in the README may fail for a reader who follows it": every CLI line in the README's
 * `sh` blocks and in the examples' run comments uses what works today (the committed
 * dist/cli/index.js, never `npx prompt-descent`, which would look on npm for a package that is not
 * published), and its command and flags parse.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parseCliArgs } from '../../src/cli/args.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8')

/** The lines of every ```sh block. */
function shellLines(markdown: string): string[] {
  const lines: string[] = []
  let inside = false
  for (const line of markdown.split('\n')) {
    if (/^\s*```sh\s*$/.test(line)) inside = true
    else if (/^\s*```/.test(line)) inside = false
    else if (inside) lines.push(line)
  }
  return lines
}

/** The CLI's arguments on a line that runs the bundled CLI, up to a comment or the next command. */
function cliArgs(line: string): string[] | undefined {
  const match = /\bnode\s+\S*dist\/cli\/index\.js\s*(.*)$/.exec(line)
  if (!match) return undefined
  const rest = (match[1] ?? '').split(/\s+#|\s&&|\s\||;/)[0] ?? ''
  return rest.split(/\s+/).filter((w) => w !== '')
}

describe('the README and the examples run as written', () => {
  const lines = [
    ...shellLines(readme),
    ...readdirSync(join(ROOT, 'examples'))
      .filter((f) => f.endsWith('.yml'))
      .flatMap((f) =>
        readFileSync(join(ROOT, 'examples', f), 'utf8')
          .split('\n')
          .filter((l) => l.startsWith('#'))
      )
  ]

  it('never tells a reader to run npx prompt-descent before it is installed', () => {
    // Allowed only where the line itself says it needs the package installed (or published).
    const npx = lines.filter(
      (l) => /\bnpx prompt-descent\b/.test(l) && !/\b(installed|published)\b/.test(l)
    )
    expect(npx).toEqual([])
  })

  it('every CLI line names a command and flags the CLI accepts', () => {
    const runs = lines.map(cliArgs).filter((a): a is string[] => a !== undefined)
    // The README shows init, eval, optimize; the examples their own runs.
    expect(runs.length).toBeGreaterThanOrEqual(8)
    expect(new Set(runs.map((a) => a[0]))).toEqual(new Set(['init', 'eval', 'optimize']))
    for (const args of runs) expect(() => parseCliArgs(args), args.join(' ')).not.toThrow()
  })
})
