import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseCliArgs } from '../../src/cli/args.js'
import type { CommandContext } from '../../src/cli/context.js'
import { runHistoryCommand } from '../../src/cli/history-command.js'
import { InputError } from '../../src/errors.js'
import { renderHistoryFile } from '../../src/report/history-file.js'
import { attributeValues, xmlProblems } from '../report/xml-check.js'
import { SAMPLE_COMMITS, sampleHistory, sampleSha } from './sample-history.js'

interface Fake {
  context: CommandContext
  stdout: () => string
  logs: string[]
}

function fakeContext(argv: string[], cwd: string): Fake {
  let out = ''
  const logs: string[] = []
  const log = (m: string): void => {
    logs.push(m)
  }
  return {
    context: {
      args: parseCliArgs(['history', ...argv]),
      io: { stdout: (t) => (out += t), env: {}, cwd },
      logger: { info: log, warn: log, debug: () => undefined, progress: () => undefined },
      signal: new AbortController().signal
    },
    stdout: () => out,
    logs
  }
}

async function failure(argv: string[], cwd: string): Promise<InputError> {
  const error = await runHistoryCommand(fakeContext(argv, cwd).context).catch((e: unknown) => e)
  expect(error).toBeInstanceOf(InputError)
  return error as InputError
}

describe('prompt-descent history', () => {
  let dir: string
  const records = sampleHistory()
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pd-history-'))
    await writeFile(join(dir, 'h.json'), renderHistoryFile(records))
  })
  afterEach(() => rm(dir, { recursive: true, force: true }))

  it('prints a table and a sparkline per task', async () => {
    const fake = fakeContext(['--file', 'h.json'], dir)
    expect(await runHistoryCommand(fake.context)).toBe(0)
    const out = fake.stdout()
    expect(out).toMatch(
      /^triage {2}\(accuracy\) {2}30 records {2}threshold 80\.0%\ntrend {2}[▁-█]{30}\n/
    )
    expect(out).toContain('\n\nsummarize  (judge)  30 records')
    expect(out).toContain(sampleSha(SAMPLE_COMMITS - 1).slice(0, 7))
    expect(out).toContain('$0.03 · 240 calls')
  })

  it('plots one task to the file given', async () => {
    const fake = fakeContext(
      ['--file', 'h.json', '--task', 'triage', '--svg', 'out/triage.svg'],
      dir
    )
    expect(await runHistoryCommand(fake.context)).toBe(0)
    expect(fake.stdout()).not.toContain('summarize')
    const svg = await readFile(join(dir, 'out/triage.svg'), 'utf8')
    expect(xmlProblems(svg)).toEqual([])
    expect(attributeValues(svg, 'circle', 'cx')).toHaveLength(SAMPLE_COMMITS)
    expect(svg).toContain('triage: accuracy per commit')
    expect(fake.logs).toEqual(['wrote the triage chart to out/triage.svg'])
  })

  it('plots several tasks into a folder', async () => {
    const fake = fakeContext(['--file', 'h.json', '--svg', 'charts'], dir)
    expect(await runHistoryCommand(fake.context)).toBe(0)
    expect((await readdir(join(dir, 'charts'))).sort()).toEqual(['summarize.svg', 'triage.svg'])
    const svg = await readFile(join(dir, 'charts/summarize.svg'), 'utf8')
    expect(svg).toContain('summarize: judge per commit')
  })

  it('puts a single task into an existing folder given as OUT', async () => {
    await mkdir(join(dir, 'pics'))
    await runHistoryCommand(
      fakeContext(['--file', 'h.json', '--task', 'summarize', '--svg', 'pics'], dir).context
    )
    expect(await readdir(join(dir, 'pics'))).toEqual(['summarize.svg'])
  })

  it('reads history/history.json in the current folder by default', async () => {
    await mkdir(join(dir, 'history'))
    await writeFile(join(dir, 'history/history.json'), renderHistoryFile(records.slice(0, 2)))
    const fake = fakeContext([], dir)
    await runHistoryCommand(fake.context)
    expect(fake.stdout()).toContain('triage  (accuracy)  2 records')
  })

  it('reads the data branch of the local clone when there is no file', async () => {
    const git = (...args: string[]): void => {
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.test', ...args], {
        cwd: dir,
        stdio: 'ignore'
      })
    }
    git('init', '-q')
    git('checkout', '-q', '--orphan', 'prompt-descent-data')
    await mkdir(join(dir, 'history'))
    await writeFile(join(dir, 'history/history.json'), renderHistoryFile(records.slice(0, 3)))
    git('add', 'history/history.json')
    git('commit', '-q', '-m', 'history')
    git('checkout', '-q', '--orphan', 'main')
    git('rm', '-r', '-q', '--cached', '.')
    await rm(join(dir, 'history'), { recursive: true })
    const fake = fakeContext([], dir)
    await runHistoryCommand(fake.context)
    expect(fake.stdout()).toContain('triage  (accuracy)  3 records')
  })

  it('fails with exit code 2 on a missing or invalid file, or an unknown task', async () => {
    const missing = await failure(['--file', 'nope.json'], dir)
    expect(missing.exitCode).toBe(2)
    expect(missing.message).toBe('nope.json: the history file does not exist')

    const empty = await mkdtemp(join(tmpdir(), 'pd-history-empty-'))
    try {
      expect((await failure([], empty)).message).toMatch(/^no history file: pass --file FILE/)
    } finally {
      await rm(empty, { recursive: true, force: true })
    }

    await writeFile(join(dir, 'bad.json'), '{"records": [')
    expect((await failure(['--file', 'bad.json'], dir)).message).toMatch(
      /^bad\.json: the history file is not valid JSON/
    )
    await writeFile(
      join(dir, 'odd.json'),
      '{"schemaVersion": 1, "records": [{"sha": "abc", "date": "x", "tasks": [{"task": "t"}]}]}'
    )
    expect((await failure(['--file', 'odd.json'], dir)).message).toBe(
      'odd.json: records[0].tasks[0].score: expected a score (a number in [0, 1])'
    )
    const unknown = await failure(['--file', 'h.json', '--task', 'nope'], dir)
    expect(unknown.message).toBe(
      'h.json: --task: no task named "nope" in the history; it has triage, summarize'
    )
  })
})
