/**
 * One look of the sequential gate: the anytime-valid betting test (sequential-test.ts) decides in
 * both directions; when it has not settled, the non-binding futility stop (futility.ts) may settle
 * "not regressed" — never "regressed", which stays the betting test's alone.
 */
import { futilityStop } from './futility.js'
import { sequentialTest } from './sequential-test.js'
import type { SequentialDecision } from './sequential-test.js'

/** Which rule settled a look: the betting test, futility (a small chance) or curtailment (certain). */
export type SequentialRule = 'confidence-sequence' | 'futility' | 'curtailment'

export interface SequentialLookInput {
  /** Paired differences head − base scored so far, in the order drawn, each in [−1, 1]. */
  differences: readonly number[]
  /** Paired rows not scored yet. */
  remaining: number
  maxDrop: number
  confidence: number
}

export type SequentialLook =
  | { decision: 'undecided' }
  | { decision: Exclude<SequentialDecision, 'undecided'>; rule: 'confidence-sequence' }
  | { decision: 'not-regressed'; rule: 'curtailment' }
  | { decision: 'not-regressed'; rule: 'futility'; chance: number }

/** The decision at one look, and the rule that took it. */
export function sequentialLook(input: SequentialLookInput): SequentialLook {
  const { differences, maxDrop, confidence } = input
  const { decision } = sequentialTest({ differences, maxDrop, confidence })
  if (decision !== 'undecided') return { decision, rule: 'confidence-sequence' }
  const stop = futilityStop(input)
  if (stop === undefined) return { decision: 'undecided' }
  return { decision: 'not-regressed', ...stop }
}
