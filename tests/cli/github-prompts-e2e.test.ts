/**
 * End to end with the BUILT CLI (`node dist/cli/index.js` in a child process, with an environment
 * built from scratch): a repository holding only GitHub Models prompt files, no config and no API
 * key. `eval`, `compare` and `optimize --write` against a fake GitHub Models endpoint (reached via
 * GITHUB_MODELS_BASE_URL) that requires the GITHUB_TOKEN as a bearer and `publisher/model` ids.
 * The optimizer's requests are answered by the simulated optimizer, every other request by the
 * simulated target.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { parseReport } from '../../src/report/json.js'
import type { FakeOpenAI } from '../helpers/fake-openai-server.js'
import {
  createPromptFileRepo,
  PROMPT_FILE_PATH as FILE,
  promptFileTask,
  promptFileText as promptFile,
  startSimulatedGitHubModels
} from '../helpers/github-prompt-repo.js'
import type { PromptFileRepo } from '../helpers/github-prompt-repo.js'
import { NODE_24, PROJECT_ROOT } from '../action/run-action.js'
import type { CliResult } from './fixture.js'

const CLI = join(PROJECT_ROOT, 'dist/cli/index.js')

/**
 * Runs the built CLI on Node 24 as a user would, with only PATH (for git) and `env`: no variable of
 * the test process (an OPENAI_API_KEY, a real GITHUB_TOKEN) reaches it.
 */
function runBuiltCli(
  args: readonly string[],
  options: { cwd: string; env: Record<string, string> }
): Promise<CliResult> {
  const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...options.env }
  // No API key anywhere: the workflow token is the only credential.
  expect(Object.keys(env).filter((k) => /API_KEY/i.test(k))).toEqual([])
  return new Promise((resolve, reject) => {
    const child = spawn(NODE_24, [CLI, ...args], {
      cwd: options.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }))
  })
}

const TOKEN = 'ghs_e2eWorkflowToken_never_print_0123'
const task = promptFileTask(40)

describe('a repository of only .prompt.yml files, on GitHub Models, with no config', () => {
  let server: FakeOpenAI
  let repo: PromptFileRepo
  let root: string
  const env = () => ({ GITHUB_TOKEN: TOKEN, GITHUB_MODELS_BASE_URL: server.url })

  beforeAll(async () => {
    if (!existsSync(CLI))
      throw new Error(`${CLI} is missing: run \`npm run build\` before these tests`)
    server = await startSimulatedGitHubModels(TOKEN)
    // The base commit holds a broken prompt that never asks for the answer tag.
    repo = await createPromptFileRepo(
      task,
      'Which queue does this ticket belong to?\n\n{{text}}',
      task.initialPrompt
    )
    root = repo.dir
  })
  afterAll(async () => {
    await server.close()
    await repo.cleanup()
  })

  it('eval scores the file: its rows, its evaluator, gh pass rate, via the bearer token', async () => {
    const result = await runBuiltCli(['eval', '--json', 'out/eval.json'], { cwd: root, env: env() })
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
    const result = await runBuiltCli(
      ['compare', '--base', 'HEAD~1', '--json', 'out/compare.json'],
      {
        cwd: root,
        env: env()
      }
    )
    expect(result.code, result.stderr).toBe(0)
    const report = parseReport(await readFile(join(root, 'out/compare.json'), 'utf8'))
    expect(report.tasks[0]?.model).toBe('openai/gpt-4o-mini')
    const comparison = report.comparison?.tasks[0]
    expect(comparison?.task, result.stderr).toBe('triage')
    expect(comparison?.delta.value ?? 0).toBeGreaterThan(0.2)
  })

  it('optimize --write edits the .prompt.yml itself: only the message content changes', async () => {
    const before = await readFile(join(root, FILE), 'utf8')
    const result = await runBuiltCli(['optimize', '--write', '--json', 'out/opt.json'], {
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
    const small = await runBuiltCli(['eval'], { cwd: root, env: env() })
    expect(small.stderr).toContain('triage has only 5 rows: a score is known to about ±44 points')
    const refused = await runBuiltCli(['optimize', '--write'], { cwd: root, env: env() })
    expect(refused.code).toBe(2)
    expect(refused.stderr).toMatch(
      /optimize --write needs held-out rows to confirm a gain before it changes a prompt: triage has \d held-out \(test\) rows?; confirming a gain at 95% confidence takes at least 6/
    )
    const estimate = await runBuiltCli(['optimize', '--estimate'], { cwd: root, env: {} })
    expect(estimate.code).toBe(0)
    expect(estimate.stdout).toMatch(/warning: \d+ calls to openai\/gpt-4o-mini \(low rate tier\)/)
  })

  it('a token the endpoint refuses: the error names the permission, not a stack trace', async () => {
    const refused = await runBuiltCli(['eval', '--no-cache'], {
      cwd: root,
      env: { GITHUB_TOKEN: 'ghs_not_the_workflow_token', GITHUB_MODELS_BASE_URL: server.url }
    })
    expect(refused.code).not.toBe(0)
    expect(`${refused.stdout}${refused.stderr}`).toContain('models: read')
    expect(refused.stderr).not.toMatch(/\n\s+at /)
    expect(refused.stderr).not.toContain('ghs_not_the_workflow_token')
  })
})
