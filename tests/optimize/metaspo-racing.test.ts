import { describe, expect, it } from 'vitest'
import type { MetaspoConfig } from '../../src/config/types.js'
import { runMetaspo } from '../../src/optimize/metaspo/metaspo.js'
import {
  metaScoreOf,
  race,
  type RaceInput,
  type RaceTask
} from '../../src/optimize/metaspo/racing.js'
import { createRandom, type Random } from '../../src/util/random.js'
import { makeMetaOptimizer, makeMetaScore, makeMetaTask } from './metaspo-fixtures.js'

/** Scores per arm, task, cell, example; binary or in quarters. */
function randomScores(rng: Random, layout: readonly RaceTask[], rate: number, quarters: boolean) {
  return layout.map((task) =>
    Array.from({ length: task.cells }, () =>
      Array.from({ length: task.size }, () =>
        quarters ? Math.min(1, Math.floor(rng.next() * rate * 8) / 4) : rng.next() < rate ? 1 : 0
      )
    )
  )
}

/** Races arms whose cells are scored in a seeded order of their own (any order must be exact). */
function raceOver(
  truth: number[][][][],
  layout: RaceTask[],
  incumbent: number,
  rule: RaceInput['rule'],
  rng: Random
) {
  const orders = layout.map((task) =>
    Array.from({ length: task.cells }, () =>
      rng.shuffle(Array.from({ length: task.size }, (_, i) => i))
    )
  )
  const known = new Map<string, number>()
  return race({
    arms: truth.length,
    layout,
    incumbent,
    rule,
    steps: 7,
    delta: 0.05,
    evaluate: async (arm, t, k, upTo) => {
      const all = truth[arm]?.[t]?.[k] ?? []
      const order = orders[t]?.[k] ?? []
      const key = `${arm}/${t}/${k}`
      const spent = Math.max(0, upTo - (known.get(key) ?? 0))
      known.set(key, Math.max(upTo, known.get(key) ?? 0))
      const scores: Array<number | undefined> = all.map(() => undefined)
      for (const i of order.slice(0, upTo)) scores[i] = all[i]
      return { scores, spent }
    }
  })
}

describe('race', () => {
  it('chooses exactly what full scoring chooses, never spending more', async () => {
    let saved = 0
    const winners = { none: 0, some: 0 }
    for (let seed = 1; seed <= 300; seed++) {
      const rng = createRandom(seed)
      const layout: RaceTask[] = Array.from({ length: 1 + rng.int(4) }, () => ({
        cells: 1 + rng.int(3),
        size: 3 + rng.int(25)
      }))
      const quarters = rng.next() < 0.3
      const incumbentScores = randomScores(rng, layout, rng.next(), quarters)
      const truth = Array.from({ length: 1 + rng.int(9) }, () =>
        randomScores(rng, layout, rng.next(), quarters)
      )
      // Exact ties with the incumbent and between candidates, which must go the reference's way.
      if (truth.length > 1 && rng.next() < 0.3) truth[1] = truth[0] as number[][][]
      if (rng.next() < 0.2) truth[truth.length - 1] = incumbentScores
      const incumbent = metaScoreOf(incumbentScores, layout)
      const full = await raceOver(truth, layout, incumbent, 'full', rng.fork('full'))
      const exact = await raceOver(truth, layout, incumbent, 'exact', rng.fork('exact'))
      expect(exact.winner, `seed ${seed}`).toBe(full.winner)
      expect(full.spent).toBe(full.full)
      expect(exact.spent).toBeLessThanOrEqual(full.spent)
      if (exact.winner !== null) {
        expect(exact.arms[exact.winner]?.value).toBe(full.arms[full.winner as number]?.value)
      }
      for (const arm of exact.arms) {
        if (arm.value === null) expect(arm.upper).toBeGreaterThanOrEqual(arm.lower)
      }
      saved += full.spent - exact.spent
      if (full.winner === null) winners.none++
      else winners.some++
    }
    expect(saved).toBeGreaterThan(0)
    // Both outcomes were exercised: the incumbent kept, and a candidate chosen.
    expect(winners.none).toBeGreaterThan(30)
    expect(winners.some).toBeGreaterThan(30)
  })

  it('drops a hopeless candidate as soon as its upper bound cannot beat the incumbent', async () => {
    const layout: RaceTask[] = [{ cells: 1, size: 10 }]
    const zeros = [[Array.from({ length: 10 }, () => 0)]]
    const result = await race({
      arms: 1,
      layout,
      incumbent: 0.7,
      rule: 'exact',
      steps: 10,
      delta: 0.05,
      evaluate: async (_arm, _t, _k, upTo) => ({
        scores: zeros[0]?.[0]?.slice(0, upTo) ?? [],
        spent: 1
      })
    })
    expect(result.winner).toBe(null)
    expect(result.arms[0]).toMatchObject({ eliminated: 'incumbent', eliminatedAtStep: 3 })
    expect(result.arms[0]?.upper).toBeCloseTo(0.7, 10)
    expect(result.spent).toBe(3)
    expect(result.full).toBe(10)
  })
})

describe('MetaSPO racing', () => {
  // Mostly plain examples: the incumbent is strong, and 8 of 9 system candidates are hopeless.
  const tasks = ['one', 'two', 'three', 'four'].map((name, i) =>
    makeMetaTask(name, ['update', ['sarcasm', 'negation', 'emoji', 'caps'][i] as string], 30, 6)
  )
  const config: MetaspoConfig = {
    iterations: 2,
    userCandidates: 2,
    userTopK: 3,
    systemCandidates: 9,
    examplesPerTask: 2,
    holdout: [],
    racing: true
  }
  const script = {
    systemRewrite: ({
      trait,
      system,
      sampleIndex
    }: {
      trait: string
      system: string
      sampleIndex: number
    }) =>
      sampleIndex % 9 === 4
        ? `<improved_system_prompt>${system} Watch for ${trait}.</improved_system_prompt>`
        : `<improved_system_prompt>${system} sabotage ${sampleIndex}</improved_system_prompt>`
  }
  const run = (racing: boolean, rule?: 'exact' | 'confident') =>
    runMetaspo({
      tasks,
      start: { system: undefined, users: new Map() },
      config: { ...config, racing },
      optimizer: makeMetaOptimizer(script),
      scoreFor: makeMetaScore(),
      seed: 11,
      ...(rule ? { options: { racingRule: rule } } : {})
    })

  it('chooses the same prompts as full scoring and saves at least 40% of the outer calls', async () => {
    const full = await run(false)
    const raced = await run(true)
    expect(full.racing.rule).toBe('full')
    expect(raced.racing.rule).toBe('exact')
    expect(raced.system).toBe(full.system)
    expect(raced.systemId).toBe(full.systemId)
    expect([...raced.users]).toEqual([...full.users])
    expect(raced.metaScore).toBe(full.metaScore)
    expect(raced.iterations.map((r) => r.outer?.chosen)).toEqual(
      full.iterations.map((r) => r.outer?.chosen)
    )
    expect(raced.iterations.some((r) => r.outer?.changed)).toBe(true)
    expect(full.racing.outerCallsSpent).toBe(full.racing.outerCallsFull)
    expect(raced.racing.outerCallsFull).toBe(full.racing.outerCallsFull)
    expect(raced.racing.saved).toBeGreaterThanOrEqual(0.4)
    expect(raced.calls.target).toBeLessThan(full.calls.target)
    // Every raced-out candidate's bound shows it could not have won.
    for (const r of raced.iterations) {
      for (const c of r.outer?.candidates ?? []) {
        if (c.eliminated === 'incumbent')
          expect(c.upper).toBeLessThanOrEqual(r.outer?.incumbent.metaScore as number)
      }
    }
  })

  it('saves at least as much with the confidence rule', async () => {
    const exact = await run(true, 'exact')
    const confident = await run(true, 'confident')
    expect(confident.racing.rule).toBe('confident')
    expect(confident.racing.outerCallsSpent).toBeLessThanOrEqual(exact.racing.outerCallsSpent)
  })
})
