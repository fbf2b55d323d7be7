/**
 * Warnings before money is spent: an estimate above a budget cap, a test split too small to show a
 * gain (with the smallest gain it can show), and `--estimate` refusing what the real run refuses.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { minimumFlips } from '../../src/run/estimate-warnings.js'
import type { FakeOpenAI } from '../helpers/fake-openai-server.js'
import { makeRepo, runCli, startSimulatedServer } from './fixture.js'
import type { TestRepo } from './fixture.js'

let server: FakeOpenAI
let repo: TestRepo

beforeAll(async () => {
  server = await startSimulatedServer()
  repo = await makeRepo(server.url, { rows: 40 })
})
afterAll(async () => {
  await server.close()
  await repo.remove()
})

/** Test rows of the repository's triage task, as the estimate will count them. */
async function testRows(): Promise<number> {
  const result = await runCli(['eval', '--split', 'test', '--estimate'], { cwd: repo.root })
  return Number(/triage: (\d+) calls/.exec(result.stdout)?.[1])
}

describe('warnings before money', () => {
  it('an estimate above a cap says so before any call, in the estimate and in the real run', async () => {
    const estimate = await runCli(['eval', '--estimate', '--max-calls', '5'], { cwd: repo.root })
    expect(estimate.code).toBe(0)
    expect(estimate.stdout).toMatch(
      /^warning: the estimate \(40 calls\) is above the budget cap of 5 calls \(budget\.calls or --max-calls\)/m
    )
    const within = await runCli(['eval', '--estimate', '--max-calls', '40'], { cwd: repo.root })
    expect(within.stdout).not.toMatch(/warning/)
    expect(server.stats.requests).toBe(0)

    const run = await runCli(['eval', '--max-calls', '5', '--no-cache'], { cwd: repo.root })
    expect(run.code).toBe(3)
    const warned = run.stderr.indexOf('warning: the estimate (40 calls) is above the budget cap')
    expect(warned).toBeGreaterThanOrEqual(0)
    expect(warned).toBeLessThan(run.stderr.indexOf('triage: scoring 40 examples'))
  })

  it('says how small a gain the test split can show, and warns when it is too small', async () => {
    const n = await testRows()
    expect(n).toBeGreaterThan(0)
    const result = await runCli(['optimize', '--estimate'], { cwd: repo.root })
    expect(result.code).toBe(0)
    const flips = minimumFlips(0.95)
    const line =
      n < flips
        ? `triage: the test split has ${n} rows, too few to show any gain at 95%`
        : `triage: the test split has ${n} rows; the smallest gain it can show at 95% is ${((flips / n) * 100).toFixed(1)} points`
    expect(result.stdout).toContain(`    ${line}`)
    expect(result.stdout).toContain(`warning: ${line}`)
  })

  it('--estimate with --prompt system on a task without a system prompt exits 2, as the real run does', async () => {
    const config = await readFile(repo.configPath, 'utf8')
    const none = config.replace(/^system_prompt: .*\n/m, '')
    expect(none).not.toBe(config)
    await writeFile(repo.configPath, none)
    const before = server.stats.requests
    try {
      const estimate = await runCli(['optimize', '--estimate', '--prompt', 'system'], {
        cwd: repo.root
      })
      const run = await runCli(['optimize', '--prompt', 'system'], { cwd: repo.root })
      for (const result of [estimate, run]) {
        expect(result.code).toBe(2)
        expect(result.stdout).toBe('')
        expect(result.stderr).toMatch(
          /^error: optimize --prompt system edits the system prompt, but task triage has none/m
        )
      }
      expect(server.stats.requests).toBe(before)
    } finally {
      await writeFile(repo.configPath, config)
    }
  })
})

describe('the smallest significant flip count', () => {
  it('is 6 at 95% and 8 at 99% (exact McNemar, every flip one way)', () => {
    expect(minimumFlips(0.95)).toBe(6)
    expect(minimumFlips(0.99)).toBe(8)
  })
})
