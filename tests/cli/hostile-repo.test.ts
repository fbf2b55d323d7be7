/**
 * A repository that attacks the CLI (issue #18), built here: a config that reads git's own folder,
 * committed symbolic links that lead the cache and the optimized prompts outside the repository,
 * and a report path that cannot be written.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { parseReport } from '../../src/report/json.js'
import { writeDemoRepository } from '../../src/simulate/demo-repo.js'
import type { FakeOpenAI } from '../helpers/fake-openai-server.js'
import { startFakeOpenAI } from '../helpers/fake-openai-server.js'
import { TEST_KEY, makeRepo, runCli, simulatedReply, startSimulatedServer } from './fixture.js'
import type { TestRepo } from './fixture.js'

const CREDENTIAL = 'eC1hY2Nlc3MtdG9rZW46Z2hzX2NoZWNrb3V0'

let server: FakeOpenAI
let repo: TestRepo
let outside: string

beforeAll(async () => {
  server = await startSimulatedServer()
})
afterAll(() => server.close())
beforeEach(async () => {
  repo = await makeRepo(server.url, { rows: 12 })
  outside = await mkdtemp(join(tmpdir(), 'pd-outside-'))
})
afterEach(async () => {
  await repo.remove()
  await rm(outside, { recursive: true, force: true })
})

describe('a hostile repository', () => {
  it('refuses system_prompt: .git/config (exit 2, the key and why); the credential is printed nowhere', async () => {
    await mkdir(join(repo.root, '.git'))
    await writeFile(
      join(repo.root, '.git/config'),
      `[http]\n\textraheader = AUTHORIZATION: basic ${CREDENTIAL}\n`
    )
    const config = await readFile(repo.configPath, 'utf8')
    expect(config).toContain('system_prompt: prompts/system.md')
    await writeFile(
      repo.configPath,
      config.replace('system_prompt: prompts/system.md', 'system_prompt: .git/config')
    )
    const before = server.stats.requests
    const result = await runCli(['eval', '--json', 'r.json'], { cwd: repo.root })
    expect(result.code, result.stderr).toBe(2)
    expect(result.stderr).toMatch(
      /prompt-descent\.yml: line \d+, system_prompt: "\.git\/config" is inside \.git\/, which holds git's metadata and the checkout's credentials/
    )
    expect(result.stdout + result.stderr).not.toContain(CREDENTIAL)
    expect(server.stats.requests).toBe(before)
  })

  it('a cache folder linked outside receives nothing: the run scores on and warns', async () => {
    await symlink(outside, join(repo.root, '.prompt-descent'))
    const result = await runCli(['eval', '--json', 'r.json'], { cwd: repo.root })
    expect(result.code, result.stderr).toBe(0)
    // Once, not once per call.
    expect(result.stderr.split('could not write the response cache')).toHaveLength(2)
    expect(result.stderr).toContain('a symbolic link leads outside the repository')
    expect(await readdir(outside)).toEqual([])
    const report = parseReport(await readFile(join(repo.root, 'r.json'), 'utf8'), 'r.json')
    expect(report.tasks[0]?.examples).toHaveLength(12)
  })

  it('a report that cannot be written is a warning naming it; the others and the exit code stand', async () => {
    // The paths pass the check before the first call; then, mid-run, `blocked` becomes a file, so
    // the JSON report cannot be written when the run ends. (A parent that is a file already is
    // refused before the first call: tests/cli/failures.test.ts.)
    const blocking = await startFakeOpenAI({
      apiKey: TEST_KEY,
      respond: async (body) => {
        await writeFile(join(repo.root, 'blocked'), 'a file, not a folder')
        return simulatedReply(body)
      }
    })
    const config = await readFile(repo.configPath, 'utf8')
    await writeFile(repo.configPath, config.split(server.url).join(blocking.url))
    const result = await runCli(['eval', '--json', 'blocked/r.json', '--markdown', 'r.md'], {
      cwd: repo.root
    }).finally(() => blocking.close())
    expect(result.code, result.stderr).toBe(0)
    expect(result.stderr).toMatch(/warning: could not write the report blocked\/r\.json: /)
    expect(await readFile(join(repo.root, 'r.md'), 'utf8')).toContain('prompt-descent')
    expect(result.stdout).toContain('triage')
    expect(result.stdout + result.stderr).not.toContain(TEST_KEY)
  })
})

describe('optimized prompts in a hostile repository', () => {
  it('refuses .prompt-descent/optimized linked outside (exit 2), after writing the report', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pd-hostile-opt-'))
    try {
      await writeDemoRepository(dir, { seed: 7, rows: 60 })
      await mkdir(join(dir, '.prompt-descent'), { recursive: true })
      await symlink(outside, join(dir, '.prompt-descent/optimized'))
      const result = await runCli(['optimize', '--method', 'apo', '--json', 'r.json'], {
        cwd: dir,
        env: {}
      })
      expect(result.code, result.stderr).toBe(2)
      expect(result.stderr).toMatch(
        /error: .*\.prompt-descent\/optimized\/prompts\/triage\.md: refusing to write: a symbolic link leads outside the repository/
      )
      expect(await readdir(outside)).toEqual([])
      const report = parseReport(await readFile(join(dir, 'r.json'), 'utf8'), 'r.json')
      expect(report.optimization?.prompts.some((p) => p.after !== p.before)).toBe(true)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
