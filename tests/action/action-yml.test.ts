/**
 * action.yml and the code agree: every input the code reads is declared (and nothing else), every
 * output it sets is declared, and the defaults action.yml passes mean what the code's own
 * fallbacks mean.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { parse } from 'yaml'
import { INPUTS, readSettings } from '../../src/action/inputs.js'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

interface ActionYml {
  inputs: Record<string, { description?: string; required?: boolean; default?: string }>
  outputs: Record<string, { description?: string }>
  runs: { using: string; main: string }
}

const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYml

/** Output names set anywhere in src/action (core.setOutput('name', …)). */
function outputsSetInCode(): string[] {
  const dir = join(ROOT, 'src/action')
  const names = new Set<string>()
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(join(dir, file), 'utf8')
    for (const match of text.matchAll(/setOutput\(\s*'([^']+)'/g)) names.add(match[1] ?? '')
  }
  return [...names].sort()
}

afterEach(() => {
  vi.unstubAllEnvs()
  vi.restoreAllMocks()
})

describe('action.yml', () => {
  it('runs dist/index.js on node24', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
  })

  it('declares exactly the inputs the code reads, each with a description', () => {
    expect(Object.keys(action.inputs).sort()).toEqual(Object.values(INPUTS).sort())
    for (const [name, spec] of Object.entries(action.inputs)) {
      expect(spec.description, name).toBeTruthy()
      // Every input is optional: a fork's run must get as far as saying why it skipped.
      expect(spec.required ?? false, name).toBe(false)
    }
  })

  it('declares every output the code sets, each with a description', () => {
    const set = outputsSetInCode()
    expect(set.length).toBeGreaterThan(5)
    expect(Object.keys(action.outputs).sort()).toEqual(set)
    for (const [name, spec] of Object.entries(action.outputs)) {
      expect(spec.description, name).toBeTruthy()
    }
  })

  it("defaults to the same settings as the code's own fallbacks", () => {
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true)
    const stub = (useDefaults: boolean) => {
      for (const [name, spec] of Object.entries(action.inputs)) {
        const value = useDefaults && !String(spec.default ?? '').includes('${{') ? spec.default : ''
        vi.stubEnv(`INPUT_${name.toUpperCase()}`, String(value ?? ''))
      }
    }
    stub(true)
    const withDefaults = readSettings()
    stub(false)
    expect(withDefaults).toEqual(readSettings())
    // The token defaults to the workflow's own.
    expect(action.inputs['github-token']?.default).toBe('${{ github.token }}')
  })
})
