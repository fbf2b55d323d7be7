/**
 * The papers' real datasets — LIAR and ETHOS, ProTeGi's benchmarks — through the CLI and the real
 * openai SDK against the fake server: `eval` and a small `optimize --method gepa` on each, checking
 * the requests' format and that the call counts equal the formula. No claim about quality: the
 * fake target answers by a hash of the request, the optimizer is the simulated one.
 *
 * The data is read from ../shared/data (never copied into the repository); without it the tests
 * skip, saying so. PD_SHARED_DATA points elsewhere.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunReport } from '../../src/report/types.js'
import { sha256 } from '../../src/util/hash.js'
import { createRandom } from '../../src/util/random.js'
import { startFakeOpenAI } from '../helpers/fake-openai-server.js'
import type { FakeChatBody, FakeOpenAI, FakeRecord } from '../helpers/fake-openai-server.js'
import {
  ETHOS_PROMPT,
  ETHOS_TEST_ROWS,
  LIAR_PROMPT,
  readEthos,
  readLiar,
  sharedDataPath,
  writePaperRepo
} from '../helpers/paper-data.js'
import type { PaperData, PaperRepo } from '../helpers/paper-data.js'
import { KEY_ENV, TEST_KEY, runCli, simulatedReply } from './fixture.js'
import { expectGepaCallsMatchFormula, gepaDetails } from './gepa-calls.js'

const TARGET = 'paper-target'
const OPTIMIZER = 'sim-optimizer'
const GEPA = { preset: 'light', minibatch: 3, confirm: 2, dev_rows: 20 }
const DEV_ROWS = 40

/** A deterministic stand-in for a model on any binary task: a hash of the request picks the label. */
function hashAnswer(body: FakeChatBody): string {
  const label = Number.parseInt(sha256(JSON.stringify(body.messages)).slice(0, 8), 16) % 2
  return `Weighing the wording of the text.\n<answer>${label}</answer>`
}

const liarDir = sharedDataPath('protegi/liar')
const ethosDir = sharedDataPath('protegi/ethos')
const datasets: Array<{
  name: string
  dir: string
  prompt: string
  data: PaperData | undefined
  sizes: { train: number; test: number }
}> = [
  {
    name: 'liar',
    dir: liarDir,
    prompt: LIAR_PROMPT,
    data: await readLiar(liarDir),
    sizes: { train: 3_681, test: 461 }
  },
  {
    name: 'ethos',
    dir: ethosDir,
    prompt: ETHOS_PROMPT,
    data: await readEthos(ethosDir),
    sizes: { train: 640 - ETHOS_TEST_ROWS, test: ETHOS_TEST_ROWS }
  }
]

for (const dataset of datasets) {
  const { name, data } = dataset
  if (data === undefined) {
    console.warn(`${name}: skipped — the papers' data is not at ${dataset.dir}`)
  }

  describe.skipIf(data === undefined)(`${name} (the paper's data) through the CLI`, () => {
    let server: FakeOpenAI
    let repo: PaperRepo

    beforeAll(async () => {
      server = await startFakeOpenAI({
        apiKey: TEST_KEY,
        respond: (body) => (body.model === TARGET ? hashAnswer(body) : simulatedReply(body))
      })
      const train = data?.train ?? []
      repo = await writePaperRepo(data ?? { train: [], test: [] }, {
        name,
        prompt: dataset.prompt,
        devRows: new Set(
          createRandom(`${name}-dev`).sample(
            train.map((_, i) => i),
            DEV_ROWS
          )
        ),
        config: {
          provider: {
            type: 'openai',
            base_url: server.url,
            api_key_env: KEY_ENV,
            concurrency: 16,
            timeout_ms: 10_000,
            max_retries: 0
          },
          models: { target: TARGET, optimizer: OPTIMIZER, judge: TARGET },
          seed: 5,
          optimize: { method: 'gepa', gepa: GEPA },
          cache: { enabled: false }
        }
      })
    })
    afterAll(async () => {
      await server.close()
      await repo.remove()
    })

    it('reads the published sizes and labels', () => {
      expect(data?.train.length).toBe(dataset.sizes.train)
      expect(data?.test.length).toBe(dataset.sizes.test)
      const labels = new Set([...(data?.train ?? []), ...(data?.test ?? [])].map((r) => r.label))
      expect([...labels].sort()).toEqual([0, 1])
      expect(repo.sizes).toEqual({
        train: dataset.sizes.train - DEV_ROWS,
        dev: DEV_ROWS,
        test: dataset.sizes.test
      })
    })

    /** Runs the CLI, which must succeed; the requests it made and the JSON report it wrote. */
    async function run(argv: string[]): Promise<{ requests: FakeRecord[]; report: RunReport }> {
      const before = server.record.length
      const r = await runCli([...argv, '--json', 'report.json'], { cwd: repo.root })
      expect(r.code, r.stderr).toBe(0)
      const report = JSON.parse(await readFile(join(repo.root, 'report.json'), 'utf8')) as RunReport
      return { requests: server.record.slice(before), report }
    }

    it('eval sends one request per test row, the row rendered into the prompt', async () => {
      const { requests, report } = await run(['eval', '--split', 'test'])
      const test = repo.rows.filter((row) => row.split === 'test')
      expect(requests).toHaveLength(test.length)
      for (const request of requests) {
        expect(request.model).toBe(TARGET)
        expect(request.body?.temperature).toBe(0)
        expect(request.messages.map((m) => m.role)).toEqual(['user'])
      }
      const sent = requests.map((q) => q.messages[0]?.content ?? '').sort()
      // The prompt file as written (with its final newline), the slot filled with the row's text.
      const rendered = test.map((row) => `${dataset.prompt}\n`.replace('{{text}}', row.text)).sort()
      expect(sent).toEqual(rendered)
      expect(report.tasks.map((t) => [t.task, t.n, t.failed])).toEqual([[name, test.length, 0]])
      expect(report.ledger.byRole.target.calls).toBe(test.length)
    })

    it('optimize --method gepa makes the calls of its formula, reflections of rows of this data', async () => {
      const { requests, report } = await run(['optimize', '--method', 'gepa'])
      expectGepaCallsMatchFormula(report, requests, { target: TARGET, optimizer: OPTIMIZER })

      // The reflections show the train rows of the minibatch, as the target received them.
      const d = gepaDetails(report)
      const byId = new Map(repo.rows.map((row) => [row.id, row]))
      const proposals = d.nodes.filter((n) => n.parentId !== null)
      const reflections = requests.filter((q) => q.model === OPTIMIZER)
      expect(reflections.length).toBeGreaterThan(0)
      reflections.forEach((q, i) => {
        const node = proposals[i]
        const content = q.messages[0]?.content ?? ''
        for (const id of node?.minibatch ?? []) {
          const row = byId.get(id)
          expect(row?.split).toBe('train')
          // clipped when long: the row's first 200 characters are there
          expect(content).toContain(row?.text.slice(0, 200) ?? '\u0000')
        }
        expect(content).toContain('<new_prompt></new_prompt>')
      })
      expect(d.devRows.every((id) => byId.get(id)?.split === 'dev')).toBe(true)

      // --estimate, made without a call, bounds what the run spent.
      const served = server.record.length
      const estimate = await runCli(['optimize', '--method', 'gepa', '--estimate'], {
        cwd: repo.root
      })
      expect(estimate.code, estimate.stderr).toBe(0)
      expect(server.record).toHaveLength(served)
      const test = dataset.sizes.test
      expect(estimate.stdout).toContain(
        `GEPA on ${name}: at most 36 iterations, 6 dev passes over 20 rows; ≤ V + T·(2b + 2c) + A·V = 20 + 36·10 + 6·20 target calls, ≤ 36 optimizer calls; test comparison ${2 * test} target calls`
      )
      expect(d.ledger.targetCalls).toBeLessThanOrEqual(20 + 36 * 10 + 6 * 20)
      expect(d.ledger.optimizerCalls).toBeLessThanOrEqual(36)
      expect(report.optimization?.testComparison[0]?.n).toBe(dataset.sizes.test)
    })
  })
}
