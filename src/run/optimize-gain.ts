/**
 * Whether an optimization earned a pull request: the best prompt must beat the current one on the
 * held-out test split by more than noise. Decided from the report alone, so the reason given in
 * the summary is exactly what the numbers in it say.
 */
import { formatDelta, formatPValue, formatScore } from '../report/format.js'
import type { RunReport, TaskComparison } from '../report/types.js'
import { isIncomplete } from './stop.js'

export type GainDecision =
  | {
      gain: true
      /** One line for a person, e.g. "triage: 40.0% → 85.0% (+45.0 pts [+25.0, +65.0])". */
      summary: string
    }
  | { gain: false; reason: string }

/** "triage: 40.0% → 85.0% (+45.0 pts [+25.0, +65.0], p < 0.001)". */
export function describeComparison(c: TaskComparison): string {
  const pv = formatPValue(c.pValue)
  const p = c.test === 'none' ? '' : pv.startsWith('<') ? `, p < ${pv.slice(1)}` : `, p = ${pv}`
  return `${c.task}: ${formatScore(c.base.value)} → ${formatScore(c.head.value)} (${formatDelta(c.delta)}${p})`
}

/**
 * The rule. APO: the task's comparison on test is `improved` (p below 1 − confidence and a positive
 * delta). MetaSPO: at least one source task `improved` and none `regressed`; and when tasks were
 * held out, the optimized system prompt must not hurt them — the average delta over the unseen
 * tasks is above zero and no unseen task's delta interval lies wholly below zero. (Significance on
 * the unseen tasks is not required: with a few small held-out tasks it would block nearly every
 * real gain; the transfer table is in the pull request for the reviewer.)
 */
export function decideGain(report: RunReport): GainDecision {
  const decision = decide(report)
  const { reason, message } = report.stop
  if (decision.gain || !isIncomplete(report.stop)) return decision
  // A gain cut short by the budget is still a gain; a missing one may be the budget's doing.
  const stopped = reason === 'budget' ? 'the budget ran out' : `the run stopped (${reason})`
  return { gain: false, reason: `${decision.reason}; ${stopped}: ${message}` }
}

function decide(report: RunReport): GainDecision {
  const opt = report.optimization
  if (!opt) return { gain: false, reason: 'the run produced no optimization result' }
  if (opt.prompts.every((p) => p.after === p.before)) {
    return {
      gain: false,
      reason: 'the search found no prompt that beat the current one on the dev split'
    }
  }
  const comparisons = opt.testComparison
  if (comparisons.length === 0) {
    return {
      gain: false,
      reason: 'the best prompt could not be scored on the held-out test split'
    }
  }
  const regressed = comparisons.filter((c) => c.verdict === 'regressed')
  if (regressed.length > 0) {
    return {
      gain: false,
      reason: `the best prompt is significantly worse on the held-out test split — ${regressed.map(describeComparison).join('; ')}`
    }
  }
  const improved = comparisons.filter((c) => c.verdict === 'improved')
  if (improved.length === 0) {
    const level = comparisons[0]?.delta.level ?? 0.95
    return {
      gain: false,
      reason: `the best prompt does not beat the current one on the held-out test split by more than noise (${Math.round(level * 100)}% confidence) — ${comparisons.map(describeComparison).join('; ')}`
    }
  }
  const transfer = opt.transfer
  if (transfer && transfer.tasks.length > 0) {
    const hurt = transfer.tasks.filter((t) => t.delta.high < 0)
    if (hurt.length > 0) {
      return {
        gain: false,
        reason: `the optimized system prompt is significantly worse on tasks it never saw — ${hurt.map((t) => `${t.task}: ${formatDelta(t.delta)}`).join('; ')}`
      }
    }
    if (!(transfer.average.delta > 0)) {
      return {
        gain: false,
        reason: `the optimized system prompt does not help the tasks it never saw on average (${formatScore(transfer.average.default)} → ${formatScore(transfer.average.optimized)})`
      }
    }
  }
  return { gain: true, summary: improved.map(describeComparison).join('; ') }
}
