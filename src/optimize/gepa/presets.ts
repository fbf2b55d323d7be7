/**
 * GEPA's presets and per-iteration bounds, shared by the loop and its estimate.
 */
import type { GepaPreset } from '../../config/types.js'

/** Candidates that get a full dev pass, per preset. */
export function presetDevPasses(preset: GepaPreset): number {
  switch (preset) {
    case 'light':
      return 6
    case 'medium':
      return 12
    case 'heavy':
      return 18
  }
}

/**
 * Dev passes a run may pay for. Without `optimize.gepa.max_calls` the preset's count. With it, the
 * cap is the budget: as many dev passes as it could pay for beyond the seed's (at least the
 * preset's). Why: measured on the simulated triage task, the preset's passes and their iteration
 * allowance ended GEPA at about 1,000 target calls whatever the cap, so a cap of 25, 50 or 100 % of
 * APO's calls bought nothing; a cap the user set is the budget they mean to spend, as
 * `max_metric_calls` is in the reference. The iteration check still stops before any overshoot.
 */
export function devPassCap(preset: GepaPreset, maxCalls: number | undefined, dev: number): number {
  const passes = presetDevPasses(preset)
  if (maxCalls === undefined) return passes
  return Math.max(passes, Math.floor((maxCalls - dev) / Math.max(1, dev)))
}

/** Iterations allowed per dev pass of the preset (rejected proposals are cheap but not free). */
export const GEPA_ITERATIONS_PER_PASS = 6

/** The most target calls one iteration can cost: minibatch and confirmation for both, a dev pass. */
export function iterationWorstCase(minibatch: number, confirm: number, dev: number): number {
  return 2 * minibatch + 2 * confirm + dev
}
