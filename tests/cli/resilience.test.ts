/**
 * The LLM layer seen from the CLI (issue 3): provider faults do not change the scores, a hung call
 * times out and is retried, a budget stop keeps what was scored and a re-run resumes from the cache
 * without paying twice, an unchanged re-run makes no calls, and --estimate makes none at all.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseReport } from '../../src/report/json.js'
import type { RunReport } from '../../src/report/types.js'
import type { FakeOpenAI, FakeOpenAIOptions } from '../helpers/fake-openai-server.js'
import { KEY_ENV, makeRepo, runCli, startSimulatedServer } from './fixture.js'
import type { CliResult, TestRepo } from './fixture.js'

const ROWS = 40

const servers: FakeOpenAI[] = []
const repos: TestRepo[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
  await Promise.all(repos.splice(0).map((r) => r.remove()))
})

async function setUp(
  serverOptions: Omit<FakeOpenAIOptions, 'respond' | 'apiKey'> = {},
  repoOptions: Parameters<typeof makeRepo>[1] = {}
): Promise<{ server: FakeOpenAI; repo: TestRepo }> {
  const server = await startSimulatedServer(serverOptions)
  servers.push(server)
  const repo = await makeRepo(server.url, { rows: ROWS, ...repoOptions })
  repos.push(repo)
  return { server, repo }
}

let reportCount = 0

async function evalRun(
  repo: TestRepo,
  extra: string[] = []
): Promise<CliResult & { report: RunReport }> {
  const json = `report-${++reportCount}.json`
  const result = await runCli(['eval', '--json', json, ...extra], { cwd: repo.root })
  const report = parseReport(await readFile(join(repo.root, json), 'utf8'), json)
  return { ...result, report }
}

/** id → score and output, for comparing two runs example by example. */
function outcomes(report: RunReport): Map<string, { score: number; output: string | null }> {
  const task = report.tasks[0]
  return new Map(task?.examples.map((e) => [e.id, { score: e.score, output: e.output }]))
}

/** The request bodies the server received that it answered, as comparable strings. */
function answeredBodies(server: FakeOpenAI): string[] {
  return server.record
    .filter((r) => r.status === 200)
    .map((r) => JSON.stringify([r.model, r.messages]))
}

describe('faults at the provider', () => {
  it('under 10% injected 5xx faults every example is scored, with the clean run’s scores', async () => {
    const clean = await setUp()
    const faulty = await setUp({ faults: { rate500: 0.05, rate502NonJson: 0.05, seed: 3 } })
    const a = await evalRun(clean.repo)
    const b = await evalRun(faulty.repo)
    expect(a.code).toBe(0)
    expect(b.code, b.stderr).toBe(0)
    expect(faulty.server.stats.status5xx).toBeGreaterThan(0)
    const task = b.report.tasks[0]
    expect(task?.n).toBe(ROWS)
    expect(task?.failed).toBe(0)
    expect(b.report.stop.reason).toBe('completed')
    expect(outcomes(b.report)).toEqual(outcomes(a.report))
    expect(task?.score).toBe(a.report.tasks[0]?.score)
    // Each fault was retried, and only successful answers were paid calls.
    expect(b.report.ledger.total.retries).toBe(faulty.server.stats.status5xx)
    expect(b.report.ledger.total.calls).toBe(ROWS)
    expect(faulty.server.stats.requests).toBe(ROWS + faulty.server.stats.status5xx)
  })

  it('429s with retry-after from a rate-limited server are waited out and counted', async () => {
    // Retries are bounded per call; allow enough that a burst of 429s cannot exhaust them here.
    const { server, repo } = await setUp(
      { rateLimitPerSecond: 15 },
      { provider: { concurrency: 8, max_retries: 12 } }
    )
    const run = await evalRun(repo)
    expect(run.code, run.stderr).toBe(0)
    expect(server.stats.status429).toBeGreaterThan(0)
    expect(run.report.ledger.total.rateLimited).toBe(server.stats.status429)
    expect(run.report.tasks[0]?.failed).toBe(0)
    expect(run.report.tasks[0]?.n).toBe(ROWS)
  })

  it('a hung call times out and is retried', async () => {
    const { server, repo } = await setUp(
      { faults: { hangFirstN: 1 } },
      { provider: { timeout_ms: 300 } }
    )
    const run = await evalRun(repo)
    expect(run.code, run.stderr).toBe(0)
    expect(server.stats.hung).toBe(1)
    expect(run.report.tasks[0]?.n).toBe(ROWS)
    expect(run.report.tasks[0]?.failed).toBe(0)
    expect(run.report.ledger.total.retries).toBe(1)
    // The request that hung was sent again and answered.
    const hung = server.record.find((r) => r.status === 0)
    const again = server.record.filter(
      (r) => r.status === 200 && JSON.stringify(r.messages) === JSON.stringify(hung?.messages)
    )
    expect(again).toHaveLength(1)
    expect(server.stats.requests).toBe(ROWS + 1)
  })
})

describe('budget and cache', () => {
  it('a calls cap stops with exit 3 and a valid report; the re-run resumes without paying twice', async () => {
    const { server, repo } = await setUp()
    const cap = 15
    const first = await evalRun(repo, ['--max-calls', String(cap)])
    expect(first.code).toBe(3)
    expect(first.report.stop.reason).toBe('budget')
    expect(first.report.stop.message).toMatch(/budget\.calls/)
    expect(first.stdout).toMatch(/budget/i)
    const scored = first.report.tasks[0]?.examples ?? []
    expect(scored).toHaveLength(cap)
    expect(first.report.tasks[0]?.n).toBe(cap)
    expect(first.report.ledger.total.calls).toBe(cap)
    expect(server.stats.requests).toBe(cap)

    const second = await evalRun(repo)
    expect(second.code, second.stderr).toBe(0)
    expect(second.report.stop.reason).toBe('completed')
    expect(second.report.tasks[0]?.n).toBe(ROWS)
    expect(second.report.ledger.total.cachedCalls).toBe(cap)
    expect(second.report.ledger.total.calls).toBe(ROWS - cap)
    // No request body was paid for twice across the two runs.
    const bodies = answeredBodies(server)
    expect(bodies).toHaveLength(ROWS)
    expect(new Set(bodies).size).toBe(ROWS)
    // What the first run scored, the second reports the same way.
    const resumed = outcomes(second.report)
    for (const example of scored) {
      expect(resumed.get(example.id)).toEqual({ score: example.score, output: example.output })
    }
  })

  it('a minutes cap stops the calls in flight; what was scored is kept and cached', async () => {
    // 40 rows, 4 at a time, 400 ms each: about 4 s of work against a 0.9 s cap.
    const { server, repo } = await setUp({ latencyMs: 400 })
    const first = await evalRun(repo, ['--max-minutes', '0.015'])
    expect(first.code).toBe(3)
    expect(first.report.stop.reason).toBe('budget')
    expect(first.report.stop.message).toMatch(/budget\.minutes/)
    const task = first.report.tasks[0]
    const scored = task?.examples.length ?? 0
    expect(scored).toBeGreaterThan(0)
    expect(scored).toBeLessThan(ROWS)
    // Calls cut off by the stop are left unscored, not reported as provider failures.
    expect(task?.failed).toBe(0)
    expect(server.stats.requests).toBeLessThan(ROWS)
    // The calls cut off were sent, so they count (they may be billed), but nothing was cached for them.
    const calls = first.report.ledger.total.calls
    expect(calls).toBeGreaterThan(scored)
    expect(calls).toBeGreaterThanOrEqual(server.stats.requests)

    const second = await evalRun(repo)
    expect(second.code, second.stderr).toBe(0)
    expect(second.report.ledger.total.cachedCalls).toBe(scored)
    expect(second.report.ledger.total.calls).toBe(ROWS - scored)
    expect(second.report.tasks[0]?.n).toBe(ROWS)
  })

  it('a second run of the same eval makes zero calls and says they were cached', async () => {
    const { server, repo } = await setUp()
    const first = await evalRun(repo)
    expect(first.code).toBe(0)
    const requests = server.stats.requests
    expect(requests).toBe(ROWS)
    const second = await evalRun(repo)
    expect(second.code).toBe(0)
    expect(server.stats.requests).toBe(requests)
    expect(second.report.ledger.total.calls).toBe(0)
    expect(second.report.ledger.total.cachedCalls).toBe(ROWS)
    expect(second.report.ledger.total.inputTokens).toBe(0)
    expect(second.stdout).toMatch(new RegExp(`0 calls \\(${ROWS} cached\\)`))
    expect(outcomes(second.report)).toEqual(outcomes(first.report))
  })

  it('--no-cache calls the provider again', async () => {
    const { server, repo } = await setUp()
    await evalRun(repo)
    const again = await evalRun(repo, ['--no-cache'])
    expect(again.code).toBe(0)
    expect(again.report.ledger.total.cachedCalls).toBe(0)
    expect(server.stats.requests).toBe(2 * ROWS)
  })

  it('--estimate prints calls, tokens and cost without a request reaching the server', async () => {
    const { server, repo } = await setUp(
      {},
      { provider: { prices: { 'sim-target': { input: 2, output: 8 } } } }
    )
    const result = await runCli(['eval', '--estimate'], { cwd: repo.root })
    expect(result.code, result.stderr).toBe(0)
    expect(server.stats.requests).toBe(0)
    expect(result.stdout).toMatch(/no calls made/)
    // An estimate needs no key either.
    const keyless = await runCli(['eval', '--estimate'], { cwd: repo.root, env: { [KEY_ENV]: '' } })
    expect(keyless.code, keyless.stderr).toBe(0)
    expect(keyless.stdout).toBe(result.stdout)
    expect(server.stats.requests).toBe(0)
    expect(result.stdout).toMatch(
      new RegExp(`total: ${ROWS} calls, [\\d.]+k? input \\+ [\\d.]+k? output tokens, ≈ \\$\\d`)
    )
  })
})
