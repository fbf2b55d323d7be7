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

/** Iterations allowed per dev pass of the preset (rejected proposals are cheap but not free). */
export const GEPA_ITERATIONS_PER_PASS = 6

/** The most target calls one iteration can cost: minibatch and confirmation for both, a dev pass. */
export function iterationWorstCase(minibatch: number, confirm: number, dev: number): number {
  return 2 * minibatch + 2 * confirm + dev
}
