import { beforeAll, describe, expect, it } from 'vitest'
import type { ApoConfig, MetaspoConfig } from '../../src/config/types.js'
import type { LoadedTask } from '../../src/config/project-types.js'
import { runMetaspo, type MetaspoResult } from '../../src/optimize/metaspo/metaspo.js'
import {
  compareTestTimeAdaptation,
  makeUserVariants,
  unseenGeneralization
} from '../../src/optimize/metaspo/transfer.js'
import { createSimulatedOptimizer, createSimulatedTarget } from '../../src/simulate/index.js'
import { DEFAULT_SYSTEM_PROMPT, makeDomainFamily } from '../../src/simulate/family.js'
import { loadSynthetic, simulatedScoreFor } from './metaspo-sim.js'

/** The paper's defaults. */
const CONFIG: MetaspoConfig = {
  iterations: 3,
  userCandidates: 3,
  userTopK: 3,
  systemCandidates: 9,
  examplesPerTask: 2,
  holdout: [],
  racing: true
}

const APO: ApoConfig = {
  rounds: 6,
  beam: 3,
  minibatch: 16,
  errorGroups: 3,
  errorsPerGroup: 3,
  paraphrases: 0,
  successorsPerParent: 4,
  bandit: 'ucb',
  selectionBudget: 120,
  explorationC: 2,
  pullSize: 4,
  settle: 0.5,
  target: 'user'
}

describe('MetaSPO on the simulated review family (4 meta-train tasks, 3 unseen)', () => {
  const family = makeDomainFamily({ seed: 1 })
  const train = family.train.map((t) => loadSynthetic(t))
  const unseen = family.holdout.map((t) => loadSynthetic(t))
  const target = createSimulatedTarget({ seed: 1 })
  const optimizer = createSimulatedOptimizer({ seed: 1 })
  let raced: MetaspoResult
  let full: MetaspoResult

  beforeAll(async () => {
    const run = (racing: boolean) =>
      runMetaspo({
        tasks: train,
        start: { system: family.systemPrompt, users: new Map() },
        config: { ...CONFIG, racing },
        optimizer,
        scoreFor: simulatedScoreFor(target),
        seed: 1
      })
    raced = await run(true)
    full = await run(false)
  })

  it('meta-trains a system prompt that raises the meta score', () => {
    expect(train).toHaveLength(4)
    expect(raced.stop.reason).toBe('completed')
    expect(raced.system).not.toBe(DEFAULT_SYSTEM_PROMPT)
    expect(raced.metaScore as number).toBeGreaterThan((raced.initialMetaScore as number) + 0.3)
  })

  it('races out system candidates: same choice as full scoring, far fewer outer calls', () => {
    expect(raced.system).toBe(full.system)
    expect([...raced.users]).toEqual([...full.users])
    expect(raced.metaScore).toBe(full.metaScore)
    expect(raced.racing.outerCallsFull).toBe(full.racing.outerCallsSpent)
    expect(raced.racing.saved).toBeGreaterThanOrEqual(0.35)
  })

  it('beats the default system prompt on the unseen tasks by at least 10 points', async () => {
    expect(unseen).toHaveLength(3)
    const userVariants = new Map<string, string[]>()
    for (const task of unseen) {
      const variants = await makeUserVariants(task, optimizer, 3)
      userVariants.set(task.name, variants.prompts)
    }
    const transfer = await unseenGeneralization({
      tasks: unseen,
      systems: { default: DEFAULT_SYSTEM_PROMPT, optimized: raced.system },
      userVariants,
      scoreFor: simulatedScoreFor(target),
      seed: 1
    })
    expect(transfer.stop.reason).toBe('completed')
    expect(transfer.tasks).toHaveLength(3)
    expect(transfer.tasks.every((t) => t.variants >= 2)).toBe(true)
    expect(transfer.average.delta).toBeGreaterThanOrEqual(0.1)
    for (const t of transfer.tasks) expect(t.delta.low).toBeGreaterThan(0)
  })

  it('adapts to an unseen task in fewer rounds under the optimized system prompt', async () => {
    const task = unseen[0] as LoadedTask
    const cmp = await compareTestTimeAdaptation({
      task,
      systems: { default: DEFAULT_SYSTEM_PROMPT, optimized: raced.system },
      config: APO,
      optimizer,
      score: simulatedScoreFor(target)(task),
      seed: 1
    })
    expect(cmp.toTarget.default).not.toBe(null)
    expect(cmp.toTarget.optimized).not.toBe(null)
    expect(cmp.toTarget.optimized?.round as number).toBeLessThan(
      cmp.toTarget.default?.round as number
    )
  })
})
