/**
 * `compare` shows everything that changed between base and head: tasks added (scored on head,
 * with their score), removed and renamed (still compared), rows added to a dataset, and a gate
 * that says what it could not compare and which rule applied — in the terminal, the Markdown, the
 * JSON and the JUnit XML. With no `gate:` section a significant drop fails out of the box.
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
import { SECRET_API_KEY, startSimulatedOpenAI } from '../action/simulated-server.js'
import type { FakeOpenAI } from '../helpers/fake-openai-server.js'
import { runCli } from './fixture.js'

const task = triageTask(40)
const STRONG = promptAddressing(task, TASK_TRAITS)
const WEAK = promptAddressing(task, [])
const env = { OPENAI_API_KEY: SECRET_API_KEY }

let ai: FakeOpenAI
const repos: FixtureRepo[] = []

beforeAll(async () => {
  ai = await startSimulatedOpenAI()
})
afterAll(() => ai.close())
afterEach(async () => {
  for (const repo of repos.splice(0)) await repo.cleanup()
})

async function repoWith(
  headPrompt: string,
  gate?: Parameters<typeof createFixtureRepo>[0]['gate']
): Promise<FixtureRepo> {
  const repo = await createFixtureRepo({
    baseUrl: ai.url,
    basePrompt: STRONG,
    headPrompt,
    task,
    ...(gate === undefined ? {} : { gate })
  })
  repos.push(repo)
  return repo
}

type Config = { tasks: Array<Record<string, unknown>>; gate?: Record<string, unknown> }

async function editConfig(repo: FixtureRepo, edit: (config: Config) => void): Promise<void> {
  const path = join(repo.dir, 'prompt-descent.yml')
  const config = parse(await readFile(path, 'utf8')) as Config
  edit(config)
  await writeFile(path, stringify(config))
}

const REPORTS = ['--json', 'r.json', '--markdown', 'r.md', '--junit', 'r.xml']

async function compare(
  repo: FixtureRepo,
  extra: string[] = []
): Promise<{ code: number; stdout: string; json: RunReport; md: string; xml: string }> {
  const r = await runCli(['compare', '--base', repo.baseSha, ...REPORTS, ...extra], {
    cwd: repo.dir,
    env
  })
  const read = (f: string): Promise<string> => readFile(join(repo.dir, f), 'utf8')
  // Markdown escapes characters such as _ and *: compare its text without the escapes.
  const unescape = (md: string): string => md.replace(/\\([\\`*_{}[\]()#+\-.!|<>~])/g, '$1')
  return {
    code: r.code,
    stdout: r.stdout,
    json: JSON.parse(await read('r.json')) as RunReport,
    md: unescape(await read('r.md')),
    xml: await read('r.xml')
  }
}

describe('compare: tasks and rows that cannot be paired', () => {
  it('compares a renamed task, scores an added one, counts new rows, in every view', async () => {
    const repo = await repoWith(STRONG)
    // Head: triage renamed to tickets (same files), a new task, and 6 rows added to the dataset.
    const dataPath = join(repo.dir, 'evals/triage.jsonl')
    const rows = (await readFile(dataPath, 'utf8')).trim().split('\n')
    const extra = rows.slice(0, 6).map((line, i) => {
      const row = JSON.parse(line) as { id: string }
      return JSON.stringify({ ...row, id: `new-${i}` })
    })
    await writeFile(dataPath, [...rows, ...extra].join('\n') + '\n')
    await writeFile(join(repo.dir, 'evals/extra.jsonl'), rows.slice(0, 5).join('\n') + '\n')
    await editConfig(repo, (config) => {
      const first = config.tasks[0] as Record<string, unknown>
      first['name'] = 'tickets'
      config.tasks.push({ ...first, name: 'extra', data: 'evals/extra.jsonl' })
    })

    const r = await compare(repo)
    expect(r.code).toBe(0)
    const comparison = r.json.comparison
    expect(comparison?.added).toEqual(['extra'])
    expect(comparison?.removed).toEqual([])
    expect(
      comparison?.tasks.map((t) => [t.task, t.renamedFrom, t.n, t.headOnly, t.baseOnly])
    ).toEqual([['tickets', 'triage', 40, 6, 0]])
    expect(r.json.tasks.find((t) => t.task === 'extra')?.n).toBe(5)
    const noBase = r.json.gate?.checks.find((c) => c.task === 'extra')
    expect(noBase).toMatchObject({ kind: 'no_base', passed: true, warning: true })
    expect(noBase?.message).toContain('new in head, no base to compare with')
    expect(r.json.gate?.rule).toContain('gate from the config: max_drop 0.02')

    const rows6 = '40 paired, 6 new rows scored on head only'
    for (const view of [r.stdout, r.md, r.xml]) {
      expect(view).toContain(rows6)
      expect(view).toContain('new in head, no base to compare with; head:')
      expect(view).toContain('gate.new_tasks: warn')
    }
    expect(r.stdout).toContain('tickets (was triage)')
    expect(r.md).toContain('tickets (was triage)')
    expect(r.stdout).toContain('renamed from triage (same prompt and data files)')
    expect(r.md).not.toContain('No tasks were compared')
    expect(r.xml).toContain('<property name="headOnly" value="6"/>')
    expect(r.xml).toContain('<property name="renamedFrom" value="triage"/>')
  })

  it('lists a removed task, and fails on a task with no base under gate.new_tasks: fail', async () => {
    const repo = await repoWith(STRONG, { max_drop: 0.02, new_tasks: 'fail' })
    await editConfig(repo, (config) => {
      const first = config.tasks[0] as Record<string, unknown>
      // A new name and new files: no rename to find, so triage is removed and fresh is added.
      first['name'] = 'fresh'
      first['prompt'] = 'prompts/fresh.md'
    })
    await writeFile(join(repo.dir, 'prompts/fresh.md'), WEAK)
    const r = await compare(repo)
    expect(r.code).toBe(1)
    expect(r.json.comparison?.tasks).toEqual([])
    expect(r.json.comparison?.added).toEqual(['fresh'])
    expect(r.json.comparison?.removed).toEqual(['triage'])
    expect(r.json.gate?.checks).toEqual([
      expect.objectContaining({ task: 'fresh', kind: 'no_base', passed: false })
    ])
    for (const view of [r.stdout, r.md]) {
      expect(view).toContain('in base only; removed from head, not scored')
      expect(view).toContain('gate.new_tasks: fail')
    }
    expect(r.md).toContain('❌ Gate failed')
    expect(r.xml).toContain('<property name="removed" value="triage"/>')
    expect(r.xml).toContain('type="no_base"')
  })
})

describe('compare: the default gate', () => {
  it('fails a significant drop with no gate: section, says which rule applied and how to opt out', async () => {
    const repo = await repoWith(WEAK, null)
    const r = await compare(repo)
    expect(r.code).toBe(1)
    const [check] = r.json.gate?.checks ?? []
    expect(check).toMatchObject({ task: 'triage', kind: 'max_drop', passed: false })
    expect(check?.message).toContain('significant at 95%')
    expect(r.json.gate?.rule).toContain('default gate (the config has no gate: section)')
    for (const view of [r.stdout, r.md, r.xml]) {
      expect(view).toContain('default gate')
      expect(view).toContain('gate: {}')
      expect(view).toContain('fail-on: never')
    }

    // `gate: {}` opts out: the same drop is reported and passes.
    await editConfig(repo, (config) => {
      config.gate = {}
    })
    const optedOut = await compare(repo)
    expect(optedOut.code).toBe(0)
    expect(optedOut.json.comparison?.tasks[0]?.verdict).toBe('regressed')
    expect(optedOut.json.gate?.rule).toContain('no threshold, so no score fails it')
  })

  it('passes an unchanged prompt under the default gate', async () => {
    const repo = await repoWith(STRONG, null)
    const r = await compare(repo)
    expect(r.code).toBe(0)
    expect(r.json.gate?.checks.map((c) => [c.kind, c.passed])).toEqual([['max_drop', true]])
  })
})
