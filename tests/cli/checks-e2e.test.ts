/**
 * `prompt-descent eval` with several checks per example, end to end through the real openai SDK
 * and the fake OpenAI-compatible server: the per-check and combined scores in every report equal
 * what the server's recorded replies give, recomputed here without the product's metrics.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse, stringify } from 'yaml'
import { parseReport } from '../../src/report/json.js'
import type { RunReport } from '../../src/report/types.js'
import type { FakeOpenAI } from '../helpers/fake-openai-server.js'
import { brokenTableRows, splitCode } from '../report/markdown-check.js'
import { xmlProblems } from '../report/xml-check.js'
import { makeRepo, runCli, startSimulatedServer } from './fixture.js'
import type { CliResult, TestRepo } from './fixture.js'

const ROWS = 30

let server: FakeOpenAI
let repo: TestRepo
let result: CliResult
let report: RunReport

beforeAll(async () => {
  server = await startSimulatedServer()
  repo = await makeRepo(server.url, { rows: ROWS })
  const config = parse(await readFile(repo.configPath, 'utf8')) as {
    tasks: Array<Record<string, unknown>>
  }
  const task = config.tasks[0] as Record<string, unknown>
  const metric = task['metric'] as Record<string, unknown>
  delete task['metric']
  task['checks'] = [
    { ...metric, name: 'label', weight: 2 },
    { type: 'contains', name: 'names_label', value: '{{label}}' },
    { type: 'regex', name: 'no_apology', pattern: 'sorry', flags: 'i', not: true }
  ]
  await writeFile(repo.configPath, stringify(config), 'utf8')
  result = await runCli(
    ['eval', '--config', 'prompt-descent.yml', '--json', 'out/report.json'].concat([
      '--markdown',
      'out/report.md',
      '--junit',
      'out/junit.xml'
    ]),
    { cwd: repo.root }
  )
  report = parseReport(await readFile(join(repo.root, 'out/report.json'), 'utf8'), 'report.json')
})

afterAll(async () => {
  await server.close()
  await repo.remove()
})

/** The text inside the reply's <answer> tags, read independently of the product's extractor. */
function tagged(reply: string): string | null {
  return /<answer>\s*([^<]*?)\s*<\/answer>/.exec(reply)?.[1] ?? null
}

/** Each check's score for one reply, as the checks' definitions say. */
function expectedChecks(reply: string, label: string): [number, number, number] {
  const answer = tagged(reply)
  if (answer === null) throw new Error(`a simulated reply without an answer tag: ${reply}`)
  return [
    answer.toLowerCase() === label.toLowerCase() ? 1 : 0,
    answer.toLowerCase().includes(label.toLowerCase()) ? 1 : 0,
    /sorry/i.test(answer) ? 0 : 1
  ]
}

describe('several checks per example, end to end', () => {
  it('scores each check and the weighted mean per example as the recorded replies give', () => {
    expect(result.code).toBe(0)
    // One target call per row: the checks read the same reply.
    expect(server.stats.requests).toBe(ROWS)
    const byUser = new Map(server.record.map((r) => [r.messages[1]?.content.trim(), r.reply]))
    const task = report.tasks[0]
    const examples = new Map(task?.examples.map((e) => [e.id, e]))
    const sums = [0, 0, 0]
    let total = 0
    for (const row of repo.rows) {
      const reply = byUser.get(repo.userPrompt.replace('{{text}}', row.text).trim()) ?? ''
      const checks = expectedChecks(reply, row.label)
      checks.forEach((s, i) => (sums[i] = (sums[i] ?? 0) + s))
      const combined = (2 * checks[0] + checks[1] + checks[2]) / 4
      total += combined
      const example = examples.get(row.id)
      expect(example?.output).toBe(reply)
      expect(example?.checks?.map((c) => [c.name, c.score])).toEqual([
        ['label', checks[0]],
        ['names_label', checks[1]],
        ['no_apology', checks[2]]
      ])
      expect(example?.checks?.[1]?.expected).toBe(row.label)
      expect(example?.score).toBeCloseTo(combined, 12)
    }
    expect(task?.metric).toBe('mean of checks')
    expect(task?.score).toBeCloseTo(total / ROWS, 12)
    expect(task?.checks?.map((c) => [c.name, c.metric, c.weight, c.not])).toEqual([
      ['label', 'accuracy', 2, false],
      ['names_label', 'contains', 1, false],
      ['no_apology', 'regex', 1, true]
    ])
    task?.checks?.forEach((c, i) => expect(c.score).toBeCloseTo((sums[i] ?? 0) / ROWS, 12))
    // The simulation gets some labels right and some wrong.
    expect(sums[0]).toBeGreaterThan(0)
    expect(sums[0]).toBeLessThan(ROWS)
  })

  it('shows the task score and each check in the terminal, Markdown and JUnit reports', async () => {
    const task = report.tasks[0]
    const pct = (x: number | undefined) => `${((x ?? 0) * 100).toFixed(1)}%`
    const lines = result.stdout.split('\n')
    expect(lines.find((l) => l.startsWith('triage '))).toContain(pct(task?.score))
    for (const c of task?.checks ?? []) {
      const line = lines.find((l) => l.includes(`↳ ${c.name} (`))
      expect(line, c.name).toContain(pct(c.score))
    }
    expect(result.stdout).toContain('↳ label (accuracy, ×2)')
    expect(result.stdout).toContain('↳ no_apology (regex, not)')

    const markdown = await readFile(join(repo.root, 'out/report.md'), 'utf8')
    expect(brokenTableRows(splitCode(markdown).prose)).toEqual([])
    for (const c of task?.checks ?? []) {
      expect(markdown).toMatch(
        new RegExp(
          `\\| ↳ ${c.name.replace(/_/g, '\\\\_')} \\([^|]*\\|\\s*\\|\\s*${pct(c.score).replace('.', '\\.')}`
        )
      )
    }

    const junit = await readFile(join(repo.root, 'out/junit.xml'), 'utf8')
    expect(xmlProblems(junit)).toEqual([])
    for (const c of task?.checks ?? [])
      expect(junit).toContain(`<property name="check.${c.name}" value="${c.score}"`)
  })
})
