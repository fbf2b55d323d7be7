/**
 * What a MetaSPO run costs in calls, before it starts (`--estimate`). Upper bounds: cache hits,
 * rejected candidates, tasks without wrong examples, budget stops and racing only make it cheaper.
 *
 * With T tasks of N_t train examples, m = userCandidates, k = userTopK, S = systemCandidates and
 * b_i = min(k, 1 + i·m) kept user prompts per task after the inner loop of iteration i:
 *   start      target = Σ_t N_t
 *   iteration  target = Σ_t m·N_t (inner) + S · Σ_t b_i·N_t (outer, full scoring)
 *              optimizer = 2·T·m (inner: analysis + rewrite) + 2·S (outer)
 * E.g. the paper's defaults on 4 tasks of 50: 600 + 5,400 target and 42 optimizer calls per
 * iteration, the figures of the reference.
 */
import type { MetaspoConfig } from '../../config/types.js'

export interface MetaspoIterationEstimate {
  iteration: number
  innerTarget: number
  /** Full scoring of every system candidate; racing spends less (see MetaspoResult.racing). */
  outerTarget: number
  targetCalls: number
  innerOptimizer: number
  outerOptimizer: number
  optimizerCalls: number
}

export interface MetaspoEstimate {
  initialTarget: number
  perIteration: MetaspoIterationEstimate[]
  targetCalls: number
  optimizerCalls: number
}

/** Calls of a MetaSPO run; `trainSizes` gives each task's train examples (after any limit). */
export function estimateMetaspoCalls(
  config: MetaspoConfig,
  tasks: readonly string[],
  trainSizes: Readonly<Record<string, number>>
): MetaspoEstimate {
  const sizes = tasks.map((t) => Math.max(0, Math.floor(trainSizes[t] ?? 0)))
  const total = sizes.reduce((a, b) => a + b, 0)
  const m = Math.max(0, config.userCandidates)
  const k = Math.max(1, config.userTopK)
  const S = Math.max(0, config.systemCandidates)
  const perIteration: MetaspoIterationEstimate[] = []
  let kept = 1
  for (let i = 1; i <= config.iterations; i++) {
    kept = Math.min(k, kept + m)
    const innerTarget = m * total
    const outerTarget = S * kept * total
    const innerOptimizer = 2 * tasks.length * m
    const outerOptimizer = 2 * S
    perIteration.push({
      iteration: i,
      innerTarget,
      outerTarget,
      targetCalls: innerTarget + outerTarget,
      innerOptimizer,
      outerOptimizer,
      optimizerCalls: innerOptimizer + outerOptimizer
    })
  }
  return {
    initialTarget: total,
    perIteration,
    targetCalls: perIteration.reduce((s, e) => s + e.targetCalls, total),
    optimizerCalls: perIteration.reduce((s, e) => s + e.optimizerCalls, 0)
  }
}

/** Target calls of the unseen-task comparison: 2 system prompts × user prompts × examples. */
export function estimateUnseenCalls(
  userPromptsPerTask: number,
  splitSizes: Readonly<Record<string, number>>
): number {
  return Object.values(splitSizes).reduce((s, n) => s + 2 * userPromptsPerTask * n, 0)
}
