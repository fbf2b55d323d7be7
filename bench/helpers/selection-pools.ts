/**
 * Part e of the APO benchmark: selection alone, without the search around it. An end-to-end APO
 * run is chaotic — a different beam after round 1 means different critiques, so two selectors on
 * the same seed soon search different prompts, and a seed's test score moves by whole points for
 * reasons that have nothing to do with selection. Here the search is taken out: the candidate sets
 * of real APO rounds (parents + successors, as the bandit saw them) are scored ONCE on every dev and
 * every test row, and then each selector is replayed many times over them on fresh dev orders,
 * reading the stored scores. What is measured is what a selector is for: the test score of the
 * prompt it ranks first and of the beam it keeps, for the dev evaluations it spent.
 */
import type { ApoResult } from '../../src/optimize/apo/types.js'
import { selectBest } from '../../src/optimize/bandits.js'
import { partsOf } from '../../src/config/prompt.js'
import type { BanditName } from '../../src/config/types.js'
import { createRandom } from '../../src/util/random.js'
import type { LoadedProject } from '../../src/config/project-types.js'
import { createScoreFn } from '../../src/run/score-fn.js'
import { withSeed, withSession } from './session.js'
import { bootstrapMeanInterval } from '../../src/eval/stats.js'
import { mean } from './format.js'

/** One round's arms, in the order the bandit saw them, with every dev and test score. */
export interface ScoredPool {
  seed: number
  round: number
  /** Per arm: dev scores in dev-split order, test scores in test-split order. */
  dev: number[][]
  test: number[][]
}

/** The arms of each selection round of `result`: the beam before it, then its admitted successors. */
export function roundArms(result: ApoResult): Array<{ round: number; prompts: string[] }> {
  const byId = new Map(result.candidates.map((c) => [c.id, c]))
  const capped = new Set(result.details.cappedOut)
  const out: Array<{ round: number; prompts: string[] }> = []
  for (const sel of result.details.selections) {
    const before = result.rounds.find((r) => r.round === sel.round - 1)
    if (!before) continue
    const fresh = result.candidates.filter((c) => c.round === sel.round && !capped.has(c.id))
    const ids = [...before.beam, ...fresh.map((c) => c.id)]
    if (ids.length !== sel.arms) {
      throw new Error(`round ${sel.round}: rebuilt ${ids.length} arms, the bandit saw ${sel.arms}`)
    }
    out.push({ round: sel.round, prompts: ids.map((id) => byId.get(id)?.prompt ?? '') })
  }
  return out
}

export interface ReplaySetting {
  name: string
  bandit: BanditName
  /** Evaluations, or the evaluations for a given candidate set. */
  budget: number | ((pool: ScoredPool) => number)
  c: number
  batch: number
  /** Share of the budget UCB keeps to settle the beam (the bandit's default when absent). */
  settle?: number
}

export interface ReplayOutcome {
  /** Test score of the arm ranked first. */
  top: number
  /** Mean test score of the kept beam. */
  beam: number
  /** Dev evaluations spent (every one is a target call: nothing is known before the replay). */
  spent: number
}

/**
 * Replays one selector on one pool with the dev rows in the order of `orderSeed` (the same order
 * for every arm, as in APO), reading the stored scores.
 */
export async function replay(
  pool: ScoredPool,
  setting: ReplaySetting,
  keep: number,
  orderSeed: number
): Promise<ReplayOutcome> {
  const devRows = pool.dev[0]?.length ?? 0
  const budget = typeof setting.budget === 'number' ? setting.budget : setting.budget(pool)
  const order = createRandom(orderSeed)
    .fork(`replay-order:${pool.seed}:${pool.round}`)
    .shuffle(Array.from({ length: devRows }, (_, i) => i))
  const cursors = pool.dev.map(() => 0)
  const result = await selectBest({
    arms: pool.dev.length,
    budget,
    keep,
    algorithm: setting.bandit,
    c: setting.c,
    batch: setting.batch,
    settle: setting.settle,
    random: createRandom(orderSeed).fork(`replay-bandit:${pool.seed}:${pool.round}`),
    pull: async (arm, count) => {
      const from = cursors[arm] as number
      const to = Math.min(devRows, from + count)
      cursors[arm] = to
      const scores = pool.dev[arm] as number[]
      return order.slice(from, to).map((row) => scores[row] as number)
    }
  })
  if (result.spent > budget) {
    throw new Error(`${setting.name} spent ${result.spent} of a budget of ${budget}`)
  }
  const testOf = (arm: number): number => mean(pool.test[arm] as number[])
  return {
    top: testOf(result.best[0] ?? 0),
    beam: mean(result.best.map(testOf)),
    spent: result.spent
  }
}

/**
 * Scores every arm of every selection round of `result` on all dev and test rows of the task, in a
 * fresh session on `project` (the same simulated models as the run; no cache).
 */
export async function scorePools(
  project: LoadedProject,
  seed: number,
  result: ApoResult
): Promise<ScoredPool[]> {
  return withSession(project, { config: (c) => withSeed(c, seed) }, async (session) => {
    const task = session.project.tasks[0]
    if (!task) throw new Error('the simulated repository has no task')
    const score = createScoreFn(session, task)
    const dev = task.examples.filter((e) => e.split === 'dev')
    const test = task.examples.filter((e) => e.split === 'test')
    const known = new Map<string, { dev: number[]; test: number[] }>()
    const scoresOf = async (prompt: string) => {
      const hit = known.get(prompt)
      if (hit) return hit
      const pair = { system: partsOf(task.prompt).system, user: prompt }
      const [d, t] = [await score(pair, dev), await score(pair, test)]
      const out = { dev: d.map((r) => r.score), test: t.map((r) => r.score) }
      known.set(prompt, out)
      return out
    }
    const pools: ScoredPool[] = []
    for (const { round, prompts } of roundArms(result)) {
      const scored = []
      for (const p of prompts) scored.push(await scoresOf(p))
      pools.push({ seed, round, dev: scored.map((s) => s.dev), test: scored.map((s) => s.test) })
    }
    return pools
  })
}

/** One selector's replays summed up; `diff` is against the first (reference) setting. */
export interface ReplaySummary {
  setting: ReplaySetting
  top: number
  beam: number
  spent: number
  /**
   * Per seed, the mean over its sets and dev orders of (this setting's top-1 test − the
   * reference's); the mean of those over seeds, and its 95% bootstrap interval over seeds (a seed's rounds
   * share prompts, so sets are not independent; seeds are).
   */
  diff: number
  diffLow: number
  diffHigh: number
}

/**
 * Replays every setting `reps` times (dev orders 0 … reps − 1) on every pool; the first setting is
 * the reference the differences are taken against (paired by pool and dev order).
 */
export async function replayAll(
  pools: readonly ScoredPool[],
  settings: readonly ReplaySetting[],
  keep: number,
  reps: number
): Promise<ReplaySummary[]> {
  const out: ReplaySummary[] = []
  let reference: number[] = []
  for (const setting of settings) {
    const tops: number[] = []
    let beam = 0
    let spent = 0
    for (const pool of pools) {
      let top = 0
      for (let r = 0; r < reps; r++) {
        const o = await replay(pool, setting, keep, r)
        top += o.top
        beam += o.beam
        spent += o.spent
      }
      tops.push(top / reps)
    }
    if (reference.length === 0) reference = tops
    const bySeed = new Map<number, number[]>()
    pools.forEach((pool, i) => {
      const d = (tops[i] as number) - (reference[i] as number)
      bySeed.set(pool.seed, [...(bySeed.get(pool.seed) ?? []), d])
    })
    const perSeed = [...bySeed.values()].map((d) => mean(d))
    const { value, low, high } = bootstrapMeanInterval(perSeed, { level: 0.95, seed: 0 })
    const n = pools.length * reps
    out.push({
      setting,
      top: mean(tops),
      beam: beam / n,
      spent: spent / n,
      diff: value,
      diffLow: low,
      diffHigh: high
    })
  }
  return out
}
