/**
 * A provider that refuses during `optimize` (a 401 on the first call, a 404 once the run is under
 * way) ends every method with the reports that were asked for: the stop reason with the HTTP status,
 * the clear message, and what was scored before it; exit 3, no stack trace, no key.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { OPTIMIZE_METHODS } from '../../src/config/methods.js'
import { parseReport } from '../../src/report/json.js'
import { FakeHttpError, startFakeOpenAI } from '../helpers/fake-openai-server.js'
import type { FakeOpenAI } from '../helpers/fake-openai-server.js'
import { xmlProblems } from '../report/xml-check.js'
import { TEST_KEY, makeRepo, runCli, simulatedReply } from './fixture.js'
import type { TestRepo } from './fixture.js'

let server: FakeOpenAI | undefined
let repo: TestRepo | undefined

afterEach(async () => {
  await server?.close()
  await repo?.remove()
  server = undefined
  repo = undefined
})

/** Small searches, so a run that is not stopped would take a moment. */
const SMALL = {
  optimize: {
    seed: 3,
    apo: { rounds: 2, beam: 2, minibatch: 8, selection_budget: 24, paraphrases: 1 },
    gepa: { max_calls: 400, minibatch: 4 },
    metaspo: { iterations: 1, user_candidates: 2, user_top_k: 1, system_candidates: 2 }
  }
}

const FAULTS = [
  {
    status: 401,
    // Every call is refused: nothing is scored.
    after: 0,
    text: 'Incorrect API key provided',
    expect: /401.*check the API key/
  },
  {
    status: 404,
    // The first 12 calls are answered: the run is under way when the model disappears.
    after: 12,
    text: 'The model does not exist',
    expect: /404: The model does not exist — check the model name/
  }
] as const

const REPORT_FLAGS = ['--json', 'out/r.json', '--markdown', 'out/r.md', '--junit', 'out/j.xml']

describe('optimize after a fatal provider error', () => {
  for (const method of OPTIMIZE_METHODS) {
    for (const fault of FAULTS) {
      it(`${method}: a ${fault.status} writes every report asked for, with the stop and what was scored`, async () => {
        server = await startFakeOpenAI({
          apiKey: TEST_KEY,
          respond: (body, context) => {
            if (context.index >= fault.after) throw new FakeHttpError(fault.status, fault.text)
            return simulatedReply(body)
          }
        })
        repo = await makeRepo(server.url, {
          rows: 30,
          provider: { concurrency: 1, max_retries: 1 },
          config: SMALL
        })
        const result = await runCli(['optimize', '--method', method, ...REPORT_FLAGS], {
          cwd: repo.root
        })
        expect(result.code, result.stderr).toBe(3)
        // The clear message, once, without a stack trace.
        expect(result.stdout + result.stderr).toMatch(fault.expect)
        expect(result.stderr).not.toMatch(/\n\s+at /)
        expect(result.stderr).toMatch(/wrote out\/r\.json/)
        // The terminal says what was not done and why, not an empty table or "found nothing".
        expect(result.stdout).toContain(
          'held-out test split:\n  not scored: the run stopped first (provider error)'
        )
        expect(result.stderr).toContain(
          'the run stopped (provider error) before it found a better prompt; nothing to write'
        )
        expect(result.stderr).not.toMatch(/\b1 iterations\b/)

        const report = parseReport(await readFile(join(repo.root, 'out/r.json'), 'utf8'))
        expect(report.kind).toBe('optimize')
        expect(report.stop).toMatchObject({ reason: 'provider-error', status: fault.status })
        expect(report.stop.message).toMatch(fault.expect)
        // What was scored before the refusal is in the report: the answered calls, and for a
        // run under way the optimizer's record of them.
        // (the ledger also counts the refused attempts, so at least the answered ones).
        expect(report.ledger.total.calls).toBeGreaterThanOrEqual(fault.after)
        expect(report.ledger.total.calls).toBeLessThanOrEqual(server.stats.requests)
        if (fault.after > 0) {
          expect(report.optimization?.method).toBe(method)
          expect(report.optimization?.candidates.length).toBeGreaterThan(0)
        }
        const markdown = await readFile(join(repo.root, 'out/r.md'), 'utf8')
        expect(markdown).toMatch(/Stopped early \(provider error\)/)
        // The held-out section says nothing was scored and why, not "No tasks were compared".
        expect(markdown).not.toContain('No tasks were compared')
        const notScored = markdown
          .split('\n')
          .find((l) =>
            l.startsWith(
              '_Nothing was scored on the held-out test split: the run stopped first (provider error: '
            )
          )
        expect(notScored, markdown).toMatch(fault.expect)
        const junit = await readFile(join(repo.root, 'out/j.xml'), 'utf8')
        expect(xmlProblems(junit)).toEqual([])
        expect(junit).toContain('stopped:provider-error')
        expect(result.stdout + result.stderr + markdown + junit).not.toContain(TEST_KEY)
      })
    }
  }
})
