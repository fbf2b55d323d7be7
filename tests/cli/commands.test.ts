/**
 * The commands that guide a new user: per-command help, flags that need another flag, `init`
 * (whose config must run as written, here against the fake server serving the simulated target),
 * and `history append`, which writes the record the action writes.
 */
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { selfCommand } from '../../src/cli/init-command.js'
import { historyRecordOf } from '../../src/report/history-record.js'
import type { HistoryRecord } from '../../src/report/history-record.js'
import type { RunReport } from '../../src/report/types.js'
import { writeDemoRepository } from '../../src/simulate/demo-repo.js'
import { loadProject } from '../../src/config/load-project.js'
import { PROMPT_FILE_PATH, promptFileTask, promptFileText } from '../helpers/github-prompt-repo.js'
import type { FakeOpenAI } from '../helpers/fake-openai-server.js'
import { SIM_SEED, TEST_KEY, makeRepo, runCli, startSimulatedServer } from './fixture.js'

let server: FakeOpenAI
const dirs: string[] = []

beforeAll(async () => {
  server = await startSimulatedServer()
})
afterAll(async () => {
  await server.close()
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })))
})

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pd-cmd-'))
  dirs.push(dir)
  return dir
}

describe('help', () => {
  it('prints each command its own flags; the overview lists every command and --quiet', async () => {
    const overview = await runCli(['--help'], { cwd: tmpdir() })
    expect(overview.code).toBe(0)
    for (const command of ['init', 'eval', 'compare', 'optimize', 'demo', 'history append']) {
      expect(overview.stdout).toContain(`prompt-descent ${command}`)
    }
    expect(overview.stdout).toContain('-q/--quiet')

    const evalHelp = await runCli(['eval', '--help'], { cwd: tmpdir() })
    const compareHelp = await runCli(['help', 'compare'], { cwd: tmpdir() })
    const historyHelp = await runCli(['history', '-h'], { cwd: tmpdir() })
    const initHelp = await runCli(['init', '--help', '--bogus'], { cwd: tmpdir() })
    for (const r of [evalHelp, compareHelp, historyHelp, initHelp]) expect(r.code).toBe(0)
    expect(evalHelp.stdout).toMatch(/^prompt-descent eval /)
    expect(evalHelp.stdout).toContain('--junit-per-example')
    expect(evalHelp.stdout).toContain('-q, --quiet')
    expect(evalHelp.stdout).not.toContain('--holdout')
    expect(compareHelp.stdout).toContain('--base REF')
    expect(historyHelp.stdout).toContain('history append --file FILE')
    expect(initHelp.stdout).toContain('Never overwrites an existing config')
    expect(new Set([evalHelp, compareHelp, historyHelp, initHelp].map((r) => r.stdout)).size).toBe(
      4
    )

    const unknown = await runCli(['help', 'deploy'], { cwd: tmpdir() })
    expect(unknown.code).toBe(2)
    expect(unknown.stderr).toContain('no help for "deploy"')
  })
})

describe('flags that need another', () => {
  it('refuses --junit-per-example without --junit, and stray arguments, with exit 2', async () => {
    const cases: Array<[string[], string]> = [
      [['eval', '--junit-per-example'], '--junit-per-example needs --junit FILE'],
      [['compare', '--base', 'main', '--junit-per-example'], '--junit-per-example needs --junit'],
      [['optimize', '--write-user-prompts'], '--write-user-prompts needs --write'],
      [['eval', 'triage'], 'eval takes no argument "triage"'],
      [['history', 'append'], 'history append needs --file FILE'],
      [['history', 'prune', '--file', 'h.json'], 'unknown subcommand "prune"'],
      [['history', '--json', 'r.json'], 'history does not take --json'],
      [
        ['history', 'append', '--file', 'h.json', '--svg', 'x'],
        'history append does not take --svg'
      ]
    ]
    for (const [argv, message] of cases) {
      const r = await runCli(argv, { cwd: tmpdir() })
      expect(r.code, argv.join(' ')).toBe(2)
      expect(r.stderr, argv.join(' ')).toContain(message)
      expect(r.stderr).not.toContain('    at ')
    }
  })
})

describe('init', () => {
  it('prints the next command as the CLI was launched: npx from a package, node from a clone', () => {
    expect(selfCommand('/p/node_modules/prompt-descent/dist/cli/index.js', '/p')).toBe(
      'npx prompt-descent'
    )
    expect(
      selfCommand('/src/prompt-descent/dist/cli/index.js', '/src/prompt-descent/examples')
    ).toBe('node ../dist/cli/index.js')
  })

  const env = (): Record<string, string> => ({
    OPENAI_BASE_URL: server.url,
    OPENAI_API_KEY: TEST_KEY
  })

  it('pairs the prompts and datasets it finds into a config that runs as written', async () => {
    const dir = await tempDir()
    await writeDemoRepository(dir, { seed: SIM_SEED, rows: 12 })
    await rm(join(dir, 'prompt-descent.yml'))
    // The demo's JSON task pairs too; this test follows the triage task alone.
    await rm(join(dir, 'prompts/invoices.md'))
    await rm(join(dir, 'evals/invoices.jsonl'))
    // Its chat-messages copy of the triage prompt pairs too (tested below).
    await rm(join(dir, 'prompts/triage.chat.yml'))
    await writeFile(join(dir, '.gitignore'), 'node_modules\n')
    await writeFile(join(dir, 'README.md'), 'Not a {{prompt}}.\n')
    const init = await runCli(['init'], { cwd: dir })
    expect(init.code).toBe(0)
    expect(init.stdout).toMatch(/^Next: (npx prompt-descent|node \S+) eval --estimate /)
    expect(init.stderr).toContain('added .prompt-descent/ and prompt-descent-report/ to .gitignore')
    const config = await readFile(join(dir, 'prompt-descent.yml'), 'utf8')
    expect(config).toContain('system_prompt: prompts/system.md')
    expect(config).toContain('prompt: prompts/triage.md')
    expect(config).toContain('data: evals/triage.jsonl # 12 row(s)')
    expect(config).toContain('expected: label')
    expect(config).toMatch(/metric: \{ type: choice, choices: \[[a-z, ]+\], score: accuracy \}/)
    expect(config).not.toContain('README.md')
    expect(await readFile(join(dir, '.gitignore'), 'utf8')).toBe(
      'node_modules\n# prompt-descent: response cache and reports\n.prompt-descent/\nprompt-descent-report/\n'
    )

    const run = await runCli(['eval', '--json', 'r.json'], { cwd: dir, env: env() })
    expect(run.code, run.stderr).toBe(0)
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')) as RunReport
    expect(report.tasks.map((t) => [t.task, t.n, t.failed])).toEqual([['triage', 12, 0]])
    expect(server.stats.requests).toBeGreaterThanOrEqual(12)

    // A second init never overwrites, and leaves .gitignore alone.
    const again = await runCli(['init'], { cwd: dir })
    expect(again.code).toBe(2)
    expect(again.stderr).toContain('prompt-descent.yml: a config is already there')
    expect(await readFile(join(dir, 'prompt-descent.yml'), 'utf8')).toBe(config)
  })

  it('writes a starter task that runs when the repository has no prompt and dataset', async () => {
    const dir = await tempDir()
    await mkdir(join(dir, 'src'))
    await writeFile(join(dir, 'src/data.json'), '{"not": "rows"}\n')
    const init = await runCli(['init', '--quiet'], { cwd: dir })
    expect(init.code).toBe(0)
    expect(init.stderr).toBe('')
    expect(init.stdout).toContain('prompt-descent eval --estimate')
    const config = await readFile(join(dir, 'prompt-descent.yml'), 'utf8')
    expect(config).toContain('None fit together, so this is a starter task')
    expect(config).toContain('prompt: prompts/sentiment.md')
    const run = await runCli(['eval', '--json', 'r.json'], { cwd: dir, env: env() })
    expect(run.code, run.stderr).toBe(0)
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')) as RunReport
    expect(report.tasks.map((t) => [t.task, t.n])).toEqual([['sentiment', 3]])
  })
})

describe('init on messages files and GitHub Models prompt files', () => {
  const task = promptFileTask(12)
  const rowsJsonl = (): string =>
    task.rows.map((r) => JSON.stringify({ id: r.id, text: r.text, label: r.label })).join('\n') +
    '\n'
  /** A messages file: a system message, one few-shot pair, the user template. */
  const messagesYaml = [
    'messages:',
    '  - role: system',
    '    content: You sort support tickets into queues.',
    '  - role: user',
    '    content: "My card was charged twice"',
    '  - role: assistant',
    '    content: <answer>billing</answer>',
    '  - role: user',
    `    content: ${JSON.stringify(task.initialPrompt)}`,
    ''
  ].join('\n')

  /** init, then the written config loads and `eval` runs on it as written. */
  async function initAndRun(dir: string, runEnv: Record<string, string>) {
    const init = await runCli(['init'], { cwd: dir })
    expect(init.code, init.stderr).toBe(0)
    const config = await readFile(join(dir, 'prompt-descent.yml'), 'utf8')
    const project = await loadProject(join(dir, 'prompt-descent.yml'))
    const run = await runCli(['eval', '--json', 'r.json'], { cwd: dir, env: runEnv })
    expect(run.code, run.stderr).toBe(0)
    const report = JSON.parse(await readFile(join(dir, 'r.json'), 'utf8')) as RunReport
    return { init, config, project, report }
  }

  const openaiEnv = (): Record<string, string> => ({
    OPENAI_BASE_URL: server.url,
    OPENAI_API_KEY: TEST_KEY
  })

  it('pairs a YAML messages file with the dataset that fills its slots', async () => {
    const dir = await tempDir()
    await mkdir(join(dir, 'prompts'))
    await mkdir(join(dir, 'evals'))
    await writeFile(join(dir, 'prompts/triage.yml'), messagesYaml)
    await writeFile(join(dir, 'evals/triage.jsonl'), rowsJsonl())
    const { init, config, project, report } = await initAndRun(dir, openaiEnv())
    expect(config).toContain('# Found 0 prompt templates, 1 messages file and 1 dataset.')
    expect(config).toContain('prompt: prompts/triage.yml # slots: text')
    expect(config).toContain('data: evals/triage.jsonl # 12 row(s)')
    expect(config).toContain('api_key_env: OPENAI_API_KEY')
    expect(init.stdout).toContain('export OPENAI_API_KEY=')
    const [loaded] = project.tasks
    expect(loaded?.prompt.messages.map((m) => m.role)).toEqual([
      'system',
      'user',
      'assistant',
      'user'
    ])
    expect(report.tasks.map((t) => [t.task, t.n, t.failed])).toEqual([['triage', 12, 0]])
  })

  it('reads a JSON messages file too', async () => {
    const dir = await tempDir()
    const messages = [{ role: 'user', content: task.initialPrompt }]
    await writeFile(join(dir, 'ask.json'), `${JSON.stringify({ messages }, null, 2)}\n`)
    await writeFile(join(dir, 'ask.jsonl'), rowsJsonl())
    const { config, report } = await initAndRun(dir, openaiEnv())
    expect(config).toContain('prompt: ask.json # slots: text')
    expect(config).toContain('data: ask.jsonl')
    expect(report.tasks.map((t) => [t.task, t.n])).toEqual([['ask', 12]])
  })

  it('makes each .prompt.yml a task on its testData, on GitHub Models when that is all there is', async () => {
    const models = await startSimulatedServer()
    try {
      const dir = await tempDir()
      await mkdir(join(dir, 'support'))
      await writeFile(join(dir, PROMPT_FILE_PATH), promptFileText(task.initialPrompt, task.rows))
      // A second file without evaluators: the check is planned from its testData.
      const bare = promptFileText(task.initialPrompt, task.rows.slice(0, 5)).replace(
        /\nevaluators:[\s\S]*$/,
        '\n'
      )
      await writeFile(join(dir, 'support/route.prompt.yaml'), bare)
      const { init, config, project, report } = await initAndRun(dir, {
        GITHUB_MODELS_BASE_URL: models.url,
        GITHUB_TOKEN: TEST_KEY
      })
      expect(config).toContain('# Only GitHub Models prompt files (*.prompt.yml) were found')
      expect(config).toMatch(/^ {2}type: github-models$/m)
      expect(config).toMatch(/^ {2}target: openai\/gpt-4o-mini /m)
      expect(config).toContain(`prompt: ${PROMPT_FILE_PATH} # a GitHub Models prompt file`)
      expect(config).toContain("# no data: key — the file's 12 testData row(s) are the dataset")
      expect(config).toContain("the file's 1 evaluator(s) are the checks")
      expect(config).toMatch(
        /prompt: support\/route\.prompt\.yaml[^\n]*\n.*\n {4}expected: expected /
      )
      expect(init.stdout).toContain('export GITHUB_TOKEN=$(gh auth token)')
      expect(project.config.provider.type).toBe('github-models')
      expect(project.tasks.map((t) => [t.name, t.examples.length])).toEqual([
        ['route', 5],
        ['triage', 12]
      ])
      expect(report.tasks.map((t) => [t.task, t.n, t.failed])).toEqual([
        ['route', 5, 0],
        ['triage', 12, 0]
      ])
      // route's rows are triage's first five with the same prompt: answered from the cache.
      expect(models.stats.requests).toBe(12)
    } finally {
      await models.close()
    }
  })

  it('keeps an OpenAI-compatible provider when prompt files sit beside templates', async () => {
    const dir = await tempDir()
    await writeDemoRepository(dir, { seed: SIM_SEED, rows: 6 })
    await rm(join(dir, 'prompt-descent.yml'))
    await rm(join(dir, 'prompts/invoices.md'))
    await rm(join(dir, 'evals/invoices.jsonl'))
    await rm(join(dir, 'prompts/triage.chat.yml'))
    await mkdir(join(dir, 'support'))
    await writeFile(join(dir, PROMPT_FILE_PATH), promptFileText(task.initialPrompt, task.rows))
    // An unreadable prompt file is named, not fatal.
    await writeFile(join(dir, 'support/broken.prompt.yml'), 'messages: nope\n')
    const { init, config, report } = await initAndRun(dir, openaiEnv())
    expect(config).not.toContain('github-models')
    expect(config).toContain('api_key_env: OPENAI_API_KEY')
    expect(init.stderr).toMatch(
      /init: support\/broken\.prompt\.yml: not a prompt file init can read/
    )
    expect(report.tasks.map((t) => [t.task, t.n])).toEqual([
      ['triage', 6],
      ['triage-2', 12]
    ])
  })
})

describe('history append', () => {
  it('appends the record the action writes, replaces a re-run, and history reads it', async () => {
    const repo = await makeRepo(server.url, { rows: 10 })
    dirs.push(repo.root)
    const git = (...args: string[]): string =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.test', ...args], {
        cwd: repo.root,
        encoding: 'utf8'
      }).trim()
    git('init', '-q')
    git('add', '.')
    git('commit', '-q', '-m', 'one')
    const first = git('rev-parse', 'HEAD')

    const append = (): ReturnType<typeof runCli> =>
      runCli(['history', 'append', '--file', 'hist/history.json', '--json', 'r.json'], {
        cwd: repo.root
      })
    await mkdir(join(repo.root, 'hist'))
    const one = await append()
    expect(one.code, one.stderr).toBe(0)
    expect(one.stderr).toContain(`1 record(s) in hist/history.json (${first.slice(0, 7)} appended)`)
    const read = async (): Promise<HistoryRecord[]> =>
      (
        JSON.parse(await readFile(join(repo.root, 'hist/history.json'), 'utf8')) as {
          records: HistoryRecord[]
        }
      ).records
    const [record] = await read()
    const report = JSON.parse(await readFile(join(repo.root, 'r.json'), 'utf8')) as RunReport
    expect(record).toEqual(
      JSON.parse(JSON.stringify(historyRecordOf(report, { sha: first, date: record?.date ?? '' })))
    )

    // The same commit again replaces its record (answers come from the cache).
    expect((await append()).code).toBe(0)
    expect((await read()).map((r) => r.sha)).toEqual([first])

    await writeFile(join(repo.root, 'note.txt'), 'x\n')
    git('add', '.')
    git('commit', '-q', '-m', 'two')
    expect((await append()).code).toBe(0)
    expect((await read()).map((r) => r.sha)).toEqual([first, git('rev-parse', 'HEAD')])

    const shown = await runCli(['history', '--file', 'hist/history.json'], { cwd: repo.root })
    expect(shown.code).toBe(0)
    expect(shown.stdout).toContain('triage')
    expect(shown.stdout).toContain('2 records')
  })

  it('fails before any call on a broken history file', async () => {
    const repo = await makeRepo(server.url, { rows: 4 })
    dirs.push(repo.root)
    await writeFile(join(repo.root, 'h.json'), '{"records": 3}')
    const before = server.stats.requests
    const r = await runCli(['history', 'append', '--file', 'h.json'], { cwd: repo.root })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('h.json')
    expect(server.stats.requests).toBe(before)
  })
})
