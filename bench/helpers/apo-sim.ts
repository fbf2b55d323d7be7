/**
 * APO on the simulated provider through the run layer (openSession → runApoOptimization), as the
 * CLI runs it: a demo repository written to a temp directory, the config changed in memory per
 * variant, no response cache (so the ledger counts every call the run makes).
 */
import { performance } from 'node:perf_hooks'
import type { LoadedProject } from '../../src/config/project-types.js'
import type { ApoConfig, BudgetConfig, Config } from '../../src/config/types.js'
import type { ApoResult } from '../../src/optimize/apo/types.js'
import type { RunReport, TaskComparison } from '../../src/report/types.js'
import { runApoOptimization, type ApoRunOutcome } from '../../src/run/optimize-apo.js'
import { withSeed, withSession } from './session.js'

/** What one APO run measured. */
export interface ApoMeasure {
  report: RunReport
  result: ApoResult
  comparison: TaskComparison | undefined
  /** Test accuracy of the starting and the best prompt (null when not scored). */
  before: number | null
  after: number | null
  /** Selection evaluations counted against the bandit budget, over all rounds. */
  selectionEvaluations: number
  /** Target calls the selection steps actually made (re-read dev scores cost nothing). */
  selectionCalls: number
  /** Target calls of the minibatch expansions. */
  expansionCalls: number
  wallMs: number
}

/** Runs APO once on `project` with these APO settings and budget caps (seeded throughout). */
export async function runApoMeasure(
  project: LoadedProject,
  seed: number,
  apo: Partial<ApoConfig>,
  budget: Partial<BudgetConfig> = {}
): Promise<ApoMeasure> {
  const config = (c: Config): Config => {
    const seeded = withSeed(c, seed)
    return {
      ...seeded,
      optimize: { ...seeded.optimize, apo: { ...seeded.optimize.apo, ...apo } }
    }
  }
  return withSession(project, { config, budget }, async (session) => {
    const started = performance.now()
    const outcome = await runApoOptimization(session, { task: undefined, edit: 'user', seed })
    return measureApo(outcome, performance.now() - started)
  })
}

/** The figures of an APO run: test before/after and where the target calls went. */
export function measureApo(outcome: ApoRunOutcome, wallMs: number): ApoMeasure {
  const { result } = outcome
  const expansionCalls = result.details.expansions.reduce((s, x) => s + x.minibatch, 0)
  // Round 0 scores the start on dev; every later round is expansion minibatches + selection.
  const searchCalls = result.rounds
    .filter((r) => r.round > 0)
    .reduce((s, r) => s + r.targetCalls, 0)
  return {
    report: outcome.report,
    result,
    comparison: outcome.comparison,
    before: outcome.comparison?.base.value ?? null,
    after: outcome.comparison?.head.value ?? null,
    selectionEvaluations: result.details.selections.reduce((s, x) => s + x.spent, 0),
    selectionCalls: searchCalls - expansionCalls,
    expansionCalls,
    wallMs
  }
}
