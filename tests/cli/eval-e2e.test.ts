/**
 * `prompt-descent eval` end to end: the CLI in process, the real openai SDK, a fake
 * OpenAI-compatible server on loopback serving the simulated target. The scores the reports give
 * are checked against the server's own record of what it answered.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseReport } from '../../src/report/json.js'
import type { RunReport } from '../../src/report/types.js'
import type { FakeOpenAI } from '../helpers/fake-openai-server.js'
import { brokenTableRows, splitCode } from '../report/markdown-check.js'
import { attributeValues, xmlProblems } from '../report/xml-check.js'
import { TEST_KEY, makeRepo, runCli, startSimulatedServer } from './fixture.js'
import type { CliResult, TestRepo } from './fixture.js'

const ROWS = 40

let server: FakeOpenAI
let repo: TestRepo
let result: CliResult
let report: RunReport

beforeAll(async () => {
  server = await startSimulatedServer()
  repo = await makeRepo(server.url, { rows: ROWS })
  // Relative paths on purpose: they resolve against io.cwd, not the test process's directory.
  result = await runCli(
    [
      'eval',
      '--config',
      'prompt-descent.yml',
      '--json',
      'out/report.json',
      '--markdown',
      'out/report.md',
      '--junit',
      'out/junit.xml'
    ],
    { cwd: repo.root }
  )
  report = parseReport(await readFile(join(repo.root, 'out/report.json'), 'utf8'), 'report.json')
})

afterAll(async () => {
  await server.close()
  await repo.remove()
})

/** The label inside the reply's <answer> tags, read independently of the product's extractor. */
function tagged(reply: string): string | null {
  return /<answer>\s*([^<]*?)\s*<\/answer>/.exec(reply)?.[1]?.toLowerCase() ?? null
}

describe('eval end to end over HTTP', () => {
  it('exits 0 and sends one request per row, with the system prompt and the filled template', () => {
    expect(result.code).toBe(0)
    expect(server.stats.requests).toBe(ROWS)
    expect(server.stats.ok).toBe(ROWS)
    const rendered = new Set(repo.rows.map((row) => repo.userPrompt.replace('{{text}}', row.text)))
    for (const entry of server.record) {
      expect(entry.model).toBe('sim-target')
      expect(entry.messages).toHaveLength(2)
      expect(entry.messages[0]).toEqual({ role: 'system', content: repo.systemPrompt })
      expect(entry.messages[1]?.role).toBe('user')
      expect(rendered.has(entry.messages[1]?.content.trim() ?? '')).toBe(true)
    }
  })

  it("reports every example's score as the server's answers and the labels say", () => {
    // Recompute from the server's side: which reply went to which row, and was it right?
    const byUser = new Map(server.record.map((r) => [r.messages[1]?.content.trim(), r.reply]))
    const task = report.tasks[0]
    expect(report.tasks).toHaveLength(1)
    expect(task?.task).toBe('triage')
    expect(task?.n).toBe(ROWS)
    expect(task?.failed).toBe(0)
    const examples = new Map(task?.examples.map((e) => [e.id, e]))
    expect(examples.size).toBe(ROWS)
    let correct = 0
    for (const row of repo.rows) {
      const reply = byUser.get(repo.userPrompt.replace('{{text}}', row.text).trim())
      expect(reply, `server reply for ${row.id}`).toBeTypeOf('string')
      const right = tagged(reply ?? '') === row.label.toLowerCase()
      if (right) correct++
      const example = examples.get(row.id)
      expect(example?.output).toBe(reply)
      expect(example?.expected).toBe(row.label)
      expect(example?.score, `score of ${row.id}`).toBe(right ? 1 : 0)
    }
    expect(task?.score).toBeCloseTo(correct / ROWS, 12)
    // The simulation gets some right and some wrong with the demo's starting prompt.
    expect(correct).toBeGreaterThan(0)
    expect(correct).toBeLessThan(ROWS)
    expect(report.stop.reason).toBe('completed')
  })

  it('accounts calls and tokens as the server saw them', () => {
    expect(report.ledger.total.calls).toBe(server.stats.ok)
    expect(report.ledger.total.cachedCalls).toBe(0)
    expect(report.ledger.byRole.target.calls).toBe(ROWS)
    // The fake server counts ⌈characters / 4⌉ per message and per reply.
    const input = server.record.reduce(
      (sum, r) => sum + r.messages.reduce((s, m) => s + Math.ceil(m.content.length / 4), 0),
      0
    )
    const output = server.record.reduce((sum, r) => sum + Math.ceil((r.reply ?? '').length / 4), 0)
    expect(report.ledger.total.inputTokens).toBe(input)
    expect(report.ledger.total.outputTokens).toBe(output)
    expect(report.provider).toEqual({ type: 'openai', baseUrl: server.url })
    expect(report.models.target).toBe('sim-target')
  })

  it('prints the table on stdout and keeps logs on stderr', () => {
    const lines = result.stdout.split('\n')
    const header = lines.find((l) => /^task\s+examples\s+score/.test(l))
    expect(header).toBeDefined()
    expect(header).toMatch(/unreadable.*calls.*tokens/)
    const score = `${((report.tasks[0]?.score ?? 0) * 100).toFixed(1)}%`
    const row = lines.find((l) => l.startsWith('triage '))
    expect(row).toMatch(new RegExp(`^triage\\s+${ROWS}\\s+${score.replace('.', '\\.')}`))
    expect(result.stdout).toMatch(new RegExp(`${ROWS} calls \\(0 cached\\)`))
    expect(result.stdout).not.toMatch(/wrote/)
    expect(result.stderr).toMatch(/wrote out\/report\.json/)
    expect(result.stdout + result.stderr).not.toContain(TEST_KEY)
  })

  it('writes a well-formed Markdown report', async () => {
    const markdown = await readFile(join(repo.root, 'out/report.md'), 'utf8')
    const split = splitCode(markdown)
    expect(split.unclosedFences).toBe(0)
    expect(brokenTableRows(split.prose)).toEqual([])
    expect(markdown).toContain('triage')
    expect(markdown).toContain(`${((report.tasks[0]?.score ?? 0) * 100).toFixed(1)}%`)
    expect(markdown).not.toContain(TEST_KEY)
  })

  it('writes well-formed JUnit XML with one case per task', async () => {
    const xml = await readFile(join(repo.root, 'out/junit.xml'), 'utf8')
    expect(xmlProblems(xml)).toEqual([])
    expect(attributeValues(xml, 'testcase', 'name')).toContain('triage')
    expect(xml).not.toContain(TEST_KEY)
  })

  it('writes a JSON report that holds no secret', async () => {
    const text = await readFile(join(repo.root, 'out/report.json'), 'utf8')
    expect(text).not.toContain(TEST_KEY)
    expect(report.kind).toBe('eval')
    expect(report.config.path).toBe('prompt-descent.yml')
  })
})
