/**
 * APO end to end on the simulated provider: a synthetic task, the simulated target behind a small
 * ScoreFn (tag-extracted exact label), and the simulated optimizer answering our meta-prompts.
 */
import { partsOf } from '../../src/config/prompt.js'
import { describe, expect, it } from 'vitest'
import type { Example, LoadedTask } from '../../src/config/project-types.js'
import type { ApoConfig } from '../../src/config/types.js'
import { runApo } from '../../src/optimize/apo/apo.js'
import type { PromptParts } from '../../src/config/prompt.js'
import type { ScoreFn } from '../../src/optimize/types.js'
import { createSimulatedOptimizer } from '../../src/simulate/index.js'
import { makeSyntheticTask } from '../../src/simulate/tasks.js'
import { loadedTask, simulatedScore } from './sim-task.js'

async function accuracy(score: ScoreFn, pair: PromptParts, examples: readonly Example[]) {
  const results = await score(pair, examples)
  return results.reduce((s, r) => s + r.score, 0) / results.length
}

/** The paper's defaults (and the config's), with a selection budget of 1024 dev evaluations. */
const config: ApoConfig = {
  rounds: 6,
  beam: 4,
  minibatch: 64,
  errorGroups: 4,
  errorsPerGroup: 4,
  paraphrases: 2,
  successorsPerParent: 8,
  bandit: 'ucb',
  selectionBudget: 1024,
  explorationC: 2,
  pullSize: 4,
  settle: 0.5,
  target: 'user'
}

function triage(): LoadedTask {
  return loadedTask(
    makeSyntheticTask({
      name: 'triage',
      kind: 'triage',
      size: 300,
      seed: 8,
      traits: ['sarcasm', 'negation', 'two-issues', 'hedging', 'rhetorical', 'caps', 'numeric']
    })
  )
}

describe('APO on the simulated provider', () => {
  it.each([1, 3, 5])('lifts a weak prompt by at least 25 points on dev (seed %i)', async (seed) => {
    const task = triage()
    const { score, log } = simulatedScore(task, seed)
    const start: PromptParts = { system: undefined, user: partsOf(task.prompt).user }
    const result = await runApo({
      task,
      start,
      edit: 'user',
      config,
      optimizer: createSimulatedOptimizer({ seed }),
      score,
      seed
    })
    expect([...log.splits].sort()).toEqual(['dev', 'train'])
    const dev = task.examples.filter((e) => e.split === 'dev')
    const test = task.examples.filter((e) => e.split === 'test')
    const before = await accuracy(score, start, dev)
    const after = await accuracy(score, result.best, dev)
    expect(before).toBeLessThan(0.6)
    expect(after - before).toBeGreaterThanOrEqual(0.25)
    const testGain =
      (await accuracy(score, result.best, test)) - (await accuracy(score, start, test))
    expect(testGain).toBeGreaterThanOrEqual(0.2)
    expect(result.best.user).toContain('{{text}}')
    expect(result.candidates.length).toBeGreaterThan(5)
  })

  it('ends a budget-capped run cleanly with a better prompt than it started with', async () => {
    const task = triage()
    const { score } = simulatedScore(task, 3, 2500)
    const start: PromptParts = { system: undefined, user: partsOf(task.prompt).user }
    const result = await runApo({
      task,
      start,
      edit: 'user',
      config,
      optimizer: createSimulatedOptimizer({ seed: 3 }),
      score,
      seed: 3
    })
    expect(result.stop.reason).toBe('budget')
    const { score: free } = simulatedScore(task, 3)
    const dev = task.examples.filter((e) => e.split === 'dev')
    expect(await accuracy(free, result.best, dev)).toBeGreaterThan(await accuracy(free, start, dev))
  })

  it('is reproducible on the simulation', async () => {
    const task = triage()
    const run = () =>
      runApo({
        task,
        start: { system: undefined, user: partsOf(task.prompt).user },
        edit: 'user',
        config: { ...config, rounds: 2 },
        optimizer: createSimulatedOptimizer({ seed: 5 }),
        score: simulatedScore(task, 5).score,
        seed: 5
      })
    const [a, b] = [await run(), await run()]
    expect(b.candidates).toEqual(a.candidates)
    expect(b.rounds).toEqual(a.rounds)
  })
})
