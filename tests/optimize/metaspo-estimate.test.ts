import { describe, expect, it } from 'vitest'
import { estimateMetaspoCalls, estimateUnseenCalls } from '../../src/optimize/metaspo/estimate.js'
import { runMetaspo } from '../../src/optimize/metaspo/metaspo.js'
import { META_CONFIG, makeMetaOptimizer, makeMetaScore, makeMetaTask } from './metaspo-fixtures.js'

const PAPER = {
  iterations: 3,
  userCandidates: 3,
  userTopK: 3,
  systemCandidates: 9,
  examplesPerTask: 2,
  holdout: [],
  racing: false
}

describe('estimateMetaspoCalls', () => {
  it('gives the reference figures for the paper defaults on 4 tasks of 50', () => {
    const tasks = ['beauty', 'game', 'baby', 'office']
    const sizes = Object.fromEntries(tasks.map((t) => [t, 50]))
    const e = estimateMetaspoCalls(PAPER, tasks, sizes)
    expect(e.initialTarget).toBe(200)
    expect(e.perIteration).toHaveLength(3)
    for (const it of e.perIteration) {
      expect(it).toMatchObject({ innerTarget: 600, outerTarget: 5400, targetCalls: 6000 })
      expect(it).toMatchObject({ innerOptimizer: 24, outerOptimizer: 18, optimizerCalls: 42 })
    }
    expect(e.targetCalls).toBe(18_200)
    expect(e.optimizerCalls).toBe(126)
  })

  it('grows the kept user prompts toward k and bounds a real run', async () => {
    const e = estimateMetaspoCalls({ ...META_CONFIG, userTopK: 5 }, ['a'], { a: 20 })
    expect(e.perIteration.map((i) => i.outerTarget)).toEqual([3 * 3 * 20, 3 * 5 * 20])
    const tasks = [makeMetaTask('a', ['update', 'caps']), makeMetaTask('b', ['update', 'emoji'])]
    const bound = estimateMetaspoCalls({ ...META_CONFIG, racing: false }, ['a', 'b'], {
      a: 20,
      b: 20
    })
    const run = await runMetaspo({
      tasks,
      start: { system: undefined, users: new Map() },
      config: { ...META_CONFIG, racing: false },
      optimizer: makeMetaOptimizer(),
      scoreFor: makeMetaScore(),
      seed: 1
    })
    expect(run.calls.target).toBeLessThanOrEqual(bound.targetCalls)
    expect(run.calls.optimizer).toBeLessThanOrEqual(bound.optimizerCalls)
    expect(estimateUnseenCalls(10, { pet: 500, sports: 500 })).toBe(20_000)
  })
})
