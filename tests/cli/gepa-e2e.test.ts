/**
 * `optimize --method gepa` end to end through the CLI: the real openai SDK path against the fake
 * OpenAI-compatible server answering as the simulated target and optimizer. The server records
 * every request, so the reflections' shape and the call counts are checked from outside the loop:
 * what the server saw equals the report's ledger, and both equal GEPA's cost formula.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { GepaNode } from '../../src/optimize/gepa/types.js'
import type { RunReport } from '../../src/report/types.js'
import type { FakeOpenAI, FakeRecord } from '../helpers/fake-openai-server.js'
import { makeRepo, runCli, startSimulatedServer } from './fixture.js'
import { expectGepaCallsMatchFormula, gepaDetails } from './gepa-calls.js'
import type { GepaReportDetails } from './gepa-calls.js'
import type { TestRepo } from './fixture.js'

const GEPA = { preset: 'light', minibatch: 3, confirm: 2, dev_rows: 12 }

let server: FakeOpenAI
let repo: TestRepo
let report: RunReport
let markdown: string
let run: Awaited<ReturnType<typeof runCli>>
/** Requests of this run (the server is the test file's own). */
let requests: FakeRecord[]

beforeAll(async () => {
  server = await startSimulatedServer()
  repo = await makeRepo(server.url, {
    rows: 120,
    config: { optimize: { method: 'gepa', seed: 4, gepa: GEPA }, cache: { enabled: false } }
  })
  run = await runCli(
    [
      'optimize',
      '--method',
      'gepa',
      '--write',
      '--json',
      'out/opt.json',
      '--markdown',
      'out/opt.md'
    ],
    { cwd: repo.root }
  )
  report = JSON.parse(await readFile(join(repo.root, 'out/opt.json'), 'utf8')) as RunReport
  markdown = await readFile(join(repo.root, 'out/opt.md'), 'utf8')
  requests = [...server.record]
})

afterAll(async () => {
  await server.close()
  await repo.remove()
})

function details(): GepaReportDetails {
  return gepaDetails(report)
}

const isReflection = (r: FakeRecord): boolean => r.model === 'sim-optimizer'

describe('optimize --method gepa through the CLI', () => {
  it('runs, writes the best prompt into the prompt file and reports the method', async () => {
    expect(run.code, run.stderr).toBe(0)
    expect(run.stderr).toContain(
      'GEPA on triage (user prompt): preset light, minibatch 3, confirm 2'
    )
    expect(run.stderr).toMatch(/GEPA stopped: (completed|budget) — /)
    expect(report.kind).toBe('optimize')
    const opt = report.optimization
    expect(opt?.method).toBe('gepa')
    const [outcome] = opt?.prompts ?? []
    expect(outcome?.file).toBe('prompts/triage.md')
    const written = await readFile(join(repo.root, 'prompts/triage.md'), 'utf8')
    expect(written.trimEnd()).toBe(outcome?.after.trimEnd())
    // The weak demo prompt gets better, and the best is what the tree marks as proposed.
    expect(outcome?.after).not.toBe(outcome?.before)
    expect(outcome?.after).toContain('{{text}}')
    const best = details().nodes.find((n) => n.id === details().bestId)
    expect(best?.prompt.trimEnd()).toBe(outcome?.after.trimEnd())
  })

  it('sends reflections of the documented shape: the prompt, each minibatch row with feedback, the answer tag', () => {
    const reflections = requests.filter(isReflection)
    expect(reflections.length).toBeGreaterThan(0)
    const proposals = details().nodes.filter((n) => n.parentId !== null)
    expect(reflections).toHaveLength(proposals.length)
    const prompts = new Map(details().nodes.map((n) => [n.id, n.prompt]))
    reflections.forEach((r, i) => {
      const node = proposals[i] as GepaNode
      expect(r.messages.map((m) => m.role)).toEqual(['user'])
      const content = r.messages[0]?.content ?? ''
      expect(content).toContain(`<prompt>\n${prompts.get(node.parentId ?? '') ?? ''}\n</prompt>`)
      const examples = content.match(/<example>[\s\S]*?<\/example>/g) ?? []
      expect(examples).toHaveLength(node.minibatch.length)
      examples.forEach((example, k) => {
        expect(example).toMatch(/<input>[\s\S]+<\/input>\n<output>[\s\S]*<\/output>\n<feedback>/)
        expect(example).toContain(`<feedback>\n${node.feedback[k] ?? ''}\n</feedback>`)
      })
      // Feedback names the labels expected and given, never text to copy.
      for (const line of node.feedback) {
        expect(line).toMatch(
          /^(correct|nothing readable|wrong \(score 0\.00\): expected "(billing|bug|account|other)", got )/
        )
      }
      expect(content).toContain(
        'Answer with the whole new prompt inside <new_prompt></new_prompt>.'
      )
      expect(content).toContain('{{text}}')
    })
  })

  it('makes exactly the calls the formula gives, as the server and the ledger count them', () => {
    const ledger = expectGepaCallsMatchFormula(report, requests, {
      target: 'sim-target',
      optimizer: 'sim-optimizer'
    })
    expect(details().devRows).toHaveLength(12)
    expect(ledger.devPasses).toBeGreaterThan(0)
    expect(report.ledger.byRole.judge.calls).toBe(0)
  })

  it('reports the lineage and the final paired before/after on test, in JSON and Markdown', () => {
    const d = details()
    const [comparison] = report.optimization?.testComparison ?? []
    expect(comparison?.task).toBe('triage')
    expect(comparison?.n).toBe(report.tasks[0]?.n)
    expect(comparison?.delta.low).toBeLessThanOrEqual(comparison?.delta.value ?? NaN)
    expect(comparison?.delta.high).toBeGreaterThanOrEqual(comparison?.delta.value ?? NaN)
    expect(comparison?.head.value).toBeGreaterThan(comparison?.base.value ?? 1)

    // Every candidate but the seed hangs under a parent that exists and came before it.
    const ids = d.nodes.map((n) => n.id)
    expect(d.nodes[0]).toMatchObject({ id: 'g0', parentId: null, outcome: 'seed' })
    for (const n of d.nodes.slice(1)) {
      expect(ids.indexOf(n.parentId ?? '')).toBeGreaterThanOrEqual(0)
      expect(ids.indexOf(n.parentId ?? '')).toBeLessThan(ids.indexOf(n.id))
      expect(n.feedback).toHaveLength(n.minibatch.length)
    }
    expect(d.front.length).toBeGreaterThan(0)
    expect(d.nodes.some((n) => n.outcome === 'admitted')).toBe(true)

    expect(markdown).toContain('#### Candidate tree')
    expect(markdown).toContain(`\`${d.bestId}\` ★`)
    expect(markdown).toContain('#### Pareto front at the end')
    expect(markdown).toContain('Feedback shown to each reflection')
    expect(markdown).toContain(
      `Target calls ${d.ledger.targetCalls}: seed on dev ${d.ledger.seedDev}`
    )
    expect(markdown).toMatch(/\| triage \| \d+ \| [\d.]+% \[[\d.]+, [\d.]+\] \| [\d.]+% \[/)
  })
})

describe('optimize --method gepa under a run budget', () => {
  it('stops before an iteration the budget cannot cover, keeps the best and still compares on test', async () => {
    const capped = await startSimulatedServer()
    const small = await makeRepo(capped.url, {
      rows: 120,
      config: { optimize: { method: 'gepa', seed: 4, gepa: GEPA }, cache: { enabled: false } }
    })
    try {
      const r = await runCli(['optimize', '--max-calls', '150', '--json', 'r.json'], {
        cwd: small.root
      })
      const capReport = JSON.parse(await readFile(join(small.root, 'r.json'), 'utf8')) as RunReport
      expect(capped.stats.requests).toBeLessThanOrEqual(150)
      const d = gepaDetails(capReport)
      expect(capReport.stop.reason).toBe('budget')
      expect(r.code).toBe(3)
      expect(r.stderr).toContain('GEPA stopped: budget — the budget cannot cover another iteration')
      // The search stopped early, the test comparison was still paid for.
      expect(d.ledger.devPasses).toBeLessThan(d.devPassCap)
      const [comparison] = capReport.optimization?.testComparison ?? []
      expect(comparison?.n).toBe(capReport.tasks[0]?.n)
      const best = d.nodes.find((n) => n.id === d.bestId)
      expect(capReport.optimization?.prompts[0]?.after.trimEnd()).toBe(best?.prompt.trimEnd())
    } finally {
      await capped.close()
      await small.remove()
    }
  })
})
