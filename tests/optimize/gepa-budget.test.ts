/**
 * GEPA with an explicit target-call cap: the cap, not the preset, sets how many dev passes a run
 * may pay for; the run never overshoots it, and the same seed gives the same run.
 */
import { describe, expect, it } from 'vitest'
import { partsOf } from '../../src/config/prompt.js'
import type { GepaConfig } from '../../src/config/types.js'
import { InputError } from '../../src/errors.js'
import { estimateGepaRun } from '../../src/optimize/gepa/estimate.js'
import { runGepa } from '../../src/optimize/gepa/gepa.js'
import {
  devPassCap,
  GEPA_ITERATIONS_PER_PASS,
  presetDevPasses
} from '../../src/optimize/gepa/presets.js'
import { createSimulatedOptimizer } from '../../src/simulate/index.js'
import { GEPA_TEST_CONFIG, gepaTriage, simulatedScore } from './sim-task.js'

const config = GEPA_TEST_CONFIG
const triage = gepaTriage

async function run(seed: number, overrides: Partial<GepaConfig> = {}) {
  const task = triage()
  const { score, log } = simulatedScore(task, seed)
  const result = await runGepa({
    task,
    start: partsOf(task.prompt),
    edit: 'user',
    config: { ...config, ...overrides },
    optimizer: createSimulatedOptimizer({ seed }),
    score,
    seed
  })
  return { result, log }
}

describe('GEPA under an explicit max_calls', () => {
  it('lets the cap set the dev passes, never fewer than the preset', () => {
    expect(devPassCap('light', undefined, 60)).toBe(presetDevPasses('light'))
    expect(devPassCap('light', 200, 60)).toBe(presetDevPasses('light'))
    expect(devPassCap('heavy', 3060, 60)).toBe(50)
    const estimate = estimateGepaRun(
      { ...config, maxCalls: 3060, devRows: 60 },
      { train: 120, dev: 90 }
    )
    expect(estimate.devPasses).toBe(50)
    expect(estimate.iterations).toBe(50 * GEPA_ITERATIONS_PER_PASS)
    expect(estimate.targetCalls).toBe(3060)
  })

  it('goes past the preset when the cap allows and never overshoots it', async () => {
    const preset = await run(4)
    expect(preset.result.details.devPassCap).toBe(presetDevPasses('light'))
    for (const cap of [preset.log.calls + 400, 1500, 700, 120]) {
      const capped = await run(4, { maxCalls: cap })
      expect(capped.log.calls).toBeLessThanOrEqual(cap)
      expect(capped.result.details.ledger.targetCalls).toBe(capped.log.calls)
      expect(capped.log.splits.has('test')).toBe(false)
    }
    const big = await run(4, { maxCalls: 1500 })
    expect(big.result.details.devPassCap).toBeGreaterThan(presetDevPasses('light'))
    expect(big.result.details.ledger.devPasses).toBeGreaterThan(presetDevPasses('light'))
    expect(big.log.calls).toBeGreaterThan(preset.log.calls)
  })

  it('refuses a cap below one dev pass, naming the key once, before any call', async () => {
    const task = triage()
    const { score, log } = simulatedScore(task, 1)
    const failure = await runGepa({
      task,
      start: partsOf(task.prompt),
      edit: 'user',
      config: { ...config, maxCalls: 10 },
      optimizer: createSimulatedOptimizer({ seed: 1 }),
      score,
      seed: 1
    }).then(
      () => undefined,
      (error: unknown) => error
    )
    expect(failure).toBeInstanceOf(InputError)
    expect((failure as InputError).message).toBe(
      'optimize.gepa.max_calls: 10 is below one dev pass (40 rows); raise it or lower optimize.gepa.dev_rows'
    )
    expect(log.calls).toBe(0)
  })

  it('gives the same run for the same seed and cap', async () => {
    const a = await run(9, { maxCalls: 1200 })
    const b = await run(9, { maxCalls: 1200 })
    expect(a.result.details.nodes).toEqual(b.result.details.nodes)
    expect(a.result.bestId).toBe(b.result.bestId)
    expect(a.log.calls).toBe(b.log.calls)
  })
})
