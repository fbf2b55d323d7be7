/**
 * A git repository holding only a GitHub Models prompt file (no prompt-descent.yml), two commits
 * apart (base and head differ in the prompt), and a fake GitHub Models endpoint whose optimizer
 * requests the simulated optimizer answers and every other request the simulated target.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { ChatMessage } from '../../src/llm/chat-model.js'
import { askFor } from '../../src/simulate/contract.js'
import {
  createSimulatedOptimizer,
  createSimulatedTarget,
  makeSyntheticTask,
  REQUEST_TAGS
} from '../../src/simulate/index.js'
import type { SyntheticTask } from '../../src/simulate/index.js'
import { startFakeOpenAI } from './fake-openai-server.js'
import type { FakeOpenAI } from './fake-openai-server.js'

export const PROMPT_FILE_PATH = 'support/triage.prompt.yml'

/** The synthetic triage task the prompt file carries (deterministic). */
export function promptFileTask(rows = 40): SyntheticTask {
  return makeSyntheticTask({
    name: 'triage',
    kind: 'triage',
    size: rows,
    seed: 11,
    plainRate: 0.3,
    traits: ['sarcasm', 'negation', 'two-issues', 'hedging', 'caps']
  })
}

/** A real-world-shaped prompt file: comments, a folded description, a block-scalar message. */
export function promptFileText(userPrompt: string, rows: SyntheticTask['rows']): string {
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

export function git(root: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t.invalid', ...args], {
    cwd: root,
    encoding: 'utf8'
  })
}

export interface PromptFileRepo {
  dir: string
  baseSha: string
  headSha: string
  /** Every tracked file at the checked-out commit (path → text), e.g. to seed a fake remote. */
  trackedFiles(): Record<string, string>
  cleanup(): Promise<void>
}

/** Base commit with `base` as the prompt, head commit (on `main`, checked out) with `head`. */
export async function createPromptFileRepo(
  task: SyntheticTask,
  base: string,
  head: string
): Promise<PromptFileRepo> {
  const dir = await mkdtemp(join(tmpdir(), 'pd-ghm-'))
  const write = async (path: string, text: string) => {
    await mkdir(dirname(join(dir, path)), { recursive: true })
    await writeFile(join(dir, path), text)
  }
  git(dir, 'init', '-q', '-b', 'main')
  await write('.gitignore', 'out/\n.prompt-descent/\nprompt-descent-report/\n')
  await write(PROMPT_FILE_PATH, promptFileText(base, task.rows))
  git(dir, 'add', '-A')
  git(dir, 'commit', '-qm', 'base')
  const baseSha = git(dir, 'rev-parse', 'HEAD').trim()
  await write(PROMPT_FILE_PATH, promptFileText(head, task.rows))
  git(dir, 'commit', '-qam', 'head', '--allow-empty')
  const headSha = git(dir, 'rev-parse', 'HEAD').trim()
  const trackedFiles = (): Record<string, string> =>
    Object.fromEntries(
      git(dir, 'ls-files', '-z')
        .split('\0')
        .filter((p) => p !== '')
        .map((p) => [p, readFileSync(join(dir, p), 'utf8')])
    )
  return {
    dir,
    baseSha,
    headSha,
    trackedFiles,
    cleanup: () => rm(dir, { recursive: true, force: true })
  }
}

/** The fake GitHub Models endpoint, requiring `token`, answering as the simulated models. */
export function startSimulatedGitHubModels(token: string, seed = 7): Promise<FakeOpenAI> {
  const target = createSimulatedTarget({ seed })
  const optimizer = createSimulatedOptimizer({ seed })
  return startFakeOpenAI({
    githubModels: { token },
    respond: async (body) => {
      const text = body.messages.map((m) => m.content).join('\n')
      const asksOptimizer = REQUEST_TAGS.some(([tag]) => text.includes(askFor(tag)))
      const model = asksOptimizer ? optimizer : target
      return (await model.complete({ messages: body.messages as ChatMessage[] })).text
    }
  })
}
