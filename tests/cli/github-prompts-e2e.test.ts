/**
 * A repository holding only GitHub Models prompt files, no config and no API key: `eval`, `compare`
 * and `optimize --write` against a fake GitHub Models endpoint that requires the GITHUB_TOKEN as a
 * bearer and `publisher/model` ids. The optimizer's requests are answered by the simulated
 * optimizer, every other request by the simulated target.
 */
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import type { ChatMessage } from '../../src/llm/chat-model.js'
import { parseReport } from '../../src/report/json.js'
import {
  createSimulatedOptimizer,
  createSimulatedTarget,
  makeSyntheticTask,
  REQUEST_TAGS
} from '../../src/simulate/index.js'
import { askFor } from '../../src/simulate/contract.js'
import { startFakeOpenAI } from '../helpers/fake-openai-server.js'
import type { FakeOpenAI } from '../helpers/fake-openai-server.js'
import { runCli } from './fixture.js'

const TOKEN = 'ghs_e2eWorkflowToken_never_print_0123'
const FILE = 'support/triage.prompt.yml'
const SEED = 7

const task = makeSyntheticTask({
  name: 'triage',
  kind: 'triage',
  size: 40,
  seed: 11,
  plainRate: 0.3,
  traits: ['sarcasm', 'negation', 'two-issues', 'hedging', 'caps']
})

/** The prompt file: the task's (weak) prompt as the user message, rows as testData. */
function promptFile(userPrompt: string, rows = task.rows): string {
  const quoted = (text: string) => JSON.stringify(text)
  return [
    '# Routing support tickets. Edited in the GitHub Models prompt editor.',
    'name: Ticket triage',
    'description: >-',
    '  Sorts a ticket into its queue.',
    'model: openai/gpt-4o-mini',
    'modelParameters:',
    '  temperature: 0',
    'messages:',
    '  - role: user',
    '    content: |',
    ...userPrompt.split('\n').map((line) => (line === '' ? '' : `      ${line}`)),
    'testData:',
    ...rows.flatMap((row) => [
      `  - text: ${quoted(row.text)}`,
      `    expected: ${quoted(row.label)}`
    ]),
    'evaluators:',
    '  - name: right queue # what gh models eval checks too',
    '    string:',
    "      contains: '<answer>{{expected}}</answer>'",
    ''
  ].join('\n')
}

function git(root: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', ...args], {
    cwd: root,
    encoding: 'utf8'
  })
}

describe('a repository of only .prompt.yml files, on GitHub Models, with no config', () => {
  let server: FakeOpenAI
  let root: string
  const target = createSimulatedTarget({ seed: SEED })
  const optimizer = createSimulatedOptimizer({ seed: SEED })
  const env = () => ({ GITHUB_TOKEN: TOKEN, GITHUB_MODELS_BASE_URL: server.url })

  beforeAll(async () => {
    server = await startFakeOpenAI({
      githubModels: { token: TOKEN },
      respond: async (body) => {
        const text = body.messages.map((m) => m.content).join('\n')
        const asksOptimizer = REQUEST_TAGS.some(([tag]) => text.includes(askFor(tag)))
        const model = asksOptimizer ? optimizer : target
        return (await model.complete({ messages: body.messages as ChatMessage[] })).text
      }
    })
    root = await mkdtemp(join(tmpdir(), 'pd-ghm-'))
    const write = async (path: string, text: string) => {
      await mkdir(dirname(join(root, path)), { recursive: true })
      await writeFile(join(root, path), text)
    }
    git(root, 'init', '-q', '-b', 'main')
    await write('.gitignore', 'out/\n.prompt-descent/\n')
    // The base commit holds a broken prompt that never asks for the answer tag.
    await write(FILE, promptFile('Which queue does this ticket belong to?\n\n{{text}}'))
    git(root, 'add', '-A')
    git(root, 'commit', '-qm', 'base')
    await write(FILE, promptFile(task.initialPrompt))
    git(root, 'commit', '-qam', 'head')
  })
  afterAll(async () => {
    await server.close()
    await rm(root, { recursive: true, force: true })
  })

  it('eval scores the file: its rows, its evaluator, gh pass rate, via the bearer token', async () => {
    const result = await runCli(['eval', '--json', 'out/eval.json'], { cwd: root, env: env() })
    expect(result.code, result.stderr).toBe(0)
    const report = parseReport(await readFile(join(root, 'out/eval.json'), 'utf8'))
    expect(report.provider.type).toBe('github-models')
    const triage = report.tasks[0]
    expect(triage).toMatchObject({ task: 'triage', metric: 'pass rate', n: 40 })
    expect(triage?.checks?.map((c) => c.name)).toEqual(['right queue'])
    expect(triage?.score ?? 0).toBeGreaterThan(0.2)
    expect(server.record.every((r) => r.model === 'openai/gpt-4o-mini' && r.status === 200)).toBe(
      true
    )
    expect(`${result.stdout}${result.stderr}`).not.toContain(TOKEN)
  })

  it('compare gates base against head: the base commit’s prompt file is found the same way', async () => {
    const result = await runCli(['compare', '--base', 'HEAD~1', '--json', 'out/compare.json'], {
      cwd: root,
      env: env()
    })
    const report = parseReport(await readFile(join(root, 'out/compare.json'), 'utf8'))
    const comparison = report.comparison?.tasks[0]
    expect(comparison?.task, result.stderr).toBe('triage')
    expect(comparison?.delta.value ?? 0).toBeGreaterThan(0.2)
  })

  it('optimize --write edits the .prompt.yml itself: only the message content changes', async () => {
    const before = await readFile(join(root, FILE), 'utf8')
    const result = await runCli(['optimize', '--write', '--json', 'out/opt.json'], {
      cwd: root,
      env: env()
    })
    expect(result.code, result.stderr).toBe(0)
    const after = await readFile(join(root, FILE), 'utf8')
    expect(after).not.toBe(before)
    const cut = (text: string) => text.slice(text.indexOf('testData:'))
    expect(cut(after)).toBe(cut(before))
    const head = (text: string) => text.slice(0, text.indexOf('    content: |'))
    expect(head(after)).toBe(head(before))
    const parsed = parse(after) as { messages: Array<{ content: string }> }
    expect(parsed.messages[0]?.content).toContain('{{text}}')
    expect(server.record.every((r) => r.model === 'openai/gpt-4o-mini')).toBe(true)
  })

  it('a handful of rows: says what they can show, and refuses --write without held-out rows', async () => {
    await writeFile(join(root, FILE), promptFile(task.initialPrompt, task.rows.slice(0, 5)))
    const small = await runCli(['eval'], { cwd: root, env: env() })
    expect(small.stderr).toContain('triage has only 5 rows: a score is known to about ±44 points')
    const refused = await runCli(['optimize', '--write'], { cwd: root, env: env() })
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(
      /optimize --write needs held-out rows to confirm a gain before it changes a prompt: triage has \d held-out \(test\) rows?; confirming a gain at 95% confidence takes at least 6/
    )
    const estimate = await runCli(['optimize', '--estimate'], { cwd: root, env: {} })
    expect(estimate.code).toBe(0)
    expect(estimate.stdout).toMatch(/warning: \d+ calls to openai\/gpt-4o-mini \(low rate tier\)/)
  })
})
