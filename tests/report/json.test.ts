import { describe, expect, it } from 'vitest'
import { InputError } from '../../src/errors.js'
import { parseReport, renderJson } from '../../src/report/json.js'
import type { RunReport } from '../../src/report/types.js'
import { makeCompareReport, makeOptimizeReport } from './fixtures.js'

function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys)
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const key of Object.keys(value).reverse())
      out[key] = reversedKeys((value as Record<string, unknown>)[key])
    return out
  }
  return value
}

describe('renderJson', () => {
  it('is pretty, newline-terminated and starts with the schema version', () => {
    const text = renderJson(makeCompareReport())
    expect(text.endsWith('}\n')).toBe(true)
    expect(text.startsWith('{\n  "schemaVersion": 1,\n  "kind": "compare",\n  "tool": {')).toBe(
      true
    )
    const topKeys = [...text.matchAll(/^ {2}"(\w+)":/gm)].map((m) => m[1])
    expect(topKeys).toEqual([
      'schemaVersion',
      'kind',
      'tool',
      'startedAt',
      'finishedAt',
      'provider',
      'models',
      'config',
      'seed',
      'split',
      'stop',
      'gate',
      'ledger',
      'comparison',
      'tasks'
    ])
  })

  it('does not depend on the order keys were set in', () => {
    const report = makeOptimizeReport()
    const shuffled = reversedKeys(report) as RunReport
    expect(renderJson(shuffled)).toBe(renderJson(report))
  })

  it('round-trips through parseReport', () => {
    const report = makeOptimizeReport()
    expect(parseReport(renderJson(report))).toEqual(JSON.parse(JSON.stringify(report)))
  })
})

describe('parseReport', () => {
  const good = JSON.parse(renderJson(makeCompareReport())) as Record<string, unknown>

  it('rejects another schema version, naming the file and the key', () => {
    const text = JSON.stringify({ ...good, schemaVersion: 2 })
    expect(() => parseReport(text, 'out/report.json')).toThrow(InputError)
    expect(() => parseReport(text, 'out/report.json')).toThrow(
      'out/report.json: schemaVersion: expected a prompt-descent report with schemaVersion 1, found schemaVersion 2'
    )
    const { schemaVersion: _drop, ...rest } = good
    expect(() => parseReport(JSON.stringify(rest))).toThrow('found no schemaVersion')
  })

  it('rejects text that is not a report', () => {
    expect(() => parseReport('{not json', 'r.json')).toThrow('r.json: is not valid JSON')
    expect(() => parseReport('[1,2]')).toThrow('expected a JSON object')
    expect(() => parseReport(JSON.stringify({ ...good, kind: 'bench' }))).toThrow('kind: expected')
    expect(() => parseReport(JSON.stringify({ ...good, tasks: {} }))).toThrow(
      'tasks: expected an array'
    )
    expect(() => parseReport(JSON.stringify({ ...good, ledger: null }))).toThrow(
      'ledger: expected an object'
    )
  })
})
