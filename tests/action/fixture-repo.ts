/**
 * A temporary git repository shaped like a user's: prompt-descent.yml (provider `openai` pointed at
 * the fake OpenAI-compatible server), one synthetic triage task (prompt file + JSONL dataset) and
 * two commits, base and head, that differ only in the prompt.
 */
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { stringify } from 'yaml'
import { getTrait, makeSyntheticTask } from '../../src/simulate/index.js'
import type { SyntheticTask, TraitId } from '../../src/simulate/index.js'

/** The traits the synthetic rows carry; a prompt that addresses them all answers nearly every row. */
export const TASK_TRAITS: readonly TraitId[] = [
  'sarcasm',
  'negation',
  'two-issues',
  'hedging',
  'caps'
]

export const PROMPT_FILE = 'prompts/triage.md'
export const CONFIG_FILE = 'prompt-descent.yml'
export const SYSTEM_FILE = 'prompts/system.md'

/** The synthetic task all scenarios share (deterministic). */
export function triageTask(rows = 80): SyntheticTask {
  return makeSyntheticTask({
    name: 'triage',
    kind: 'triage',
    size: rows,
    seed: 11,
    plainRate: 0.3,
    traits: TASK_TRAITS
  })
}

/**
 * The task's weak prompt with one rule per trait in `addressed`, inserted after its first line
 * (where the labels are offered), so the {{text}} slot and the <answer> request stay as they were.
 */
export function promptAddressing(
  task: SyntheticTask,
  addressed: readonly TraitId[],
  lead = ''
): string {
  const [first, ...rest] = task.initialPrompt.split('\n')
  const rules = addressed.map((t) => `- ${getTrait(t).phrasings[0] ?? ''}`)
  const head = `${lead}${first ?? ''}`
  return [head, ...(rules.length > 0 ? ['', 'Rules:', ...rules] : []), ...rest].join('\n') + '\n'
}

export interface FixtureRepo {
  dir: string
  baseSha: string
  headSha: string
  /** Every tracked file at the checked-out commit (repository paths → text), e.g. to seed a fake remote. */
  trackedFiles(): Record<string, string>
  /** Checks out a branch of the fixture (`main` or `feature`). */
  checkout(branch: string): void
  /** Another push to the pull request: commits `prompt` on the feature branch; returns its sha. */
  pushPrompt(prompt: string): Promise<string>
  /**
   * A `--depth 1` clone of the feature branch (what actions/checkout makes by default): the base
   * commit is not in it. Removed by cleanup().
   */
  shallowClone(): string
  cleanup(): Promise<void>
}

export interface FixtureOptions {
  /** The fake OpenAI server's base URL (ending in /v1). */
  baseUrl: string
  basePrompt: string
  headPrompt: string
  task: SyntheticTask
  /** The config's gate section; `null` writes none (the default gate). */
  gate?: {
    max_drop?: number
    min_score?: number
    confidence?: number
    new_tasks?: string
    sequential?: boolean
  } | null
  seed?: number
  /** Folder of the project inside the repository (a monorepo); default the repository root. */
  subdir?: string
  /** The config's `optimize` section, as written in YAML (e.g. `{ apo: { rounds: 2 } }`). */
  optimize?: Record<string, unknown>
  /** A shared system prompt, written to prompts/system.md and named in the config. */
  systemPrompt?: string
}

function git(dir: string, args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      PATH: process.env['PATH'] ?? '',
      HOME: dir,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
      GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z'
    }
  }).trim()
}

/**
 * Makes `dir` (files already written) a git repository on `main` with everything in one commit,
 * the response cache and report folder ignored; returns the commit.
 */
export async function commitWorkspace(dir: string): Promise<string> {
  git(dir, ['init', '--quiet', '--initial-branch=main'])
  git(dir, ['config', 'user.name', 'Test'])
  git(dir, ['config', 'user.email', 'test@example.invalid'])
  git(dir, ['config', 'commit.gpgsign', 'false'])
  await put(dir, '.gitignore', '.prompt-descent/\nprompt-descent-report/\n')
  git(dir, ['add', '-A'])
  git(dir, ['commit', '--quiet', '-m', 'base'])
  return git(dir, ['rev-parse', 'HEAD'])
}

/** Every tracked file of a repository at its checked-out commit (repository paths → text). */
export function trackedFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const path of git(dir, ['ls-files']).split('\n').filter(Boolean)) {
    out[path] = readFileSync(join(dir, path), 'utf8')
  }
  return out
}

async function put(dir: string, path: string, text: string): Promise<void> {
  await mkdir(dirname(join(dir, path)), { recursive: true })
  await writeFile(join(dir, path), text, 'utf8')
}

/** Writes the repository, commits base, then head (the prompt change), and leaves head checked out. */
export async function createFixtureRepo(options: FixtureOptions): Promise<FixtureRepo> {
  const dir = await mkdtemp(join(tmpdir(), 'pd-action-e2e-'))
  const { task } = options
  const at = (path: string): string => (options.subdir ? `${options.subdir}/${path}` : path)
  const config = {
    provider: {
      type: 'openai',
      base_url: options.baseUrl,
      api_key_env: 'OPENAI_API_KEY',
      concurrency: 8,
      max_retries: 0,
      timeout_ms: 20_000
    },
    models: { target: 'sim-target', optimizer: 'sim-optimizer', judge: 'sim-judge' },
    seed: options.seed ?? 7,
    tasks: [
      {
        name: task.name,
        prompt: PROMPT_FILE,
        data: 'evals/triage.jsonl',
        expected: 'label',
        extract: { type: 'tag', tag: 'answer' },
        metric: { type: 'choice', choices: task.choices }
      }
    ],
    ...(options.gate === null
      ? {}
      : { gate: options.gate ?? { max_drop: 0.02, confidence: 0.95 } }),
    ...(options.systemPrompt === undefined ? {} : { system_prompt: SYSTEM_FILE }),
    ...(options.optimize ? { optimize: options.optimize } : {})
  }
  const rows = task.rows.map((r) => JSON.stringify({ id: r.id, text: r.text, label: r.label }))
  try {
    git(dir, ['init', '--quiet', '--initial-branch=main'])
    git(dir, ['config', 'user.name', 'Test'])
    git(dir, ['config', 'user.email', 'test@example.invalid'])
    git(dir, ['config', 'commit.gpgsign', 'false'])
    await put(dir, at(CONFIG_FILE), stringify(config))
    await put(dir, at('evals/triage.jsonl'), rows.join('\n') + '\n')
    await put(dir, at(PROMPT_FILE), options.basePrompt)
    if (options.systemPrompt !== undefined) await put(dir, at(SYSTEM_FILE), options.systemPrompt)
    // The response cache lives in the checkout but is never committed.
    await put(dir, '.gitignore', '.prompt-descent/\nprompt-descent-report/\n')
    git(dir, ['add', '-A'])
    git(dir, ['commit', '--quiet', '-m', 'base'])
    const baseSha = git(dir, ['rev-parse', 'HEAD'])
    git(dir, ['checkout', '--quiet', '-b', 'feature'])
    await put(dir, at(PROMPT_FILE), options.headPrompt)
    git(dir, ['commit', '--quiet', '--allow-empty', '-am', 'head: change the prompt'])
    const headSha = git(dir, ['rev-parse', 'HEAD'])
    const clones: string[] = []
    return {
      dir,
      baseSha,
      headSha,
      trackedFiles() {
        return trackedFiles(dir)
      },
      checkout(branch) {
        git(dir, ['checkout', '--quiet', branch])
      },
      async pushPrompt(prompt) {
        await put(dir, at(PROMPT_FILE), prompt)
        git(dir, ['commit', '--quiet', '--allow-empty', '-am', 'head: another change'])
        return git(dir, ['rev-parse', 'HEAD'])
      },
      shallowClone() {
        const clone = `${dir}-shallow`
        clones.push(clone)
        git(dir, ['clone', '--quiet', '--depth=1', '--branch=feature', `file://${dir}`, clone])
        return clone
      },
      async cleanup() {
        for (const path of [dir, ...clones]) await rm(path, { recursive: true, force: true })
      }
    }
  } catch (error) {
    await rm(dir, { recursive: true, force: true })
    throw error
  }
}
