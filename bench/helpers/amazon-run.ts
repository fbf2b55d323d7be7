/**
 * The Amazon pipeline run of the MetaSPO benchmark: the temp repository (MetaSPO's split), the fake
 * server, one MetaSPO run through the run layer and the real openai SDK, and what it measured.
 */
import { performance } from 'node:perf_hooks'
import { loadProject } from '../../src/config/load-project.js'
import type { LedgerSnapshot } from '../../src/llm/ledger-types.js'
import { runMetaspoOptimization, type MetaspoRunOutcome } from '../../src/run/optimize-metaspo.js'
import type { FakeStats } from '../../tests/helpers/fake-openai-server.js'
import { amazonTarget, loadAmazon, writeAmazonRepo, type AmazonRepo } from './amazon.js'
import { startBenchProvider } from './fake-provider.js'
import { reportFacts, type ReportFacts } from './report-facts.js'
import { withSession } from './session.js'

export interface AmazonOutcome extends MetaspoRunOutcome {
  repo: Omit<AmazonRepo, 'remove'>
  /** Rows in each source file before MetaSPO's indices picked from it. */
  available: { train: number; test: number }
  ledger: LedgerSnapshot
  server: FakeStats
  wallMs: number
  facts: ReportFacts
  latencyMs: number
}

/** Runs MetaSPO on the Amazon domain against the fake server; undefined when the data is absent. */
export async function runAmazonPipeline(options: {
  seed: number
  testLimit?: number
}): Promise<AmazonOutcome | undefined> {
  const tasks = await loadAmazon()
  if (tasks === undefined) return undefined
  const provider = await startBenchProvider({ target: amazonTarget, seed: options.seed })
  const repo = await writeAmazonRepo(tasks, provider, {
    seed: options.seed,
    testLimit: options.testLimit
  })
  try {
    const project = await loadProject(repo.configPath)
    const started = performance.now()
    const { outcome, ledger } = await withSession(project, { env: provider.env }, async (s) => ({
      outcome: await runMetaspoOptimization(s, {
        holdout: undefined,
        seed: options.seed,
        tasks: []
      }),
      ledger: s.usage()
    }))
    const wallMs = performance.now() - started
    const { remove: _remove, ...written } = repo
    return {
      ...outcome,
      repo: written,
      available: tasks[0]?.available ?? { train: 0, test: 0 },
      ledger,
      server: { ...provider.server.stats },
      wallMs,
      facts: reportFacts(outcome.report),
      latencyMs: provider.latencyMs
    }
  } finally {
    await provider.close()
    await repo.remove()
  }
}
