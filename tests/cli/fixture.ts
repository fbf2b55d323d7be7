/**
 * Shared set-up for the CLI tests: a synthetic repository (the demo's triage task) whose config
 * points at a fake OpenAI-compatible server serving the simulated target, and a way to run the CLI
 * in process with stdout and stderr captured.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { vi } from 'vitest'
import { parse, stringify } from 'yaml'
import { main } from '../../src/cli/main.js'
import { simulatedModelFor } from '../../src/simulate/index.js'
import { writeDemoRepository } from '../../src/simulate/demo-repo.js'
import { startFakeOpenAI } from '../helpers/fake-openai-server.js'
import type { FakeChatBody, FakeOpenAI, FakeOpenAIOptions } from '../helpers/fake-openai-server.js'

/** The environment variable the test configs name as provider.api_key_env. */
export const KEY_ENV = 'PD_TEST_API_KEY'
export const TEST_KEY = 'sk-test-not-a-real-key-123'
/** Seed of the simulated model the fake server serves and of the demo data. */
export const SIM_SEED = 7

export interface CliResult {
  code: number
  stdout: string
  stderr: string
}

/**
 * Runs `main(argv)` in process. stdout is what the CLI hands io.stdout; stderr is every write to
 * process.stderr (the logger and error messages) during the run.
 */
export async function runCli(
  argv: readonly string[],
  options: { cwd: string; env?: Record<string, string> }
): Promise<CliResult> {
  let stdout = ''
  let stderr = ''
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8')
    return true
  })
  try {
    const code = await main(argv, {
      stdout: (text) => {
        stdout += text
      },
      env: { [KEY_ENV]: TEST_KEY, ...options.env },
      cwd: options.cwd
    })
    return { code, stdout, stderr }
  } finally {
    spy.mockRestore()
  }
}

/** The reply the simulated target gives to a request the fake server received. */
export async function simulatedReply(body: FakeChatBody): Promise<string> {
  const model = simulatedModelFor(body.model, SIM_SEED)
  const reply = await model.complete({
    messages: body.messages as never,
    responseFormat: body['response_format'] as never
  })
  return reply.text
}

/** Starts the fake server answering as the simulated target. */
export function startSimulatedServer(
  options: Omit<FakeOpenAIOptions, 'respond' | 'apiKey'> = {}
): Promise<FakeOpenAI> {
  return startFakeOpenAI({ ...options, respond: simulatedReply, apiKey: TEST_KEY })
}

export interface TestRepo {
  root: string
  configPath: string
  /** Rows of the triage dataset as written. */
  rows: Array<{ id: string; text: string; label: string }>
  /** The user prompt template. */
  userPrompt: string
  /** The system prompt file's text, as sent (verbatim). */
  systemPrompt: string
  remove(): Promise<void>
}

/**
 * Writes the demo's triage repository to a temporary directory and points its provider at `url`
 * (type openai, key from KEY_ENV). `provider` adds or overrides provider keys (snake_case).
 */
export async function makeRepo(
  url: string,
  options: {
    rows?: number
    provider?: Record<string, unknown>
    config?: Record<string, unknown>
  } = {}
): Promise<TestRepo> {
  const root = await mkdtemp(join(tmpdir(), 'pd-cli-'))
  const repo = await writeDemoRepository(root, { seed: SIM_SEED, rows: options.rows ?? 40 })
  const config = parse(await readFile(repo.configPath, 'utf8')) as Record<string, unknown>
  config['provider'] = {
    type: 'openai',
    base_url: url,
    api_key_env: KEY_ENV,
    concurrency: 4,
    timeout_ms: 5_000,
    max_retries: 4,
    ...options.provider
  }
  config['models'] = { target: 'sim-target', optimizer: 'sim-optimizer', judge: 'sim-judge' }
  Object.assign(config, options.config)
  await writeFile(repo.configPath, stringify(config), 'utf8')
  const data = await readFile(join(root, 'evals/triage.jsonl'), 'utf8')
  const rows = data
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as { id: string; text: string; label: string })
  return {
    root,
    configPath: repo.configPath,
    rows,
    userPrompt: (await readFile(join(root, 'prompts/triage.md'), 'utf8')).trimEnd(),
    systemPrompt: await readFile(join(root, 'prompts/system.md'), 'utf8'),
    remove: () => rm(root, { recursive: true, force: true })
  }
}
