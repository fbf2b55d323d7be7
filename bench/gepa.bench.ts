/**
 * GEPA against APO on the simulated provider, at equal target-call budgets.
 *
 * Per seed: a synthetic triage task (its own rows), APO with the config's defaults (its search's
 * target calls = N), then GEPA capped at 5, 10, 25, 50 and 100 % of N (`optimize.gepa.max_calls`,
 * preset heavy; it may stop below the cap when its dev passes are done), and the ablation: GEPA at 100 % always mutating the best-mean
 * candidate. Test accuracy of each run's best prompt, paired by seed with a 95 % bootstrap interval,
 * and the target calls each method needed to first reach APO's final test score (candidates are
 * scored on test only for this measurement, outside the runs' ledgers).
 *
 *   npm run bench:gepa                     # 100 seeds (BENCH_SEEDS=1-300 for more)
 */
import { describe, expect, it } from 'vitest'
import { partsOf, type PromptParts } from '../src/config/prompt.js'
import type { LoadedTask } from '../src/config/project-types.js'
import { parseConfig } from '../src/config/parse-config.js'
import type { ApoConfig, GepaConfig } from '../src/config/types.js'
import { bootstrapMeanInterval } from '../src/eval/stats.js'
import { runApo } from '../src/optimize/apo/apo.js'
import { runGepa } from '../src/optimize/gepa/gepa.js'
import { pairWith } from '../src/optimize/apo/expand.js'
import { createSimulatedOptimizer } from '../src/simulate/index.js'
import { makeSyntheticTask } from '../src/simulate/tasks.js'
import { loadedTask, simulatedScore } from '../tests/optimize/sim-task.js'
import { int, pct, print, pts, seedList, seedsFromEnv, table } from './helpers/format.js'

const defaults = parseConfig(
  'provider:\n  type: simulated\ntasks:\n  - name: t\n    prompt: p.md\n    data: d.jsonl\n',
  'prompt-descent.yml'
).optimize
const APO: ApoConfig = defaults.apo
const GEPA: GepaConfig = { ...defaults.gepa, preset: 'heavy' }
/** Shares of APO's target calls GEPA may spend: the 25/50/100 % and two lower ones. */
const SHARES = [0.05, 0.1, 0.25, 0.5, 1] as const
const FULL = SHARES.length - 1

function task(seed: number): LoadedTask {
  return loadedTask(
    makeSyntheticTask({
      name: 'triage',
      kind: 'triage',
      size: 300,
      seed: `bench-${seed}`,
      traits: ['sarcasm', 'negation', 'two-issues', 'hedging', 'rhetorical', 'caps', 'numeric']
    })
  )
}

/** Test accuracy of prompts, memoised by text (scored outside any run's ledger). */
function testScorer(t: LoadedTask, seed: number) {
  const { score } = simulatedScore(t, seed)
  const test = t.examples.filter((e) => e.split === 'test')
  const memo = new Map<string, number>()
  return async (parts: PromptParts): Promise<number> => {
    const key = `${parts.system ?? ''}\u0000${parts.user}`
    const known = memo.get(key)
    if (known !== undefined) return known
    const results = await score(parts, test)
    const value = results.reduce((s, r) => s + r.score, 0) / results.length
    memo.set(key, value)
    return value
  }
}

interface SeedResult {
  apo: number
  apoCalls: number
  apoReach: number | null
  gepa: number[]
  gepaCalls: number[]
  /** GEPA at 100 %: target calls when an admitted candidate first reached APO's final test score. */
  gepaReach: number | null
  best: number
  bestCalls: number
  start: number
}

async function oneSeed(seed: number): Promise<SeedResult> {
  const t = task(seed)
  const start = partsOf(t.prompt)
  const testOf = testScorer(t, seed)
  const optimizer = createSimulatedOptimizer({ seed })

  const apoScore = simulatedScore(t, seed)
  const cumulative: number[] = []
  const apo = await runApo({
    task: t,
    start,
    edit: 'user',
    config: APO,
    optimizer,
    score: apoScore.score,
    seed,
    onRound: (r) => cumulative.push((cumulative.at(-1) ?? 0) + r.targetCalls)
  })
  const apoCalls = apoScore.log.calls
  const apoTest = await testOf(apo.best)
  // APO's calls to first reach its own final score: the round whose best (beam head) got there.
  let apoReach: number | null = null
  for (const [i, r] of apo.rounds.entries()) {
    const head = apo.candidates.find((c) => c.id === r.beam[0])
    if (head && (await testOf(pairWith(start, 'user', head.prompt))) >= apoTest) {
      apoReach = cumulative[i] ?? null
      break
    }
  }

  const gepa: number[] = []
  const gepaCalls: number[] = []
  let gepaReach: number | null = null
  for (const share of SHARES) {
    const cap = Math.max(1, Math.floor(apoCalls * share))
    const s = simulatedScore(t, seed)
    const admittedAt: Array<{ id: string; calls: number }> = []
    const result = await runGepa({
      task: t,
      start,
      edit: 'user',
      config: { ...GEPA, maxCalls: cap },
      optimizer,
      score: s.score,
      seed,
      onIteration: (it) => {
        if (it.outcome === 'admitted' && it.childId) {
          admittedAt.push({ id: it.childId, calls: it.ledger.targetCalls })
        }
      }
    }).catch(() => undefined)
    if (result === undefined) {
      gepa.push(await testOf(start))
      gepaCalls.push(0)
      continue
    }
    gepa.push(await testOf(result.best))
    gepaCalls.push(s.log.calls)
    if (share === 1) {
      const seedTest = await testOf(start)
      if (seedTest >= apoTest) gepaReach = result.details.ledger.seedDev
      for (const a of admittedAt) {
        if (gepaReach !== null) break
        const node = result.details.nodes.find((n) => n.id === a.id)
        if (node && (await testOf(pairWith(start, 'user', node.prompt))) >= apoTest)
          gepaReach = a.calls
      }
    }
  }
  const bestScore = simulatedScore(t, seed)
  const bestOnly = await runGepa({
    task: t,
    start,
    edit: 'user',
    config: { ...GEPA, maxCalls: apoCalls, selection: 'best' },
    optimizer,
    score: bestScore.score,
    seed
  })
  return {
    apo: apoTest,
    apoCalls,
    apoReach,
    gepa,
    gepaCalls,
    gepaReach,
    best: await testOf(bestOnly.best),
    bestCalls: bestScore.log.calls,
    start: await testOf(start)
  }
}

function interval(values: readonly number[]): string {
  const e = bootstrapMeanInterval(values, { level: 0.95, seed: 1 })
  return `${pts(e.value, 2)} [${pts(e.low, 2)}, ${pts(e.high, 2)}]`
}

describe('GEPA vs APO on the simulated provider', () => {
  it('at 5/10/25/50/100 % of APO’s default target calls, paired by seed', async () => {
    const seeds = seedsFromEnv(Array.from({ length: 100 }, (_, i) => i + 1))
    const runs: SeedResult[] = []
    for (const seed of seeds) runs.push(await oneSeed(seed))
    const n = runs.length
    const avg = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length)
    const rows = SHARES.map((share, i) => {
      const deltas = runs.map((r) => (r.gepa[i] ?? 0) - r.apo)
      const wins = deltas.filter((d) => d > 0).length
      const ties = deltas.filter((d) => d === 0).length
      return [
        `GEPA @ ${share * 100}%`,
        int(avg(runs.map((r) => r.gepaCalls[i] ?? 0))),
        pct(avg(runs.map((r) => r.gepa[i] ?? 0))),
        interval(deltas),
        `${wins}/${ties}/${n - wins - ties}`
      ]
    })
    const ablation = runs.map((r) => (r.gepa[FULL] ?? 0) - r.best)
    const reached = runs.filter((r) => r.gepaReach !== null)
    const half = reached.filter((r) => (r.gepaReach ?? Infinity) <= r.apoCalls / 2).length
    const ratios = reached.map((r) => (r.gepaReach ?? 0) / r.apoCalls)
    const apoReachRatios = runs
      .filter((r) => r.apoReach !== null)
      .map((r) => (r.apoReach ?? 0) / r.apoCalls)
    print([
      '',
      `GEPA vs APO, simulated triage task (300 rows, 7 traits), seeds ${seedList(seeds)} (n = ${n})`,
      `start ${pct(avg(runs.map((r) => r.start)))} · APO ${pct(avg(runs.map((r) => r.apo)))} with ${int(avg(runs.map((r) => r.apoCalls)))} target calls on average`,
      '',
      table(
        ['method', 'target calls', 'test', 'Δ vs APO (pts, 95% CI)', 'win/tie/loss'],
        [
          [
            'APO (defaults)',
            int(avg(runs.map((r) => r.apoCalls))),
            pct(avg(runs.map((r) => r.apo))),
            '–',
            '–'
          ],
          ...rows,
          [
            'GEPA best-only @ 100%',
            int(avg(runs.map((r) => r.bestCalls))),
            pct(avg(runs.map((r) => r.best))),
            interval(runs.map((r) => r.best - r.apo)),
            '–'
          ]
        ]
      ),
      '',
      `ablation, Pareto − best-only at 100 %: ${interval(ablation)} pts`,
      `GEPA reached APO's final test score in ${reached.length}/${n} seeds; within half of APO's calls in ${half}/${n}; median share of APO's calls ${pct(ratios.sort((a, b) => a - b)[Math.floor(ratios.length / 2)] ?? null)}`,
      `APO itself first reached its final score at a median ${pct(apoReachRatios.sort((a, b) => a - b)[Math.floor(apoReachRatios.length / 2)] ?? null)} of its calls`
    ])
    expect(runs.length).toBe(seeds.length)
  })
})
