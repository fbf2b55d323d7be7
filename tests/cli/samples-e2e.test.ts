/**
 * `samples: k` end to end through the real openai SDK and the fake OpenAI-compatible server, whose
 * replies vary with the sample: the n-th time the same request arrives it answers sample n's reply.
 * Per-example and task scores are recomputed here from the recorded replies for every aggregation,
 * and the cache is shown to key each reply by its sample index.
 */
import { execFile } from 'node:child_process'
import { readFile, writeFile } from 'node:fs/promises'
import { promisify } from 'node:util'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse, stringify } from 'yaml'
import { parseReport } from '../../src/report/json.js'
import type { RunReport } from '../../src/report/types.js'
import { startFakeOpenAI } from '../helpers/fake-openai-server.js'
import type { FakeChatBody, FakeOpenAI } from '../helpers/fake-openai-server.js'
import { makeRepo, runCli, TEST_KEY } from './fixture.js'
import type { TestRepo } from './fixture.js'

const ROWS = 12
const CHOICES = ['billing', 'bug', 'account', 'other']

let server: FakeOpenAI
let repo: TestRepo
/** Arrivals so far of each distinct request (by its messages). */
const arrivals = new Map<string, number>()

function keyOf(body: FakeChatBody): string {
  return JSON.stringify(body.messages)
}

/** The row a request is about, found by its ticket text. */
function rowOf(body: FakeChatBody): { index: number; label: string } {
  const user = body.messages.at(-1)?.content ?? ''
  const index = repo.rows.findIndex((r) => user.includes(`Ticket: ${r.text}`))
  if (index < 0) throw new Error(`no row in ${user}`)
  return { index, label: (repo.rows[index] as { label: string }).label }
}

/** Arrival n of row i's request: right unless (i + n) % 3 == 0, when it names the next label. */
function respond(body: FakeChatBody): string {
  const key = keyOf(body)
  const n = arrivals.get(key) ?? 0
  arrivals.set(key, n + 1)
  const { index, label } = rowOf(body)
  const wrong = CHOICES[(CHOICES.indexOf(label) + 1) % CHOICES.length] as string
  return `Sample ${n}.\n<answer>${(index + n) % 3 === 0 ? wrong : label}</answer>`
}

/** The recorded replies for row i, in arrival (= sample) order, scored 1 when right. */
function recordedScores(index: number): number[] {
  const label = (repo.rows[index] as { label: string }).label
  return server.record
    .filter(
      (r) =>
        r.status === 200 &&
        (r.messages.at(-1)?.content ?? '').includes(`Ticket: ${repo.rows[index]?.text}`)
    )
    .map((r) => (/<answer>([^<]*)<\/answer>/.exec(r.reply ?? '')?.[1] === label ? 1 : 0))
}

async function setConfig(change: (config: Record<string, unknown>) => void): Promise<void> {
  const config = parse(await readFile(repo.configPath, 'utf8')) as Record<string, unknown>
  change(config)
  await writeFile(repo.configPath, stringify(config), 'utf8')
}

function task0(config: Record<string, unknown>): Record<string, unknown> {
  return (config['tasks'] as Array<Record<string, unknown>>)[0] as Record<string, unknown>
}

async function evalRun(
  extra: string[] = []
): Promise<{ code: number; report: RunReport; stderr: string }> {
  const result = await runCli(['eval', '--json', 'out/report.json', ...extra], { cwd: repo.root })
  const text = await readFile(join(repo.root, 'out/report.json'), 'utf8')
  return { code: result.code, report: parseReport(text, 'report.json'), stderr: result.stderr }
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length

beforeAll(async () => {
  server = await startFakeOpenAI({ respond, apiKey: TEST_KEY })
  repo = await makeRepo(server.url, { rows: ROWS })
  await setConfig((config) => {
    config['models'] = {
      target: { model: 'sim-target', temperature: 0.7, samples: 3 },
      optimizer: 'sim-optimizer',
      judge: 'sim-judge'
    }
  })
})

afterAll(async () => {
  await server.close()
  await repo.remove()
})

describe('samples: k, end to end', () => {
  it('asks k replies per example and scores the mean of the recorded replies', async () => {
    const { code, report } = await evalRun()
    expect(code).toBe(0)
    expect(server.stats.requests).toBe(ROWS * 3)
    const task = report.tasks[0]
    expect(task?.samples).toMatchObject({ k: 3, aggregate: 'mean' })
    const means = repo.rows.map((_, i) => mean(recordedScores(i)))
    for (const [i, row] of repo.rows.entries()) {
      const example = task?.examples.find((e) => e.id === row.id)
      // Samples are asked at once, so arrival order need not be sample order: compare as sets.
      const scores = example?.samples?.map((s) => s.score).sort()
      expect(scores).toEqual(recordedScores(i).sort())
      expect(example?.score).toBeCloseTo(means[i] as number, 12)
    }
    expect(task?.score).toBeCloseTo(mean(means), 12)
    // Every row has exactly one wrong sample of three: all flaky, each 1/3.
    expect(task?.samples?.flaky).toBe(ROWS)
    expect(task?.samples?.flakiest[0]?.flakiness).toBeCloseTo(1 / 3, 12)
  })

  it('a second run makes no call and scores the same; reports show the flaky examples', async () => {
    const before = server.stats.requests
    const { report } = await evalRun(['--markdown', 'out/report.md'])
    const markdown = await readFile(join(repo.root, 'out/report.md'), 'utf8')
    expect(markdown).toContain('| task | k | aggregate | flaky examples | spread | flakiest |')
    expect(markdown).toContain(`| triage | 3 | mean | ${ROWS} of ${ROWS} |`)
    expect(markdown).toContain(`${repo.rows[0]?.id} (1 of 3 disagree)`)
    const terminal = await runCli(['eval'], { cwd: repo.root })
    expect(terminal.stdout).toContain(
      `samples: triage — 3 per example (mean), ${ROWS} flaky examples of ${ROWS}`
    )
    expect(server.stats.requests).toBe(before)
    expect(report.ledger.total.calls).toBe(0)
    expect(report.tasks[0]?.score).toBeCloseTo(
      mean(repo.rows.map((_, i) => mean(recordedScores(i)))),
      12
    )
  })

  it('raising k from 3 to 5 with --samples makes exactly 2 new calls per example', async () => {
    const before = server.stats.requests
    const { report } = await evalRun(['--samples', '5'])
    expect(server.stats.requests - before).toBe(2 * ROWS)
    expect(report.ledger.total.calls).toBe(2 * ROWS)
    const task = report.tasks[0]
    expect(task?.samples?.k).toBe(5)
    for (const [i, row] of repo.rows.entries()) {
      const scores = recordedScores(i)
      expect(scores).toHaveLength(5)
      expect(task?.examples.find((e) => e.id === row.id)?.score).toBeCloseTo(mean(scores), 12)
    }
  })

  it('pass@k, pass^k and majority equal the recorded replies’ any / all / vote, from the cache', async () => {
    const before = server.stats.requests
    const expected = {
      'pass@k': (s: number[]) => Math.max(...s),
      'pass^k': (s: number[]) => Math.min(...s),
      majority: (s: number[]) => (s.filter((v) => v === 1).length * 2 > s.length ? 1 : 0)
    }
    for (const [aggregate, of] of Object.entries(expected)) {
      await setConfig((config) => {
        task0(config)['aggregate'] = aggregate
      })
      const { code, report } = await evalRun(['--samples', '5'])
      expect(code).toBe(0)
      const task = report.tasks[0]
      expect(task?.samples?.aggregate).toBe(aggregate)
      const scores = repo.rows.map((_, i) => of(recordedScores(i)))
      for (const [i, row] of repo.rows.entries()) {
        expect(task?.examples.find((e) => e.id === row.id)?.score).toBe(scores[i])
      }
      expect(task?.score).toBeCloseTo(mean(scores), 12)
    }
    expect(server.stats.requests).toBe(before)
    await setConfig((config) => {
      delete task0(config)['aggregate']
    })
  })

  it('aggregates each check over the samples, and the combined score too', async () => {
    const original = await readFile(repo.configPath, 'utf8')
    try {
      await setConfig((config) => {
        const task = task0(config)
        const metric = task['metric'] as Record<string, unknown>
        delete task['metric']
        task['checks'] = [
          { ...metric, name: 'label' },
          { type: 'exact', name: 'says_bug', value: 'bug' }
        ]
      })
      const before = server.stats.requests
      const { report } = await evalRun(['--samples', '5'])
      expect(server.stats.requests).toBe(before)
      const task = report.tasks[0]
      for (const [i, row] of repo.rows.entries()) {
        const replies = server.record
          .filter((r) => (r.messages.at(-1)?.content ?? '').includes(`Ticket: ${row.text}`))
          .map((r) => /<answer>([^<]*)<\/answer>/.exec(r.reply ?? '')?.[1])
        const bug = mean(replies.map((a) => (a === 'bug' ? 1 : 0)))
        const label = mean(recordedScores(i))
        const example = task?.examples.find((e) => e.id === row.id)
        expect(example?.checks?.map((c) => c.score)).toEqual([label, bug])
        expect(example?.score).toBeCloseTo((label + bug) / 2, 12)
      }
      expect(task?.checks?.map((c) => c.name)).toEqual(['label', 'says_bug'])
    } finally {
      await writeFile(repo.configPath, original, 'utf8')
    }
  })

  it('estimates k × the calls', async () => {
    const result = await runCli(['eval', '--estimate', '--samples', '4'], { cwd: repo.root })
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`triage: ${ROWS * 4} calls`)
  })
})

describe('samples: bad input', () => {
  async function withConfig(
    change: (config: Record<string, unknown>) => void,
    argv: string[] = ['eval']
  ): Promise<{ code: number; stderr: string }> {
    const original = await readFile(repo.configPath, 'utf8')
    try {
      await setConfig(change)
      return await runCli(argv, { cwd: repo.root })
    } finally {
      await writeFile(repo.configPath, original, 'utf8')
    }
  }

  it('refuses k outside 1–100 in the config and on the command line', async () => {
    for (const samples of [0, 101, 2.5]) {
      const result = await withConfig((c) => {
        task0(c)['samples'] = samples
      })
      expect(result.code).toBe(2)
      expect(result.stderr).toMatch(/tasks\[0\]\.samples|tasks\.0\.samples/)
      expect(result.stderr).toMatch(/expected a whole number/)
      expect(result.stderr).not.toMatch(/\n\s+at /)
    }
    const flag = await runCli(['eval', '--samples', '0'], { cwd: repo.root })
    expect(flag.code).toBe(2)
    expect(flag.stderr).toContain('--samples expects a whole number from 1 to 100, got "0"')
  })

  it('refuses pass@k on a check with partial credit and majority on free text', async () => {
    const passAtK = await withConfig((c) => {
      const task = task0(c)
      task['metric'] = { type: 'json', fields: ['a'] }
      task['aggregate'] = 'pass@k'
    })
    expect(passAtK.code).toBe(2)
    expect(passAtK.stderr).toContain('pass@k needs checks that score 0 or 1')
    const majority = await withConfig((c) => {
      const task = task0(c)
      task['metric'] = { type: 'contains' }
      task['aggregate'] = 'majority'
    })
    expect(majority.code).toBe(2)
    expect(majority.stderr).toContain(
      'majority votes on extracted answers, but the contains check reads free text'
    )
  })

  it('warns when k > 1 at temperature 0, and still runs', async () => {
    const result = await withConfig((c) => {
      c['models'] = { target: { model: 'sim-target', temperature: 0, samples: 3 } }
    })
    expect(result.code).toBe(0)
    expect(result.stderr).toContain(
      'samples > 1 for triage with models.target.temperature 0: most providers then repeat the same answer, which costs money and shows nothing'
    )
  })
})

describe('samples in a comparison', () => {
  const git = promisify(execFile)
  let compareRepo: TestRepo

  afterAll(async () => {
    await compareRepo.remove()
  })

  it("scores base with head's k and reports what the gate can see", async () => {
    compareRepo = await makeRepo(server.url, { rows: ROWS })
    const run = (args: string[]) => git('git', args, { cwd: compareRepo.root })
    await run(['init', '-q'])
    await run(['add', '-A'])
    await run(['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', 'commit', '-qm', 'base'])
    // Head: samples: 3 (base has one reply per example) and a reworded prompt.
    const config = parse(await readFile(compareRepo.configPath, 'utf8')) as Record<string, unknown>
    config['models'] = { target: { model: 'sim-target', temperature: 0.7, samples: 3 } }
    config['gate'] = { max_drop: 0.02 }
    await writeFile(compareRepo.configPath, stringify(config), 'utf8')
    const prompt = join(compareRepo.root, 'prompts/triage.md')
    await writeFile(prompt, `${await readFile(prompt, 'utf8')}\nBe brief.\n`, 'utf8')
    const before = server.stats.requests
    const result = await runCli(
      ['compare', '--base', 'HEAD', '--json', 'out/c.json', '--markdown', 'out/c.md'],
      { cwd: compareRepo.root }
    )
    expect(result.code).toBe(0)
    // k = 3 replies per example on both sides, base included.
    expect(server.stats.requests - before).toBe(2 * 3 * ROWS)
    const report = parseReport(await readFile(join(compareRepo.root, 'out/c.json'), 'utf8'), 'c')
    const comparison = report.comparison?.tasks[0]
    expect(comparison?.samples).toBe(3)
    expect(comparison?.detectableDrop).toBeGreaterThan(0.02)
    expect(report.gate?.warnings?.[0]).toMatch(
      new RegExp(
        `^triage: with ${ROWS} rows of 3 samples each this gate cannot see a drop smaller than \\d+ points \\(max_drop is 2\\); add rows or samples$`
      )
    )
    const markdown = await readFile(join(compareRepo.root, 'out/c.md'), 'utf8')
    expect(markdown).toContain('| triage | 3 | mean |')
    expect(markdown).toContain('this gate cannot see a drop smaller than')
  })
})
