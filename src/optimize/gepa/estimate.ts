/**
 * GEPA's cost in calls, before a run (an upper bound) and after one (exact, from its ledger).
 *
 * With V Pareto dev rows, minibatch b, confirmation c, T iterations of which P proposed a candidate
 * that passed the guard, G passed the minibatch gate and A were admitted (A ≤ the dev passes: the
 * preset's, or what optimize.gepa.max_calls can pay for), and u the parent rows the memo did not know (u ≤ T·b + G·c):
 *
 *   target calls    R = V + u + P·b + G·c + A·V
 *   optimizer calls O = reflections = T − (iterations whose minibatch the parent solved)
 *
 * The upper bound takes every iteration at its worst, 2b + 2c + V, and stops at the dev passes
 * or iteration cap, or at optimize.gepa.max_calls, whichever comes first.
 */
import type { GepaConfig } from '../../config/types.js'
import { devPassCap, GEPA_ITERATIONS_PER_PASS } from './presets.js'
import type { GepaLedger } from './types.js'

export interface GepaRunEstimate {
  dev: number
  devPasses: number
  iterations: number
  targetCalls: number
  optimizerCalls: number
  formula: string
}

export function estimateGepaRun(
  config: GepaConfig,
  sizes: { train: number; dev: number }
): GepaRunEstimate {
  const V = Math.min(config.devRows, sizes.dev)
  const b = Math.min(config.minibatch, sizes.train)
  const c = Math.min(config.confirm, Math.max(0, sizes.train - b))
  const passes = devPassCap(config.preset, config.maxCalls, V)
  const iterations = passes * GEPA_ITERATIONS_PER_PASS
  // Rejected iterations cost at most 2b + 2c; admitted ones add V.
  let target = V + iterations * (2 * b + 2 * c) + passes * V
  if (config.maxCalls !== undefined) target = Math.min(target, config.maxCalls)
  return {
    dev: V,
    devPasses: passes,
    iterations,
    targetCalls: target,
    optimizerCalls: iterations,
    formula: `≤ V + T·(2b + 2c) + A·V = ${V} + ${iterations}·${2 * b + 2 * c} + ${passes}·${V} target calls${config.maxCalls === undefined ? '' : ` (capped at ${config.maxCalls})`}, ≤ ${iterations} optimizer calls`
  }
}

/**
 * The exact target calls of a finished run from its event counts (the formula above). Equal to the
 * ledger's `targetCalls` by construction of the loop; tests check it against the calls a counting
 * score function saw.
 */
export function gepaTargetCalls(
  counts: { V: number; b: number; c: number; proposed: number; gated: number; admitted: number },
  ledger: Pick<GepaLedger, 'parentMinibatch' | 'confirmParent'>
): number {
  const u = ledger.parentMinibatch + ledger.confirmParent
  return (
    counts.V + u + counts.proposed * counts.b + counts.gated * counts.c + counts.admitted * counts.V
  )
}
