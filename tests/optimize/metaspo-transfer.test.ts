import { describe, expect, it } from 'vitest'
import type { ApoConfig } from '../../src/config/types.js'
import {
  compareTestTimeAdaptation,
  makeUserVariants,
  testTimeAdaptation,
  unseenGeneralization
} from '../../src/optimize/metaspo/transfer.js'
import {
  USER_TEMPLATE,
  makeMetaOptimizer,
  makeMetaScore,
  makeMetaTask
} from './metaspo-fixtures.js'

const HELD_OUT = [
  makeMetaTask('delta', ['update', 'caps'], 24),
  makeMetaTask('epsilon', ['update', 'hedging'], 24)
]
const DEFAULT = 'You are a helpful assistant.'
const OPTIMIZED = 'You are a helpful assistant. Watch for update.'

const APO: ApoConfig = {
  rounds: 3,
  beam: 2,
  minibatch: 12,
  errorGroups: 2,
  errorsPerGroup: 3,
  paraphrases: 0,
  successorsPerParent: 4,
  bandit: 'ucb',
  selectionBudget: 96,
  explorationC: 2,
  pullSize: 4,
  settle: 0.5,
  target: 'user'
}

describe('unseenGeneralization', () => {
  const variants = new Map(
    HELD_OUT.map((t) => [t.name, [USER_TEMPLATE, `Please read closely.\n${USER_TEMPLATE}`]])
  )

  it('scores both system prompts on the same user prompts and examples, paired', async () => {
    const scoreFor = makeMetaScore()
    const result = await unseenGeneralization({
      tasks: HELD_OUT,
      systems: { default: DEFAULT, optimized: OPTIMIZED },
      userVariants: variants,
      scoreFor,
      seed: 3
    })
    expect(result.stop.reason).toBe('completed')
    expect([...scoreFor.log.splits]).toEqual(['test'])
    expect(result.targetCalls).toBe(2 * 2 * 2 * 24)
    expect(scoreFor.log.examples).toBe(result.targetCalls)
    for (const t of result.tasks) {
      expect(t.variants).toBe(2)
      expect(t.examples).toBe(24)
      expect(t.pairs.default).toHaveLength(48)
      expect(t.pairs.optimized).toHaveLength(48)
      expect(t.perExample.default).toHaveLength(24)
      // A third of the rows are plain, a third carry the shared trait the optimized prompt names.
      expect(t.default.mean).toBeCloseTo(1 / 3, 10)
      expect(t.optimized.mean).toBeCloseTo(2 / 3, 10)
      expect(t.delta.value).toBeCloseTo(1 / 3, 10)
      expect(t.delta.low).toBeGreaterThan(0)
      expect(t.default.interval.low).toBeLessThanOrEqual(t.default.mean)
      expect(t.improvedVariants).toBe(2)
    }
    expect(result.average.delta).toBeCloseTo(1 / 3, 10)
  })

  it('keeps the tasks scored before a budget stop', async () => {
    const result = await unseenGeneralization({
      tasks: HELD_OUT,
      systems: { default: DEFAULT, optimized: OPTIMIZED },
      userVariants: variants,
      scoreFor: makeMetaScore({ limit: 150 }),
      seed: 3
    })
    expect(result.stop.reason).toBe('budget')
    expect(result.tasks.map((t) => t.task)).toEqual(['delta'])
    expect(result.average.optimized).toBeGreaterThan(result.average.default)
  })
})

describe('makeUserVariants', () => {
  it('keeps guarded, distinct paraphrases and asks again for rejected ones', async () => {
    const optimizer = makeMetaOptimizer({
      paraphrase: ({ prompt, sampleIndex }) =>
        sampleIndex === 0
          ? `<paraphrase>Kindly: ${prompt}</paraphrase>`
          : sampleIndex === 1
            ? '<paraphrase>Classify it.</paraphrase>'
            : sampleIndex === 2
              ? `Sure! ${prompt}`
              : `<paraphrase>Kindly: ${prompt}</paraphrase>`
    })
    const task = HELD_OUT[0] as (typeof HELD_OUT)[number]
    const out = await makeUserVariants(task, optimizer, 2)
    expect(out.variants).toEqual([`Kindly: ${USER_TEMPLATE}`])
    expect(out.prompts).toEqual([USER_TEMPLATE, `Kindly: ${USER_TEMPLATE}`])
    expect(out.rejected).toMatchObject({ missingSlots: 1, missingTags: 1 })
    expect(out.optimizerCalls).toBe(3)

    const good = makeMetaOptimizer({
      paraphrase: ({ prompt, sampleIndex }) => `<paraphrase>(${sampleIndex}) ${prompt}</paraphrase>`
    })
    const two = await makeUserVariants(task, good, 2)
    expect(two.prompts).toHaveLength(3)
    expect(two.variants.every((v) => v.includes('{{text}}'))).toBe(true)
  })
})

describe('test-time adaptation', () => {
  const task = makeMetaTask('zeta', ['update', 'sarcasm', 'negation'], 24)

  it('reports the round bests on test and when a target score was reached', async () => {
    const scoreFor = makeMetaScore()
    const result = await testTimeAdaptation({
      task,
      system: DEFAULT,
      config: APO,
      optimizer: makeMetaOptimizer(),
      score: scoreFor(task),
      seed: 5,
      targetScore: 0.7
    })
    expect(result.trajectory[0]).toMatchObject({ round: 0, score: 0.25 })
    expect(result.final as number).toBeGreaterThan(0.25)
    expect(result.reached?.score as number).toBeGreaterThanOrEqual(0.7)
    const calls = result.trajectory.map((p) => p.targetCalls)
    expect(calls.every((c, i) => i === 0 || c >= (calls[i - 1] as number))).toBe(true)
    expect(result.evaluationCalls % 24).toBe(0)
    // The analysis meta-prompts (MetaSPO's) were used, not critiques.
    expect(result.apo.candidates.some((c) => c.critique?.includes('never says how'))).toBe(true)
  })

  it('under a better system prompt reaches the default final score in no more rounds', async () => {
    const scoreFor = makeMetaScore()
    const cmp = await compareTestTimeAdaptation({
      task,
      systems: { default: DEFAULT, optimized: OPTIMIZED },
      config: APO,
      optimizer: makeMetaOptimizer(),
      score: scoreFor(task),
      seed: 5
    })
    expect(cmp.target).toBe(cmp.default.final)
    expect(cmp.toTarget.default).not.toBe(null)
    expect(cmp.toTarget.optimized).not.toBe(null)
    expect(cmp.toTarget.optimized?.round as number).toBeLessThanOrEqual(
      cmp.toTarget.default?.round as number
    )
    expect(cmp.optimized.trajectory[0]?.score as number).toBeGreaterThan(
      cmp.default.trajectory[0]?.score as number
    )
  })
})
