import { describe, expect, it } from 'vitest'
import {
  estimateApoRound,
  estimateApoRun,
  optimizerCallsPerParent
} from '../../src/optimize/apo/estimate.js'
import { runApo } from '../../src/optimize/apo/apo.js'
import { CONFIG, START, makeOptimizer, makeScore, makeTask } from './fixtures.js'

const paper = {
  ...CONFIG,
  rounds: 6,
  beam: 4,
  minibatch: 64,
  errorGroups: 4,
  errorsPerGroup: 4,
  paraphrases: 2,
  successorsPerParent: 8,
  selectionBudget: 2048
}

describe('APO call estimate', () => {
  it('follows the per-round formula', () => {
    // optimizer: 4 critiques + 4 rewrites + 4 × 2 paraphrases per parent
    expect(optimizerCallsPerParent(paper)).toBe(16)
    expect(estimateApoRound(paper)).toEqual({
      targetCalls: 4 * 64 + 2048,
      optimizerCalls: 4 * 16
    })
  })

  it('starts from one parent and caps by the data sizes', () => {
    expect(estimateApoRun(paper, { dev: 30 }).baseline.targetCalls).toBe(30)
    const run = estimateApoRun(paper, { train: 40, dev: 1000 })
    expect(run.baseline.targetCalls).toBe(64)
    expect(run.perRound[0]).toEqual({ targetCalls: 40 + 2048, optimizerCalls: 16 })
    expect(run.perRound[1]).toEqual({ targetCalls: 4 * 40 + 2048, optimizerCalls: 64 })
    expect(run.perRound).toHaveLength(6)
    expect(run.targetCalls).toBe(64 + 40 + 2048 + 5 * (160 + 2048))
    // Selection cannot spend more than every arm scored on all of dev.
    const tiny = estimateApoRound(paper, 1, { dev: 10 })
    expect(tiny.targetCalls).toBe(64 + 9 * 10)
  })

  it('is an upper bound on what a run spends', async () => {
    const score = makeScore()
    const optimizer = makeOptimizer()
    const result = await runApo({
      task: makeTask(),
      start: START,
      edit: 'user',
      config: CONFIG,
      optimizer,
      score,
      seed: 3
    })
    const est = estimateApoRun(CONFIG, { train: 40, dev: 40 })
    expect(score.log.examples).toBeLessThanOrEqual(est.targetCalls)
    expect(optimizer.calls.length).toBeLessThanOrEqual(est.optimizerCalls)
    result.rounds.slice(1).forEach((r, i) => {
      const bound = est.perRound[i] as { targetCalls: number; optimizerCalls: number }
      expect(r.optimizerCalls).toBeLessThanOrEqual(bound.optimizerCalls)
    })
  })
})
