/**
 * MetaSPO on the simulated review family through the run layer (runMetaspoOptimization), plus
 * test-time adaptation on the unseen tasks (compareTestTimeAdaptation with the session's models and
 * score functions), each in its own uncached session.
 */
import { performance } from 'node:perf_hooks'
import type { LoadedProject, LoadedTask } from '../../src/config/project-types.js'
import type { ApoConfig, Config, MetaspoConfig } from '../../src/config/types.js'
import {
  compareTestTimeAdaptation,
  type AdaptationComparison
} from '../../src/optimize/metaspo/transfer.js'
import { runMetaspoOptimization, type MetaspoRunOutcome } from '../../src/run/optimize-metaspo.js'
import { createScoreFn } from '../../src/run/score-fn.js'
import type { LedgerSnapshot } from '../../src/llm/ledger-types.js'
import { withSeed, withSession } from './session.js'

export interface MetaspoMeasure extends MetaspoRunOutcome {
  ledger: LedgerSnapshot
  wallMs: number
}

/** One MetaSPO run (meta-training, source-task test comparison, unseen tasks) on `project`. */
export async function runMetaspoOnce(
  project: LoadedProject,
  seed: number,
  metaspo: Partial<MetaspoConfig>
): Promise<MetaspoMeasure> {
  const config = (c: Config): Config => {
    const seeded = withSeed(c, seed)
    return {
      ...seeded,
      optimize: { ...seeded.optimize, metaspo: { ...seeded.optimize.metaspo, ...metaspo } }
    }
  }
  return withSession(project, { config }, async (session) => {
    const started = performance.now()
    const outcome = await runMetaspoOptimization(session, { holdout: undefined, seed, tasks: [] })
    return { ...outcome, ledger: session.usage(), wallMs: performance.now() - started }
  })
}

/**
 * Test-time adaptation (APO on the user prompt, the repository's APO settings changed by `apo`) on
 * `task` under the default and under the optimized system prompt.
 */
export async function adaptOnce(
  project: LoadedProject,
  seed: number,
  task: string,
  systems: { default: string; optimized: string },
  apo: Partial<ApoConfig>
): Promise<AdaptationComparison> {
  return withSession(project, { config: (c) => withSeed(c, seed) }, async (session) => {
    const loaded = session.project.tasks.find((t) => t.name === task) as LoadedTask
    return compareTestTimeAdaptation({
      task: loaded,
      systems,
      config: { ...session.project.config.optimize.apo, ...apo },
      optimizer: session.models.optimizer,
      score: createScoreFn(session, loaded),
      seed,
      signal: session.signal
    })
  })
}
