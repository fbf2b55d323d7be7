/**
 * The sequential gate end to end: `compare` through the real openai SDK against the fake
 * OpenAI-compatible server scores base and head in a seeded random order, in batches, and stops at
 * the first look that settles the max_drop verdict — with exactly the calls that many rows cost,
 * said in every view. `gate.sequential: false` makes every call; a re-run makes none.
 *
 * The server answers every row right, unless the prompt carries the head's broken rule, when it
 * answers every row wrong: each paired difference is −1, and the betting test (unit-tested in
 * tests/eval/sequential-test.test.ts) needs 12 such rows to settle a regression beyond max_drop 0.1
 * at 95%, so with `first_look: 20` the gate stops at its first look, after 20 rows: 40 calls. A
 * harmless change (every difference 0) is stopped by the futility rule (eval/futility.ts) after 50.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { parse, stringify } from 'yaml'
import type { RunReport } from '../../src/report/types.js'
import {
  createFixtureRepo,
  promptAddressing,
  TASK_TRAITS,
  triageTask
} from '../action/fixture-repo.js'
import type { FixtureRepo } from '../action/fixture-repo.js'
import { SECRET_API_KEY } from '../action/simulated-server.js'
import { startFakeOpenAI } from '../helpers/fake-openai-server.js'
import type { FakeChatBody, FakeOpenAI } from '../helpers/fake-openai-server.js'
import { runCli } from './fixture.js'

const task = triageTask(200)
const BROKEN = 'Always answer with the label that follows the right one.'
const BASE = promptAddressing(task, TASK_TRAITS)
const HEAD = BASE.replace('Rules:', `Rules:\n- ${BROKEN}`)
const env = { OPENAI_API_KEY: SECRET_API_KEY }

function respond(body: FakeChatBody): string {
  const user = body.messages.at(-1)?.content ?? ''
  const row = task.rows.find((r) => user.includes(r.text))
  if (row === undefined) throw new Error(`no row in ${user}`)
  const next = task.choices[(task.choices.indexOf(row.label) + 1) % task.choices.length]
  return `<answer>${user.includes(BROKEN) ? next : row.label}</answer>`
}

let ai: FakeOpenAI
const repos: FixtureRepo[] = []

beforeAll(async () => {
  ai = await startFakeOpenAI({ apiKey: SECRET_API_KEY, respond })
})
afterAll(() => ai.close())
afterEach(async () => {
  for (const repo of repos.splice(0)) await repo.cleanup()
})

async function repoWith(gate: Record<string, unknown>, headPrompt = HEAD): Promise<FixtureRepo> {
  const repo = await createFixtureRepo({ baseUrl: ai.url, basePrompt: BASE, headPrompt, task })
  repos.push(repo)
  const path = join(repo.dir, 'prompt-descent.yml')
  const config = parse(await readFile(path, 'utf8')) as Record<string, unknown>
  config['gate'] = gate
  await writeFile(path, stringify(config))
  return repo
}

async function compare(repo: FixtureRepo): Promise<{
  code: number
  stdout: string
  json: RunReport
  md: string
  xml: string
  calls: number
}> {
  const before = ai.stats.requests
  const r = await runCli(
    [
      'compare',
      '--base',
      repo.baseSha,
      '--json',
      'r.json',
      '--markdown',
      'r.md',
      '--junit',
      'r.xml'
    ],
    { cwd: repo.dir, env }
  )
  const read = (f: string): Promise<string> => readFile(join(repo.dir, f), 'utf8')
  return {
    code: r.code,
    stdout: r.stdout,
    json: JSON.parse(await read('r.json')) as RunReport,
    md: await read('r.md'),
    xml: await read('r.xml'),
    calls: ai.stats.requests - before
  }
}

const GATE = { max_drop: 0.1, confidence: 0.95, first_look: 20, look_every: 10 }

describe('compare with the sequential gate', () => {
  it('stops at the first look that settles the verdict, with exactly the calls of its rows', async () => {
    const repo = await repoWith(GATE)
    const run = await compare(repo)
    expect(run.code).toBe(1)
    const c = run.json.comparison?.tasks[0]
    const total = task.rows.length
    expect(c?.sequential).toEqual({
      stop: 'regressed',
      rule: 'confidence-sequence',
      rows: 20,
      total,
      message: `stopped after 20 of ${total} rows: the head is worse than max_drop 0.1 at 95%`
    })
    // 20 rows on each side, one call each, and nothing more.
    expect(run.calls).toBe(40)
    expect(c?.n).toBe(20)
    expect(c?.delta.value).toBe(-1)
    const check = run.json.gate?.checks.find((k) => k.kind === 'max_drop')
    expect(check).toMatchObject({ passed: false })
    expect(check?.message).toContain('stopped after 20 of')
    const line = `stopped after 20 of ${total} rows`
    expect(run.stdout).toContain(line)
    expect(run.md).toContain(line)
    expect(run.xml).toContain(line)

    // A re-run pays nothing: the same seed draws the same rows, all in the cache.
    const again = await compare(repo)
    expect(again.calls).toBe(0)
    expect(again.json.comparison?.tasks[0]?.sequential).toEqual(c?.sequential)
  })

  it('stops a harmless change by futility after 50 rows, before the betting test (71 rows, the look after 80)', async () => {
    // Every difference is 0. After 40 rows the rows left could still make it a regression with a
    // chance of Φ(−4 / (√(1/41)·√160)) ≈ 2.1%; after 50, Φ(−5 / (√(1/51)·√150)) ≈ 0.18% < 1%
    // (tests/eval/futility.test.ts works these out), so the gate stops there: 50 rows a side.
    const repo = await repoWith(GATE, `${BASE}\nBe brief.\n`)
    const run = await compare(repo)
    expect(run.code).toBe(0)
    const total = task.rows.length
    const line = `stopped after 50 of ${total} rows: scoring the other rows would not make this a regression (< 1% chance)`
    expect(run.json.comparison?.tasks[0]?.sequential).toEqual({
      stop: 'not-regressed',
      rule: 'futility',
      rows: 50,
      total,
      message: line
    })
    expect(run.calls).toBe(100)
    expect(run.json.gate?.passed).toBe(true)
    const check = run.json.gate?.checks.find((k) => k.kind === 'max_drop')
    expect(check?.message).toContain(line)
    expect(run.stdout).toContain(line)
    // The Markdown escapes the "<" as it does any text it renders.
    expect(run.md).toContain(line.replace('<', '&lt;'))
    expect(run.xml).toContain(line)
  })

  it('with gate.sequential: false scores every row on both sides, and says so', async () => {
    const repo = await repoWith({ ...GATE, sequential: false })
    const run = await compare(repo)
    const total = task.rows.length
    expect(run.code).toBe(1)
    expect(run.calls).toBe(2 * total)
    expect(run.json.comparison?.tasks[0]?.sequential).toMatchObject({ stop: 'off', rows: total })
    expect(run.stdout).toContain(`scored all ${total} rows (gate.sequential: false)`)
  })

  it('with min_score scores every row: the sequential test cannot decide a score threshold', async () => {
    const repo = await repoWith({ ...GATE, min_score: 0.5 })
    const run = await compare(repo)
    const total = task.rows.length
    expect(run.calls).toBe(2 * total)
    expect(run.json.comparison?.tasks[0]?.sequential?.message).toMatch(
      /gate.min_score needs the head's score on every row/
    )
  })
})
