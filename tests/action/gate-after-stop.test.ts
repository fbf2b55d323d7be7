import { describe, expect, it } from 'vitest'
import type { GateConfig } from '../../src/config/types.js'
import type { GateResult } from '../../src/report/types.js'
import { gateAfterStop } from '../../src/run/gate-after-stop.js'

const config: GateConfig = {
  minScore: 0.8,
  maxDrop: 0.05,
  confidence: 0.95,
  source: 'config' as const,
  newTasks: 'warn' as const,
  sequential: true,
  firstLook: 50,
  lookEvery: 25
}
const checked: GateResult = {
  passed: true,
  checks: [
    { task: 'a', kind: 'min_score', passed: true, message: '0.90 ≥ min_score 0.80' },
    { task: 'a', kind: 'max_drop', passed: true, message: '0.90 → 0.91 (+0.01), within max_drop' }
  ],
  rule: 'gate from the config'
}
const tasks = [
  { task: 'a', hasBase: true },
  { task: 'b', hasBase: true },
  { task: 'c', hasBase: false }
]

describe('gateAfterStop', () => {
  it('leaves the gate of a completed run alone', () => {
    const stop = { reason: 'completed' as const, message: '' }
    expect(gateAfterStop(checked, config, stop, tasks)).toBe(checked)
  })

  it('fails every check a stopped run could not make, and keeps the ones it made', () => {
    const stop = { reason: 'budget' as const, message: 'budget reached' }
    const gate = gateAfterStop(checked, config, stop, tasks)
    expect(gate.passed).toBe(false)
    expect(gate.checks.map((c) => `${c.task}:${c.kind}:${String(c.passed)}`)).toEqual([
      'a:min_score:true',
      'a:max_drop:true',
      'b:min_score:false',
      'b:max_drop:false',
      'c:min_score:false'
    ])
    expect(gate.checks[3]?.message).toBe(
      'not checked: the run stopped (budget) before this task was compared with the base'
    )
  })

  it('has nothing to fail when no gate is configured', () => {
    const none: GateConfig = {
      minScore: undefined,
      maxDrop: undefined,
      confidence: 0.95,
      source: 'config' as const,
      newTasks: 'warn' as const,
      sequential: true,
      firstLook: 50,
      lookEvery: 25
    }
    const stop = { reason: 'provider-error' as const, message: 'down' }
    expect(gateAfterStop({ passed: true, checks: [], rule: 'r' }, none, stop, tasks)).toEqual({
      passed: true,
      checks: [],
      rule: 'r'
    })
  })
})
