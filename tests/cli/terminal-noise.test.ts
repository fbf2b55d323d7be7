/**
 * Terminal output without noise: one simulated-provider notice, labelled before/after scoring
 * lines, no lone progress fragments in CI logs, a cleared progress line on a terminal, singular and
 * plural right, round counts that match the config; and the report's provenance (the base URL
 * actually used, from the environment too, without credentials).
 */
import { readFile } from 'node:fs/promises'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCliLogger } from '../../src/cli/logger.js'
import { createModelSet } from '../../src/llm/model-stack.js'
import { parseReport } from '../../src/report/json.js'
import { renderTerminal, SIMULATION_NOTICE } from '../../src/report/terminal.js'
import { testConfig } from '../llm/config-fixture.js'
import { makeEvalReport, makeOptimizeReport } from '../report/fixtures.js'
import type { FakeOpenAI } from '../helpers/fake-openai-server.js'
import { makeRepo, runCli, startSimulatedServer } from './fixture.js'
import type { TestRepo } from './fixture.js'

/** A stream that records what is written to it. */
function fakeStream(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  let text = ''
  const stream = {
    isTTY,
    write: (chunk: string) => {
      text += chunk
      return true
    }
  } as unknown as NodeJS.WriteStream
  return { stream, text: () => text }
}

describe('the CLI logger', () => {
  it('in a CI log prints progress only after seconds of silence, never as a lone fragment', () => {
    let now = 1_000
    const { stream, text } = fakeStream(false)
    const logger = createCliLogger({ stream, now: () => now })
    logger.info('triage: scoring 120 examples (all)')
    logger.progress('triage: 1/120 scored')
    now += 4_000
    logger.progress('triage: 60/120 scored')
    expect(text()).toBe('triage: scoring 120 examples (all)\n')
    now += 1_500
    logger.progress('triage: 90/120 scored')
    expect(text()).toBe('triage: scoring 120 examples (all)\ntriage: 90/120 scored\n')
  })

  it('on a terminal clears the progress line before the report', () => {
    const { stream, text } = fakeStream(true)
    const logger = createCliLogger({ stream })
    logger.progress('triage: 3/4 scored')
    logger.settle?.()
    expect(text()).toBe('\r\x1b[2Ktriage: 3/4 scored\r\x1b[2K')
    logger.settle?.()
    expect(text().endsWith('\r\x1b[2K\r\x1b[2K')).toBe(false)
  })
})

describe('the terminal report', () => {
  it('says "1 check" and counts the rounds the config asked for, not round 0', () => {
    const one = makeEvalReport({
      gate: {
        passed: true,
        rule: 'gate from the config: min_score 0.6.',
        checks: [{ task: 't', kind: 'min_score', passed: true, message: 'ok' }]
      }
    })
    expect(renderTerminal(one, { color: false })).toContain('gate: ✓ passed (1 check)')
    const optimized = makeOptimizeReport()
    const rounds = optimized.optimization?.rounds.filter((r) => r.round > 0).length ?? 0
    const out = renderTerminal(optimized, { color: false })
    expect(out).toContain(`${rounds} rounds · `)
    const single = makeOptimizeReport()
    single.optimization!.rounds = single.optimization!.rounds.slice(0, 1)
    expect(renderTerminal(single, { color: false })).toMatch(/^1 round · /m)
  })
})

describe('a run with the simulated provider', () => {
  let cwd: string
  beforeAll(async () => {
    cwd = await mkdtemp(join(tmpdir(), 'pd-noise-'))
  })
  afterAll(async () => {
    await rm(cwd, { recursive: true, force: true })
  })

  it('shows one notice, in one wording, and no lone progress line', async () => {
    const result = await runCli(['demo', 'd', '--no-optimize'], { cwd, env: {} })
    expect(result.code, result.stderr).toBe(0)
    const all = result.stdout + result.stderr
    expect(all.split(SIMULATION_NOTICE).length - 1).toBe(1)
    expect(all.match(/simulated provider:/g)).toHaveLength(1)
    expect(result.stderr).not.toMatch(/^triage: \d+\/\d+/m)
  })
})

describe('over HTTP', () => {
  let server: FakeOpenAI
  let repo: TestRepo
  beforeAll(async () => {
    server = await startSimulatedServer()
    repo = await makeRepo(server.url, {
      rows: 40,
      provider: { base_url: undefined },
      config: {
        optimize: { method: 'apo', apo: { rounds: 1, beam: 2, minibatch: 8, selection_budget: 16 } }
      }
    })
  })
  afterAll(async () => {
    await server.close()
    await repo.remove()
  })

  it('labels the before and after scoring lines, and records the base URL from the environment', async () => {
    const result = await runCli(['optimize', '--json', 'r.json'], {
      cwd: repo.root,
      env: { OPENAI_BASE_URL: server.url }
    })
    expect(result.code, result.stderr).toBeLessThan(2)
    expect(result.stderr).toMatch(/^triage \(before\): scoring \d+ examples \(test\)$/m)
    expect(result.stderr).toMatch(/^triage \(after\): scoring \d+ examples \(test\)$/m)
    expect(result.stdout).toMatch(/^1 round · \d+ candidates/m)
    const report = parseReport(await readFile(join(repo.root, 'r.json'), 'utf8'))
    expect(report.provider.baseUrl).toBe(server.url)
  })

  it('records the base URL without its query, and the default when none is set', () => {
    const runtime = createModelSet(testConfig(), {
      env: {
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: 'https://llm.example.com/v1/?key=abc'
      },
      root: tmpdir(),
      cache: false
    })
    expect(runtime.baseUrl).toBe('https://llm.example.com/v1')
    runtime.dispose()
    const defaulted = createModelSet(testConfig(), {
      env: { OPENAI_API_KEY: 'sk-test' },
      root: tmpdir(),
      cache: false
    })
    expect(defaulted.baseUrl).toBe('https://api.openai.com/v1')
    defaulted.dispose()
  })
})
