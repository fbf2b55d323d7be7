/**
 * A hostile provider seen from the CLI (issue 18): 10 MB replies in a base-vs-head run, error
 * texts that try to inject workflow commands into the CI step, and a base URL with credentials.
 */
import { execFileSync } from 'node:child_process'
import { readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
const OUTPUT_KEEP_CHARS = 20_000
import { parseReport } from '../../src/report/json.js'
import { FakeHttpError, startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai-server.js'
import { makeRepo, runCli, simulatedReply, TEST_KEY, type TestRepo } from './fixture.js'

const servers: FakeOpenAI[] = []
const repos: TestRepo[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()))
  await Promise.all(repos.splice(0).map((r) => r.remove()))
})

function git(root: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.test', ...args], {
    cwd: root,
    stdio: 'ignore'
  })
}

/** Lines a GitHub runner would run as workflow commands: `::` at a line's start, `##[` anywhere. */
function workflowCommands(text: string): string[] {
  return text.split(/\r\n|\r|\n/).filter((line) => /^\s*::/.test(line) || line.includes('##['))
}

describe('a provider whose replies are 10 MB each', () => {
  it('finishes a base-vs-head run; reports keep each output up to the cap with its length', async () => {
    const huge = 10 * 1024 * 1024
    const server = await startFakeOpenAI({
      apiKey: TEST_KEY,
      // The simulated answer first, then 10 MB of filler: the reply is scored whole.
      respond: async (body) => {
        const answer = await simulatedReply(body)
        return answer + '\n' + 'z'.repeat(huge - answer.length - 1)
      }
    })
    servers.push(server)
    const repo = await makeRepo(server.url, {
      rows: 4,
      provider: { max_response_bytes: 16 * 1024 * 1024 },
      config: { cache: { enabled: false } }
    })
    repos.push(repo)
    git(repo.root, 'init', '-q', '--initial-branch=main')
    git(repo.root, 'add', '-A')
    git(repo.root, 'commit', '-q', '-m', 'base')
    await writeFile(join(repo.root, 'prompts/triage.md'), `${repo.userPrompt}\n\nBe brief.\n`)

    const result = await runCli(
      ['compare', '--base', 'main', '--json', 'report.json', '--markdown', 'report.md'],
      { cwd: repo.root }
    )
    expect([0, 1], result.stderr).toContain(result.code)
    expect(server.stats.ok).toBe(8)
    const text = await readFile(join(repo.root, 'report.json'), 'utf8')
    const report = parseReport(text, 'report.json')
    const examples = report.tasks[0]?.examples ?? []
    expect(examples).toHaveLength(4)
    for (const example of examples) {
      expect(example.error).toBeUndefined()
      expect(example.output?.length).toBe(OUTPUT_KEEP_CHARS)
      expect(example.outputLength).toBe(huge)
    }
    expect(report.comparison?.tasks).toHaveLength(1)
    // 8 replies of 10 MB: the report holds at most the cap of each (plus the rest of the report).
    expect(text.length).toBeLessThan(8 * OUTPUT_KEEP_CHARS + 200_000)
    expect((await stat(join(repo.root, 'report.md'))).size).toBeGreaterThan(0)
  })
})

describe('a provider whose error text carries workflow commands', () => {
  it('cannot inject them into the step that runs the CLI', async () => {
    const server = await startFakeOpenAI({
      apiKey: TEST_KEY,
      respond: () => {
        throw new FakeHttpError(
          403,
          'denied\n::add-mask::hunter2\r::error title=pwned::owned\n  ::set-output name=ok::true ##[warning]old'
        )
      }
    })
    servers.push(server)
    const repo = await makeRepo(server.url, { rows: 2 })
    repos.push(repo)
    const result = await runCli(['eval'], { cwd: repo.root })
    expect(result.code).toBe(3)
    // A fatal 403 ends the run with a report: the provider's text is in its stop line.
    expect(result.stdout).toMatch(/stopped: provider error — .*answered 403: denied/)
    expect(result.stdout).toContain('pwned')
    expect(workflowCommands(result.stderr)).toEqual([])
    expect(workflowCommands(result.stdout)).toEqual([])
  })
})

describe('a base URL with a user and password', () => {
  it('stops with exit 2 before any call, and the password is printed nowhere', async () => {
    const server = await startFakeOpenAI({ apiKey: TEST_KEY, respond: simulatedReply })
    servers.push(server)
    const repo = await makeRepo(server.url.replace('http://', 'http://admin:hunter2@'), {
      rows: 2
    })
    repos.push(repo)
    const result = await runCli(['eval', '--json', 'report.json'], { cwd: repo.root })
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/provider\.base_url.*carries a user name or password/)
    expect(result.stderr + result.stdout).not.toMatch(/hunter2|admin/)
    expect(server.stats.requests).toBe(0)
  })
})
