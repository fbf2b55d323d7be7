/**
 * GEPA on the shared system prompt of the simulated review family through the run layer
 * (runGepaSharedOptimization, as `optimize --method gepa --prompt system` runs it), in its own
 * uncached session: the search, the source tasks' test comparison and the unseen tasks.
 */
import { performance } from 'node:perf_hooks'
import type { LoadedProject } from '../../src/config/project-types.js'
import type { Config, GepaConfig } from '../../src/config/types.js'
import type { LedgerSnapshot } from '../../src/llm/ledger-types.js'
import {
  runGepaSharedOptimization,
  type GepaSharedRunOutcome
} from '../../src/run/optimize-gepa-shared.js'
import { withSeed, withSession } from './session.js'

export interface GepaSharedMeasure extends GepaSharedRunOutcome {
  ledger: LedgerSnapshot
  wallMs: number
}

export async function runGepaSharedOnce(
  project: LoadedProject,
  seed: number,
  gepa: Partial<GepaConfig>
): Promise<GepaSharedMeasure> {
  const config = (c: Config): Config => {
    const seeded = withSeed(c, seed)
    return {
      ...seeded,
      optimize: { ...seeded.optimize, gepa: { ...seeded.optimize.gepa, ...gepa } }
    }
  }
  return withSession(project, { config }, async (session) => {
    const started = performance.now()
    const outcome = await runGepaSharedOptimization(session, {
      holdout: undefined,
      tasks: [],
      seed
    })
    return { ...outcome, ledger: session.usage(), wallMs: performance.now() - started }
  })
}
