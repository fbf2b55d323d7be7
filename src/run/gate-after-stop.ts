import type { GateConfig } from '../config/types.js'
import type { StopInfo } from '../llm/ledger-types.js'
import type { GateCheck, GateResult } from '../report/types.js'

/**
 * A run that stopped early (budget, provider error, cancel) leaves checks undone: a task never
 * scored has no min_score check, a task whose base was never scored has no max_drop check. Each
 * missing check fails, so the gate of a cut-short run never reads "passed" for want of checks.
 */
export function gateAfterStop(
  gate: GateResult,
  config: GateConfig,
  stop: StopInfo,
  tasks: ReadonlyArray<{ task: string; hasBase: boolean }>
): GateResult {
  if (stop.reason === 'completed' || stop.reason === 'no-gain') return gate
  const checks: GateCheck[] = [...gate.checks]
  for (const { task, hasBase } of tasks) {
    const expected: Array<GateCheck['kind']> = []
    if (config.minScore !== undefined) expected.push('min_score')
    if (config.maxDrop !== undefined && hasBase) expected.push('max_drop')
    for (const kind of expected) {
      if (checks.some((c) => c.task === task && c.kind === kind)) continue
      const what = kind === 'max_drop' ? 'compared with the base' : 'scored'
      checks.push({
        task,
        kind,
        passed: false,
        message: `not checked: the run stopped (${stop.reason}) before this task was ${what}`
      })
    }
  }
  return { ...gate, passed: checks.every((c) => c.passed), checks }
}
