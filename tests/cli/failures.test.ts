/**
 * Failures that explain themselves, through the whole CLI over HTTP: the distinct provider causes
 * with counts, reports written after a fatal provider error, loud warnings for unreadable answers
 * and unparseable judges, and report paths checked before the first call.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseReport } from '../../src/report/json.js'
import { FakeHttpError, startFakeOpenAI } from '../helpers/fake-openai-server.js'
import type { FakeChatBody, FakeOpenAI, FakeRequestContext } from '../helpers/fake-openai-server.js'
import { attributeValues, xmlProblems } from '../report/xml-check.js'
import { TEST_KEY, makeRepo, runCli, simulatedReply, startSimulatedServer } from './fixture.js'
import type { TestRepo } from './fixture.js'

let server: FakeOpenAI | undefined
let repo: TestRepo | undefined

afterEach(async () => {
  await server?.close()
  await repo?.remove()
  server = undefined
  repo = undefined
})

/** A server answering as the simulated models, except where `fault` throws. */
async function serve(
  fault: (body: FakeChatBody, context: FakeRequestContext) => void
): Promise<FakeOpenAI> {
  return startFakeOpenAI({
    apiKey: TEST_KEY,
    respond: (body, context) => {
      fault(body, context)
      return simulatedReply(body)
    }
  })
}

const REPORT_FLAGS = ['--json', 'out/r.json', '--markdown', 'out/r.md', '--junit', 'out/j.xml']

describe('provider failures', () => {
  it('prints each distinct cause with its count and one example', async () => {
    // Rows whose text has an even length get a 400, a few others a 422: two causes.
    server = await serve((body) => {
      const user = body.messages.at(-1)?.content ?? ''
      if (user.length % 2 === 0) throw new FakeHttpError(400, 'context length exceeded')
      if (user.length % 7 === 0) throw new FakeHttpError(422, 'unprocessable row')
    })
    repo = await makeRepo(server.url, { rows: 24 })
    const result = await runCli(['eval', ...REPORT_FLAGS], { cwd: repo.root })
    expect(result.code).toBe(3)
    const report = parseReport(await readFile(join(repo.root, 'out/r.json'), 'utf8'))
    const task = report.tasks[0]
    const failed = task?.examples.filter((e) => e.error !== undefined) ?? []
    expect(failed.length).toBeGreaterThan(0)
    const causes = task?.failures ?? []
    expect(causes.map((c) => c.count).reduce((a, b) => a + b, 0)).toBe(failed.length)
    expect(new Set(causes.map((c) => c.message)).size).toBe(causes.length)
    for (const cause of causes) {
      const first = failed.find((e) => e.error?.startsWith(cause.message))
      expect(cause.exampleId).toBe(first?.id)
      // The terminal names the cause, its count and the example, not only "see the report".
      expect(result.stdout).toContain(`triage: ${cause.count} × ${cause.message}`)
      expect(result.stdout).toContain(`(e.g. example ${cause.exampleId})`)
    }
    expect(causes.some((c) => /400: context length exceeded/.test(c.message))).toBe(true)
    expect(report.stop.reason).toBe('provider-error')
    expect(report.stop.message).toMatch(/failed at the provider: \d+ × /)
    expect(await readFile(join(repo.root, 'out/r.md'), 'utf8')).toContain(
      '**Failed at the provider:**'
    )
  })

  it('after a fatal 404 writes every report asked for, with the stop reason and what was scored', async () => {
    server = await serve((_body, context) => {
      if (context.index >= 10) throw new FakeHttpError(404, 'The model does not exist')
    })
    repo = await makeRepo(server.url, { rows: 40, provider: { concurrency: 1 } })
    const result = await runCli(['eval', ...REPORT_FLAGS], { cwd: repo.root })
    expect(result.code).toBe(3)
    expect(result.stderr).toMatch(/wrote out\/r\.json/)
    const report = parseReport(await readFile(join(repo.root, 'out/r.json'), 'utf8'))
    expect(report.stop.reason).toBe('provider-error')
    expect(report.stop.message).toMatch(/404: The model does not exist — check the model name/)
    expect(report.stop.message).toMatch(/not scored, later tasks were not run/)
    const scored = report.tasks[0]?.examples ?? []
    expect(scored.length).toBe(10)
    expect(scored.every((e) => e.output !== null)).toBe(true)
    expect(server.stats.requests).toBeLessThan(40)
    const markdown = await readFile(join(repo.root, 'out/r.md'), 'utf8')
    expect(markdown).toMatch(/Stopped early \(provider error\)/)
    const junit = await readFile(join(repo.root, 'out/j.xml'), 'utf8')
    expect(xmlProblems(junit)).toEqual([])
    expect(attributeValues(junit, 'testsuites', 'tests').length).toBe(1)
    expect(result.stdout + result.stderr).not.toContain(TEST_KEY)
  })

  it('a 401 on the first call still writes the reports, with nothing scored', async () => {
    server = await serve(() => {
      throw new FakeHttpError(401, 'Incorrect API key provided')
    })
    repo = await makeRepo(server.url, { rows: 8 })
    const result = await runCli(['eval', '--json', 'r.json'], { cwd: repo.root })
    expect(result.code).toBe(3)
    const report = parseReport(await readFile(join(repo.root, 'r.json'), 'utf8'))
    expect(report.stop.reason).toBe('provider-error')
    expect(report.stop.message).toMatch(/401.*check the API key/)
    expect(report.tasks[0]?.examples).toEqual([])
  })
})

describe('answers nobody could read', () => {
  it('warns loudly when every answer is unreadable, naming the answer tag', async () => {
    server = await startFakeOpenAI({
      apiKey: TEST_KEY,
      respond: () => 'I cannot tell from this ticket.'
    })
    repo = await makeRepo(server.url, { rows: 12 })
    const result = await runCli(['eval', '--json', 'r.json', '--markdown', 'r.md'], {
      cwd: repo.root
    })
    const report = parseReport(await readFile(join(repo.root, 'r.json'), 'utf8'))
    expect(report.tasks[0]?.unreadable).toBe(12)
    expect(report.warnings).toHaveLength(1)
    expect(report.warnings?.[0]).toMatch(/triage: every answer was unreadable \(12 replies\)/)
    expect(report.warnings?.[0]).toMatch(/<answer>…<\/answer>.*tasks\[\]\.extract/)
    expect(result.stdout).toMatch(/^warning: triage: every answer was unreadable/m)
    expect(await readFile(join(repo.root, 'r.md'), 'utf8')).toMatch(
      /> \[!WARNING\]\n> - triage: every answer was unreadable/
    )
  })

  it("counts a judge's unparseable replies as the judge's, apart from the target's unreadable answers", async () => {
    server = await startFakeOpenAI({
      apiKey: TEST_KEY,
      respond: (body) =>
        body.model === 'sim-judge' ? 'A fine answer, I would say.' : simulatedReply(body)
    })
    repo = await makeRepo(server.url, {
      rows: 10,
      config: {
        tasks: [
          {
            name: 'triage',
            prompt: 'prompts/triage.md',
            data: 'evals/triage.jsonl',
            expected: 'label',
            metric: { type: 'judge', rubric: 'Is the label right?' }
          }
        ]
      }
    })
    const result = await runCli(['eval', '--json', 'r.json'], { cwd: repo.root })
    const report = parseReport(await readFile(join(repo.root, 'r.json'), 'utf8'))
    const task = report.tasks[0]
    expect(task?.judgeUnreadable).toBe(10)
    expect(task?.unreadable).toBe(0)
    expect(task?.examples.every((e) => e.judgeUnreadable === true && !e.unreadable)).toBe(true)
    expect(report.warnings?.[0]).toMatch(
      /triage: no judge reply carried a readable grade \(<score>1\.\.5<\/score>\).*"sim-judge"/
    )
    expect(result.stdout).toMatch(/^warning: triage: no judge reply/m)
  })
})

describe('report paths are checked before the first call', () => {
  it('--json pointing at a folder fails with exit 2 and no request', async () => {
    server = await startSimulatedServer()
    repo = await makeRepo(server.url, { rows: 6 })
    await mkdir(join(repo.root, 'reports'))
    const result = await runCli(['eval', '--json', 'reports'], { cwd: repo.root })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(
      /^error: --json reports: is a folder; give a file path, e\.g\. reports\/report\.json$/m
    )
    expect(server.stats.requests).toBe(0)
  })

  it('a parent that is a file fails before any call; a missing parent folder is created', async () => {
    server = await startSimulatedServer()
    repo = await makeRepo(server.url, { rows: 6 })
    await writeFile(join(repo.root, 'notes'), 'x')
    const bad = await runCli(['eval', '--junit', 'notes/j.xml'], { cwd: repo.root })
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/--junit notes\/j\.xml: .*notes is a file/)
    const twice = await runCli(['eval', '--json', 'a.out', '--markdown', './a.out'], {
      cwd: repo.root
    })
    expect(twice.code).toBe(2)
    expect(twice.stderr).toMatch(/--markdown \.\/a\.out: --json writes the same file/)
    expect(server.stats.requests).toBe(0)
    const good = await runCli(['eval', '--json', 'new/deeper/r.json'], { cwd: repo.root })
    expect(good.code).toBe(0)
    expect((await stat(join(repo.root, 'new/deeper/r.json'))).isFile()).toBe(true)
  })
})
