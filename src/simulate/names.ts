/**
 * Model names the simulation reports in calls. They equal the names src/config/normalize.ts fills
 * in for `provider: { type: simulated }` when the config names none, so reports agree.
 */
export const SIMULATED_MODEL_NAMES = {
  target: 'sim-target',
  optimizer: 'sim-optimizer',
  judge: 'sim-judge'
} as const
