import { FUTILITY_CHANCE } from './futility.js'
import type { SequentialRule } from './sequential-look.js'
import type { SequentialDecision } from './sequential-test.js'
import type { SequentialOutcome } from './types.js'

/** 2000 → "2,000" (the report layer's formatCount, which eval may not import). */
function count(n: number): string {
  return String(Math.round(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

function percent(x: number): string {
  return `${Number((x * 100).toFixed(1))}%`
}

/** "max_drop 0.05", or "the base" for a max_drop of 0 (the default gate). */
function limit(maxDrop: number): string {
  return maxDrop === 0 ? 'the base' : `max_drop ${Number(maxDrop.toFixed(6))}`
}

/** Why every row was scored without looking (gate.sequential: false, or a rule it cannot decide). */
export type SequentialOffReason = 'config' | 'min_score' | 'no_max_drop'

/** Why every row was scored, after "scored all 2,000 rows". */
function offMessage(all: string, reason: SequentialOffReason): string {
  switch (reason) {
    case 'config':
      return `${all} (gate.sequential: false)`
    case 'min_score':
      return `${all}: gate.min_score needs the head's score on every row, so the gate does not stop early`
    case 'no_max_drop':
      return `${all}: the gate has no max_drop to settle early`
  }
}

/** Why a "not regressed" stop was taken, after "stopped after 180 of 500 rows: ". */
function notRegressedReason(rule: SequentialRule, maxDrop: number, at: string): string {
  switch (rule) {
    case 'confidence-sequence':
      return `the head is not worse than ${limit(maxDrop)} at ${at}`
    case 'futility':
      return `scoring the other rows would not make this a regression (< ${percent(FUTILITY_CHANCE)} chance)`
    case 'curtailment':
      return `even if the head lost every other row, it would not be worse than ${limit(maxDrop)}`
  }
}

/**
 * The record of how many rows a comparison needed and why it stopped, with its one line for a
 * person, e.g. "stopped after 340 of 2,000 rows: the head is not worse than max_drop 0.05 at 95%",
 * naming the rule that stopped it (the betting test unless `rule` says futility or curtailment).
 */
export function sequentialOutcome(
  result: {
    decision: SequentialDecision | 'off' | 'interrupted'
    rows: number
    total: number
    rule?: SequentialRule
  },
  gate: { maxDrop: number; confidence: number; off?: SequentialOffReason }
): SequentialOutcome {
  const { rows, total } = result
  const at = percent(gate.confidence)
  const all = `scored all ${count(total)} row${total === 1 ? '' : 's'}`
  const rule = result.rule ?? 'confidence-sequence'
  switch (result.decision) {
    case 'not-regressed':
      return {
        stop: 'not-regressed',
        rule,
        rows,
        total,
        message: `stopped after ${count(rows)} of ${count(total)} rows: ${notRegressedReason(rule, gate.maxDrop, at)}`
      }
    case 'regressed':
      return {
        stop: 'regressed',
        rule: 'confidence-sequence',
        rows,
        total,
        message: `stopped after ${count(rows)} of ${count(total)} rows: the head is worse than ${limit(gate.maxDrop)} at ${at}`
      }
    case 'undecided':
      return {
        stop: 'exhausted',
        rows,
        total,
        message: `${all}: the sequential test had not settled the verdict when the rows ran out, so the full-data test decides`
      }
    case 'interrupted':
      return {
        stop: 'interrupted',
        rows,
        total,
        message: `stopped after ${count(rows)} of ${count(total)} rows: the run stopped before the verdict was settled`
      }
    case 'off':
      return {
        stop: 'off',
        rows,
        total,
        message: offMessage(all, gate.off ?? 'config')
      }
  }
}
