/**
 * What an APO run costs in calls, before it starts (`--estimate`). Upper bounds: cache hits, early
 * stops, rejected candidates and zero-error minibatches only make a run cheaper.
 *
 * Per round with P parents (1 in round 1, then up to `beam`):
 *   target    = P × minibatch + selectionBudget
 *   optimizer = P × (G critiques + G·c rewrites + G·c·p paraphrases)
 * with G = errorGroups, c = critiques per group (1), p = paraphrases. Round 0 scores the starting
 * prompt on min(dev, minibatch) dev examples once.
 */
import type { ApoConfig } from '../../config/types.js'

export interface CallEstimate {
  targetCalls: number
  optimizerCalls: number
}

export interface ApoRunEstimate extends CallEstimate {
  /** Round 0: the starting prompt on the dev baseline. */
  baseline: CallEstimate
  /** Rounds 1 … rounds. */
  perRound: CallEstimate[]
}

export interface EstimateSizes {
  /** Train examples (caps the minibatch). */
  train?: number
  /** Dev examples (caps the baseline and what selection can spend: arms × dev). */
  dev?: number
  /** Critiques per error group; default 1. */
  critiquesPerGroup?: number
}

/** Optimizer calls one parent costs: its critiques, their rewrites and the rewrites' paraphrases. */
export function optimizerCallsPerParent(config: ApoConfig, critiquesPerGroup = 1): number {
  const rewrites = config.errorGroups * critiquesPerGroup
  return config.errorGroups + rewrites + rewrites * config.paraphrases
}

/** Calls of one round with `parents` beam prompts (default: a full beam). */
export function estimateApoRound(
  config: ApoConfig,
  parents = config.beam,
  sizes: EstimateSizes = {}
): CallEstimate {
  const minibatch = Math.min(config.minibatch, sizes.train ?? Infinity)
  const successors = Math.min(
    config.successorsPerParent,
    config.errorGroups * (sizes.critiquesPerGroup ?? 1) * (1 + config.paraphrases)
  )
  const arms = parents * (1 + successors)
  const selection = Math.min(config.selectionBudget, arms * (sizes.dev ?? Infinity))
  return {
    targetCalls: parents * minibatch + selection,
    optimizerCalls: parents * optimizerCallsPerParent(config, sizes.critiquesPerGroup ?? 1)
  }
}

/** Calls of a whole run: round 0, then `rounds` rounds (one parent in round 1, the beam after). */
export function estimateApoRun(config: ApoConfig, sizes: EstimateSizes = {}): ApoRunEstimate {
  const baseline: CallEstimate = {
    targetCalls: Math.min(config.minibatch, sizes.dev ?? Infinity),
    optimizerCalls: 0
  }
  const perRound: CallEstimate[] = []
  let parents = 1
  for (let r = 1; r <= config.rounds; r++) {
    perRound.push(estimateApoRound(config, parents, sizes))
    // The beam after a round holds at most the arms that competed in it.
    const successors = Math.min(
      config.successorsPerParent,
      config.errorGroups * (sizes.critiquesPerGroup ?? 1) * (1 + config.paraphrases)
    )
    parents = Math.min(config.beam, parents * (1 + successors))
  }
  return {
    baseline,
    perRound,
    targetCalls: perRound.reduce((s, e) => s + e.targetCalls, baseline.targetCalls),
    optimizerCalls: perRound.reduce((s, e) => s + e.optimizerCalls, 0)
  }
}
