/**
 * Bad input through the whole CLI: each mistake ends with exit 2, one clear line on stderr that
 * names what is wrong and where, no stack trace, and no request to the provider.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { FakeOpenAI } from '../helpers/fake-openai-server.js'
import { KEY_ENV, TEST_KEY, makeRepo, runCli, startSimulatedServer } from './fixture.js'
import type { CliResult, TestRepo } from './fixture.js'

let server: FakeOpenAI
let repo: TestRepo
let config: string
let data: string

beforeAll(async () => {
  server = await startSimulatedServer()
})
afterAll(async () => {
  await server.close()
})
beforeEach(async () => {
  repo = await makeRepo(server.url, { rows: 12 })
  config = await readFile(repo.configPath, 'utf8')
  data = await readFile(join(repo.root, 'evals/triage.jsonl'), 'utf8')
})
afterEach(async () => {
  // Bad input is caught before any work: nothing reached the provider.
  expect(server.stats.requests).toBe(0)
  await repo.remove()
})

const write = (path: string, text: string): Promise<void> => writeFile(join(repo.root, path), text)
const editConfig = (from: string, to: string): Promise<void> => {
  expect(config).toContain(from)
  return writeFile(repo.configPath, config.replace(from, to))
}

async function evalFails(extra: string[] = [], env?: Record<string, string>): Promise<CliResult> {
  const result = await runCli(['eval', ...extra], { cwd: repo.root, env })
  expectCleanError(result)
  return result
}

/** Exit 2, nothing on stdout, one `error:` line and no stack trace. */
function expectCleanError(result: CliResult): void {
  expect(result.code, result.stderr).toBe(2)
  expect(result.stdout).toBe('')
  expect(result.stderr).toMatch(/^error: \S/m)
  expect(result.stderr).not.toMatch(/^\s+at .+[:(]\d+:\d+\)?$/m)
  expect(result.stderr).not.toMatch(/\b(TypeError|ReferenceError|ZodError)\b/)
  expect(result.stderr).not.toContain(TEST_KEY)
}

describe('bad input in the repository', () => {
  it('malformed YAML names the file, line and column', async () => {
    await editConfig('tasks:', 'tasks: [\n  broken: {')
    const { stderr } = await evalFails()
    expect(stderr).toMatch(/prompt-descent\.yml: line \d+, column \d+: invalid YAML/)
  })

  it('an unknown key names its key path and suggests the right one', async () => {
    await editConfig('    expected: label', '    expected: label\n    expectd: label')
    const { stderr } = await evalFails()
    expect(stderr).toMatch(/prompt-descent\.yml: line \d+, tasks\[0\]\.expectd: unknown key/)
    expect(stderr).toContain('did you mean expected?')
  })

  it('a missing prompt file names the key and the file', async () => {
    await editConfig('prompts/triage.md', 'prompts/nope.md')
    const { stderr } = await evalFails()
    expect(stderr).toMatch(/tasks\[0\]\.prompt: cannot read prompts\/nope\.md: no such file/)
  })

  it('a missing data file names the key and the file', async () => {
    await editConfig('evals/triage.jsonl', 'evals/nope.jsonl')
    const { stderr } = await evalFails()
    expect(stderr).toMatch(/tasks\[0\]\.data: cannot read evals\/nope\.jsonl: no such file/)
  })

  it('a path outside the repository is refused', async () => {
    await editConfig('evals/triage.jsonl', '../outside.jsonl')
    const { stderr } = await evalFails()
    expect(stderr).toMatch(/tasks\[0\]\.data: "\.\.\/outside\.jsonl" is outside the repository/)
  })

  it('an empty dataset names the file', async () => {
    await write('evals/triage.jsonl', '')
    const { stderr } = await evalFails()
    expect(stderr).toMatch(/evals\/triage\.jsonl: the dataset has no rows/)
  })

  it("a template slot with no field lists the row's fields", async () => {
    await write('prompts/triage.md', 'Classify {{ticket}} as billing, bug, account or other.\n')
    const { stderr } = await evalFails()
    expect(stderr).toMatch(/prompts\/triage\.md: slot \{\{ticket\}\} has no field/)
    expect(stderr).toContain("the row's fields are: id, text, label")
  })

  it('a CSV row with the wrong number of columns names its line', async () => {
    await write(
      'evals/tickets.csv',
      'id,text,label\nt1,"I was charged twice, please help",billing\nt2,the app crashes,bug,extra\n'
    )
    await editConfig('evals/triage.jsonl', 'evals/tickets.csv')
    const { stderr } = await evalFails()
    expect(stderr).toMatch(/evals\/tickets\.csv: line 3: expected 3 columns, got 4/)
  })

  it('a label not among the choices names the row and the choices', async () => {
    await write('evals/triage.jsonl', `${data}{"id":"x1","text":"refund me","label":"refund"}\n`)
    const { stderr } = await evalFails()
    const line = data.trim().split('\n').length + 1
    expect(stderr).toContain(
      `evals/triage.jsonl: line ${line}: label "refund" is not among the choices of task triage (billing, bug, account, other)`
    )
  })

  it('a missing API key names the environment variable', async () => {
    const { stderr } = await evalFails([], { [KEY_ENV]: '' })
    expect(stderr).toContain(`set the environment variable ${KEY_ENV}`)
    expect(stderr).toContain('provider.api_key_env')
  })

  it('a missing config file is named', async () => {
    const { stderr } = await evalFails(['--config', 'elsewhere.yml'])
    expect(stderr).toMatch(/elsewhere\.yml: cannot read the config file: no such file/)
  })

  it('an unknown task lists the tasks the config defines', async () => {
    const { stderr } = await evalFails(['--task', 'nope'])
    expect(stderr).toContain('unknown task "nope"; the config defines: triage')
  })
})

describe('bad command lines', () => {
  it('an unknown command lists the commands', async () => {
    const result = await runCli(['evaluate'], { cwd: repo.root })
    expectCleanError(result)
    expect(result.stderr).toMatch(/unknown command "evaluate"; expected one of eval, .*compare/)
  })

  it('an unknown flag is named', async () => {
    const { stderr } = await evalFails(['--frobnicate'])
    expect(stderr).toMatch(/Unknown option '--frobnicate'.*see prompt-descent --help/)
  })

  it('a flag the command would ignore is refused, not silently dropped', async () => {
    const { stderr } = await evalFails(['--write', '--seed', '3'])
    expect(stderr).toContain('eval does not take --write, --seed (see prompt-descent --help)')
  })

  it('compare --estimate makes no call and says what the base adds', async () => {
    const result = await runCli(['compare', '--base', 'HEAD', '--estimate'], { cwd: repo.root })
    expect(result.code).toBe(0)
    expect(result.stdout).toMatch(/calls, [\d.]+k? ?input/)
    expect(result.stdout).toContain('base (HEAD): at most as much again')
  })

  it('a dollar cap with an unpriced model is refused before any call', async () => {
    await editConfig('seed:', 'budget:\n  usd: 1\nseed:')
    const { stderr } = await evalFails()
    expect(stderr).toContain(
      'budget.usd caps dollars, but the price of the target model "sim-target" is unknown'
    )
  })

  it('a bad --split value lists the allowed ones', async () => {
    const { stderr } = await evalFails(['--split', 'val'])
    expect(stderr).toContain('--split expects one of dev, test, all, got "val"')
  })

  it('a budget flag must be a positive number', async () => {
    const { stderr } = await evalFails(['--max-calls', 'lots'])
    expect(stderr).toContain('--max-calls expects a positive number, got "lots"')
    const zero = await evalFails(['--max-usd=0'])
    expect(zero.stderr).toContain('--max-usd expects a positive number, got "0"')
  })

  it('--help and --version succeed on stdout', async () => {
    const help = await runCli(['--help'], { cwd: repo.root })
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/^Usage:/m)
    expect(help.stdout).toContain('Exit codes')
    const version = await runCli(['--version'], { cwd: repo.root })
    expect(version.code).toBe(0)
    expect(version.stdout).toMatch(/^\d+\.\d+\.\d+/)
  })
})
