/**
 * `prompt-descent demo [DIR]`: writes the synthetic repository relative to the working directory
 * and scores it offline with the simulated provider, saying so.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseReport } from '../../src/report/json.js'
import { runCli } from './fixture.js'

let cwd: string
beforeEach(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'pd-demo-'))
})
afterEach(async () => {
  await rm(cwd, { recursive: true, force: true })
})

describe('demo', () => {
  it('writes the repository into DIR and scores it offline, marked as a simulation', async () => {
    const result = await runCli(['demo', 'sandbox', '--no-optimize', '--json', 'demo.json'], {
      cwd,
      env: {}
    })
    expect(result.code, result.stderr).toBe(0)
    const config = await readFile(join(cwd, 'sandbox/triage/prompt-descent.yml'), 'utf8')
    expect(config).toMatch(/type: simulated/)
    expect(result.stderr).toMatch(/wrote a synthetic repository to sandbox\/triage/)
    expect(result.stdout).toMatch(/simulated provider/)
    expect(result.stdout).toMatch(/^triage\s+120\s/m)
    const report = parseReport(await readFile(join(cwd, 'demo.json'), 'utf8'))
    expect(report.provider.type).toBe('simulated')
    expect(report.tasks[0]?.n).toBe(120)
    expect(report.ledger.total.usd).toBe(0)
  })

  it('refuses to overwrite a config it did not write', async () => {
    const mine = join(cwd, 'triage/prompt-descent.yml')
    await mkdir(join(cwd, 'triage'))
    await writeFile(mine, 'tasks: []\n')
    const result = await runCli(['demo', '.', '--no-optimize'], { cwd, env: {} })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/a prompt-descent\.yml that the demo did not write/)
    expect(await readFile(mine, 'utf8')).toBe('tasks: []\n')
  })
})
