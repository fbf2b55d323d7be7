/**
 * The JSON extraction task of the demo repository, offline on the simulated provider: `eval`
 * scores schema validity and per-field matches, and `optimize --write` raises the field scores on
 * the test split and writes the improved prompt back.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseReport } from '../../src/report/json.js'
import { writeDemoRepository } from '../../src/simulate/demo-repo.js'
import { jsonTraitsAddressedBy } from '../../src/simulate/json-traits.js'
import { runCli, SIM_SEED } from './fixture.js'

describe('optimize --write on a JSON extraction task (simulated provider)', () => {
  let root: string
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'pd-json-'))
    await writeDemoRepository(root, { seed: SIM_SEED, rows: 40 })
  })
  afterAll(async () => {
    await rm(root, { recursive: true, force: true })
  })

  it('raises the field scores on the test split and writes the improved prompt back', async () => {
    const before = await readFile(join(root, 'prompts/invoices.md'), 'utf8')
    const result = await runCli(
      ['optimize', '--config', 'prompt-descent.invoices.yml', '--write', '--json', 'out/opt.json'],
      { cwd: root }
    )
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/↳ fields/)
    const after = await readFile(join(root, 'prompts/invoices.md'), 'utf8')
    expect(after).not.toBe(before)
    // the task line and the slot stay; instructions for field traits were learned
    expect(after.split('\n')[0]).toBe(before.split('\n')[0])
    expect(after).toContain('Invoice: {{text}}')
    expect(jsonTraitsAddressedBy(before)).toEqual([])
    expect(jsonTraitsAddressedBy(after).length).toBeGreaterThanOrEqual(3)
    const report = parseReport(await readFile(join(root, 'out/opt.json'), 'utf8'))
    expect(report.optimization?.prompts[0]).toMatchObject({ file: 'prompts/invoices.md' })
    const test = report.optimization?.testComparison[0]
    const fields = test?.checks?.find((c) => c.name === 'fields')
    expect(fields?.base).toBeLessThan(0.9)
    expect((fields?.head ?? 0) - (fields?.base ?? 0)).toBeGreaterThan(0.1)
    expect(fields?.verdict).toBe('improved')
    expect(test?.delta.value ?? 0).toBeGreaterThan(0.1)
  })
})
