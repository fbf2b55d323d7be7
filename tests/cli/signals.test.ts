/**
 * A run with no I/O between answers (the simulated provider, no disk cache) used to be one long
 * promise chain: SIGTERM and SIGINT were never delivered, so a cancelled job ran to its end
 * (issue #18). Against the built CLI in a child process, the signal now stops the run: exit 3,
 * the partial report written, the stop reason "cancelled".
 */
import { spawn } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseReport } from '../../src/report/json.js'
import { writeDemoRepository } from '../../src/simulate/demo-repo.js'

const CLI = new URL('../../dist/cli/index.js', import.meta.url).pathname
/** Enough rows that the run is still scoring when the signal arrives (tens of seconds of work). */
const ROWS = 60_000

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pd-signals-'))
})
afterEach(() => rm(dir, { recursive: true, force: true }))

/** Runs the CLI, sends `signal` once it is scoring, and waits for it to end. */
function runUntilSignalled(
  cwd: string,
  signal: NodeJS.Signals
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'eval', '--json', 'report.json'], {
      cwd,
      env: { ...process.env, PROMPT_DESCENT_RELAUNCH: '0' },
      stdio: ['ignore', 'ignore', 'pipe']
    })
    let stderr = ''
    let sent = false
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8')
      // A CI log (a pipe) shows no progress line in a run's first seconds: signal a moment after
      // scoring starts instead.
      if (!sent && /triage: scoring \S+ examples/.test(stderr)) {
        sent = true
        setTimeout(() => child.kill(signal), 500)
      }
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stderr }))
  })
}

describe('signals during a CPU-bound run', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s stops a simulated eval with no I/O, keeping what was scored',
    async (signal) => {
      const repo = await writeDemoRepository(join(dir, 'repo'), { seed: 7, rows: 120 })
      const config = await readFile(repo.configPath, 'utf8')
      await writeFile(repo.configPath, `${config}cache: { enabled: false }\n`)
      // The demo's rows, repeated under new ids: a big dataset without generating one.
      const data = join(dir, 'repo', 'evals', 'triage.jsonl')
      const rows = (await readFile(data, 'utf8'))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>)
      const many = Array.from({ length: ROWS }, (_, i) =>
        JSON.stringify({ ...rows[i % rows.length], id: `r${i}` })
      )
      await writeFile(data, `${many.join('\n')}\n`)
      const { code, stderr } = await runUntilSignalled(join(dir, 'repo'), signal)
      expect(stderr).toContain('interrupted: stopping after the calls in flight')
      expect(code, stderr).toBe(3)
      const text = await readFile(join(dir, 'repo', 'report.json'), 'utf8')
      const report = parseReport(text, 'report.json')
      expect(report.stop.reason).toBe('cancelled')
      const scored = report.tasks[0]?.examples.length ?? 0
      expect(scored).toBeGreaterThan(0)
      expect(scored).toBeLessThan(ROWS)
    }
  )
})
