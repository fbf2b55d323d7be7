/**
 * The LIAR pipeline run of the APO benchmark: the temp repository, the fake server, one APO run
 * through the run layer and the real openai SDK, and what it measured.
 */
import { performance } from 'node:perf_hooks'
import { loadProject } from '../../src/config/load-project.js'
import type { ApoConfig } from '../../src/config/types.js'
import { runApoOptimization } from '../../src/run/optimize-apo.js'
import { measureApo, type ApoMeasure } from './apo-sim.js'
import { startBenchProvider } from './fake-provider.js'
import type { FakeStats } from '../../tests/helpers/fake-openai-server.js'
import { liarTarget, loadLiar, writeLiarRepo, type LiarRepo } from './liar.js'
import { reportFacts, type ReportFacts } from './report-facts.js'
import { withSession } from './session.js'

export interface LiarOutcome {
  measure: ApoMeasure
  repo: Omit<LiarRepo, 'remove'>
  server: FakeStats
  wallMs: number
  facts: ReportFacts
  /** The APO settings the run used, and the server's latency. */
  apo: ApoConfig
  latencyMs: number
}

/** Runs APO on LIAR against the fake server; undefined when the data is not there. */
export async function runLiarPipeline(options: {
  seed: number
  rounds: number
  dev: number
}): Promise<LiarOutcome | undefined> {
  const data = await loadLiar()
  if (data === undefined) return undefined
  const provider = await startBenchProvider({ target: liarTarget, seed: options.seed })
  const repo = await writeLiarRepo(data, provider, {
    dev: options.dev,
    seed: options.seed,
    apo: { rounds: options.rounds, minibatch: 64 }
  })
  try {
    const project = await loadProject(repo.configPath)
    const started = performance.now()
    const outcome = await withSession(project, { env: provider.env }, (session) =>
      runApoOptimization(session, { task: undefined, edit: 'user', seed: options.seed })
    )
    const wallMs = performance.now() - started
    const measure = measureApo(outcome, wallMs)
    const { remove: _remove, ...facts } = repo
    return {
      measure,
      repo: facts,
      server: { ...provider.server.stats },
      wallMs,
      facts: reportFacts(outcome.report),
      apo: project.config.optimize.apo,
      latencyMs: provider.latencyMs
    }
  } finally {
    await provider.close()
    await repo.remove()
  }
}
