/**
 * Runs the built action (dist/index.js) the way a GitHub runner does: a child process of Node 24
 * with GITHUB_* variables, a pull_request event payload, INPUT_* variables, and empty
 * GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files it appends to. The environment is built from scratch,
 * so nothing of the test process (a real ACTIONS_* variable, an OPENAI_API_KEY) leaks in.
 */
import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const ACTION_ENTRY = join(PROJECT_ROOT, 'dist/index.js')
export const NODE_24 = join(PROJECT_ROOT, 'node_modules/.bin/node')

export interface PullRequestEvent {
  number: number
  baseSha: string
  headSha: string
  baseRef?: string
  headRef?: string
  /** owner/name of the head repository (differs from the base's for a fork). */
  headRepo?: string
}

export interface OtherEvent {
  name: string
  payload: unknown
  /** GITHUB_REF, e.g. refs/heads/main. */
  ref: string
  sha: string
}

/** The payload of a new comment on pull request (or issue) `issueNumber`. */
export function issueCommentEvent(options: {
  repository: string
  issueNumber: number
  body: string
  author: string
  commentId: number
  onPullRequest?: boolean
  defaultBranch?: string
  sha: string
}): OtherEvent {
  const [owner = '', name = ''] = options.repository.split('/')
  return {
    name: 'issue_comment',
    ref: `refs/heads/${options.defaultBranch ?? 'main'}`,
    sha: options.sha,
    payload: {
      action: 'created',
      issue: {
        number: options.issueNumber,
        ...(options.onPullRequest === false
          ? {}
          : {
              pull_request: {
                url: `https://api.github.com/repos/${options.repository}/pulls/${options.issueNumber}`
              }
            })
      },
      comment: {
        id: options.commentId,
        body: options.body,
        user: { login: options.author, type: 'User' },
        html_url: `https://github.com/${options.repository}/pull/${options.issueNumber}#issuecomment-${options.commentId}`
      },
      repository: { full_name: options.repository, name, owner: { login: owner } },
      sender: { login: options.author }
    }
  }
}

export interface ActionRunOptions {
  workspace: string
  /** owner/name */
  repository: string
  apiUrl: string
  /** A pull_request event (the default kind of run)… */
  pullRequest?: PullRequestEvent
  /** …or any other event: its name, payload, GITHUB_REF and GITHUB_SHA. */
  event?: OtherEvent
  /** Input name (as in action.yml) → value. */
  inputs: Record<string, string>
  /** Extra variables (e.g. OPENAI_API_KEY as a job-level env). */
  env?: Record<string, string>
  /** Variables the runner would set that this run goes without (e.g. GITHUB_STEP_SUMMARY). */
  unset?: string[]
}

export interface ActionRun {
  code: number | null
  stdout: string
  stderr: string
  /** Parsed GITHUB_OUTPUT. */
  outputs: Record<string, string>
  /** GITHUB_OUTPUT as written. */
  outputFile: string
  summary: string
  /** Every other file left in the runner's folders (RUNNER_TEMP, HOME): path → text. */
  runnerFiles: Record<string, string>
}

/**
 * Parses a GITHUB_OUTPUT file: `name=value` lines and `name<<DELIMITER` … `DELIMITER` blocks
 * (what @actions/core writes). A later value of the same name wins, as on GitHub.
 */
export function parseGitHubOutput(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? ''
    if (line === '') continue
    const block = /^([^=<]+)<<(.+)$/.exec(line)
    if (block) {
      const [, name = '', delimiter] = block
      const value: string[] = []
      i++
      while (i < lines.length && lines[i] !== delimiter) value.push(lines[i++] ?? '')
      if (i >= lines.length) throw new Error(`GITHUB_OUTPUT: ${name} has no closing ${delimiter}`)
      out[name] = value.join('\n')
      continue
    }
    const eq = line.indexOf('=')
    if (eq < 0) throw new Error(`GITHUB_OUTPUT: unreadable line "${line}"`)
    out[line.slice(0, eq)] = line.slice(eq + 1)
  }
  return out
}

function eventPayload(repository: string, pr: PullRequestEvent): unknown {
  const repo = (fullName: string) => ({
    full_name: fullName,
    name: fullName.split('/')[1],
    owner: { login: fullName.split('/')[0] }
  })
  return {
    action: 'synchronize',
    number: pr.number,
    pull_request: {
      number: pr.number,
      state: 'open',
      base: { sha: pr.baseSha, ref: pr.baseRef ?? 'main', repo: repo(repository) },
      head: {
        sha: pr.headSha,
        ref: pr.headRef ?? 'feature',
        repo: repo(pr.headRepo ?? repository)
      }
    },
    repository: repo(repository)
  }
}

function pullRequestEvent(options: ActionRunOptions): OtherEvent {
  const pr = options.pullRequest
  if (!pr) throw new Error('runAction: give either pullRequest or event')
  return {
    name: 'pull_request',
    payload: eventPayload(options.repository, pr),
    ref: `refs/pull/${pr.number}/merge`,
    sha: pr.headSha
  }
}

/** Runs dist/index.js once and collects what it left behind. */
export async function runAction(options: ActionRunOptions): Promise<ActionRun> {
  const runner = await mkdtemp(join(tmpdir(), 'pd-runner-'))
  try {
    const eventPath = join(runner, 'event.json')
    const outputPath = join(runner, 'github_output')
    const summaryPath = join(runner, 'step_summary')
    const runnerTemp = join(runner, 'temp')
    await mkdir(runnerTemp)
    const event: OtherEvent = options.event ?? pullRequestEvent(options)
    await writeFile(eventPath, JSON.stringify(event.payload), 'utf8')
    // The runner creates both files empty before the step starts.
    await writeFile(outputPath, '', 'utf8')
    await writeFile(summaryPath, '', 'utf8')
    const env: Record<string, string> = {
      PATH: process.env['PATH'] ?? '',
      HOME: runner,
      CI: 'true',
      GITHUB_ACTIONS: 'true',
      GITHUB_EVENT_NAME: event.name,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REPOSITORY: options.repository,
      GITHUB_REPOSITORY_OWNER: options.repository.split('/')[0] ?? '',
      GITHUB_API_URL: options.apiUrl,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_SHA: event.sha,
      GITHUB_REF: event.ref,
      GITHUB_RUN_ID: '4242',
      GITHUB_WORKSPACE: options.workspace,
      GITHUB_OUTPUT: outputPath,
      GITHUB_STEP_SUMMARY: summaryPath,
      RUNNER_TEMP: runnerTemp,
      RUNNER_OS: 'Linux',
      GIT_CONFIG_NOSYSTEM: '1',
      ...options.env
    }
    for (const [name, value] of Object.entries(options.inputs)) {
      env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
    }
    for (const name of options.unset ?? []) delete env[name]
    const { code, stdout, stderr } = await spawnNode(ACTION_ENTRY, options.workspace, env)
    const outputFile = await readFile(outputPath, 'utf8')
    const runnerFiles: Record<string, string> = {}
    for (const entry of await readdir(runner, { recursive: true, withFileTypes: true })) {
      const path = join(entry.parentPath, entry.name)
      if (!entry.isFile() || [eventPath, outputPath, summaryPath].includes(path)) continue
      runnerFiles[relative(runner, path)] = await readFile(path, 'utf8')
    }
    return {
      code,
      stdout,
      stderr,
      outputs: parseGitHubOutput(outputFile),
      outputFile,
      summary: await readFile(summaryPath, 'utf8'),
      runnerFiles
    }
  } finally {
    await rm(runner, { recursive: true, force: true })
  }
}

function spawnNode(
  entry: string,
  cwd: string,
  env: Record<string, string>
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(NODE_24, [entry], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    // A hung action must fail the test, not the whole suite.
    const timer = setTimeout(() => child.kill('SIGKILL'), 45_000)
    child.on('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolvePromise({ code, stdout, stderr })
    })
  })
}
