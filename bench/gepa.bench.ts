/**
 * GEPA against APO on the simulated provider, at equal target-call budgets.
 *
 * Per seed: a synthetic triage task (its own rows), APO with the config's defaults (its search's
 * target calls = N), then GEPA (preset heavy) capped at 10, 25, 50 and 100 % of N
 * (`optimize.gepa.max_calls`: an explicit cap is the budget the run may spend).
 * Test accuracy of each run's proposed prompt against APO's, paired by seed with a 95 % bootstrap
 * interval, and the share of seeds where it reaches APO's final test score. Then the target calls
 * GEPA needed, in the 100 % run, until a candidate it admitted first reached APO's final test
 * score (candidates are scored on test only for this measurement, outside the runs' ledgers), and
 * the same for APO's beam head.
 *
 * Ablations, same seeds: GEPA bound by its preset only (no cap: the behaviour before a cap was a
 * budget), and GEPA at 50 % always mutating the best-mean candidate instead of drawing from the
 * Pareto front.
 *
 *   npm run bench:gepa                     # 100 seeds (BENCH_SEEDS=1-300 for more)
 */
import { writeFileSync } from 'node:fs'
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
/** Shares of APO's target calls GEPA may spend: the 25/50/100 % and a lower one. */
const SHARES = [0.1, 0.25, 0.5, 1] as const
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

interface Run {
  test: number
  calls: number
  /** Optimizer (reflection) calls the run paid. */
  optimizer: number
}

interface SeedResult {
  apo: number
  apoCalls: number
  apoReach: number | null
  /** GEPA per share of APO's calls. */
  gepa: Run[]
  /** GEPA at 100 %: target calls when an admitted candidate first reached APO's final test score. */
  gepaReach: number | null
  presetOnly: Run
  bestOnly: Run
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

  const gepaRun = async (config: GepaConfig, onAdmit?: (id: string, calls: number) => void) => {
    const s = simulatedScore(t, seed)
    const result = await runGepa({
      task: t,
      start,
      edit: 'user',
      config,
      optimizer,
      score: s.score,
      seed,
      onIteration: (it) => {
        if (it.outcome === 'admitted' && it.childId) onAdmit?.(it.childId, it.ledger.targetCalls)
      }
    })
    const run: Run = {
      test: await testOf(result.best),
      calls: s.log.calls,
      optimizer: result.details.ledger.optimizerCalls
    }
    return { result, run }
  }

  const gepa: Run[] = []
  let gepaReach: number | null = null
  for (const share of SHARES) {
    const cap = Math.max(1, Math.floor(apoCalls * share))
    const admittedAt: Array<{ id: string; calls: number }> = []
    const { result, run } = await gepaRun({ ...GEPA, maxCalls: cap }, (id, calls) =>
      admittedAt.push({ id, calls })
    )
    gepa.push(run)
    if (share === 1) {
      if ((await testOf(start)) >= apoTest) gepaReach = result.details.ledger.seedDev
      for (const a of admittedAt) {
        if (gepaReach !== null) break
        const node = result.details.nodes.find((n) => n.id === a.id)
        if (node && (await testOf(pairWith(start, 'user', node.prompt))) >= apoTest)
          gepaReach = a.calls
      }
    }
  }
  const half = Math.floor(apoCalls / 2)
  return {
    apo: apoTest,
    apoCalls,
    apoReach,
    gepa,
    gepaReach,
    presetOnly: (await gepaRun(GEPA)).run,
    bestOnly: (await gepaRun({ ...GEPA, maxCalls: half, selection: 'best' })).run,
    start: await testOf(start)
  }
}

function interval(values: readonly number[]): string {
  const e = bootstrapMeanInterval(values, { level: 0.95, seed: 1 })
  return `${pts(e.value, 2)} [${pts(e.low, 2)}, ${pts(e.high, 2)}]`
}

const avg = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / Math.max(1, xs.length)
const median = (xs: readonly number[]) =>
  xs.length === 0 ? null : ([...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? null)

describe('GEPA vs APO on the simulated provider', () => {
  it('at 10/25/50/100 % of APO’s default target calls, paired by seed', async () => {
    const seeds = seedsFromEnv(Array.from({ length: 100 }, (_, i) => i + 1))
    const runs: SeedResult[] = []
    for (const seed of seeds) runs.push(await oneSeed(seed))
    const n = runs.length
    const row = (label: string, of: (r: SeedResult) => Run) => {
      const deltas = runs.map((r) => of(r).test - r.apo)
      const wins = deltas.filter((d) => d > 0).length
      const ties = deltas.filter((d) => d === 0).length
      return [
        label,
        int(avg(runs.map((r) => of(r).calls))),
        int(avg(runs.map((r) => of(r).optimizer))),
        pct(avg(runs.map((r) => of(r).test))),
        interval(deltas),
        `${wins}/${ties}/${n - wins - ties}`,
        `${runs.filter((r) => of(r).test >= r.apo).length}/${n}`
      ]
    }
    const reached = runs.filter((r) => r.gepaReach !== null)
    const withinHalf = reached.filter((r) => (r.gepaReach ?? Infinity) <= r.apoCalls / 2).length
    const ratios = reached.map((r) => (r.gepaReach ?? 0) / r.apoCalls)
    const apoReachRatios = runs
      .filter((r) => r.apoReach !== null)
      .map((r) => (r.apoReach ?? 0) / r.apoCalls)
    const full = (r: SeedResult) => r.gepa[FULL] as Run
    const half = (r: SeedResult) => r.gepa[SHARES.indexOf(0.5)] as Run
    print([
      '',
      `GEPA vs APO, simulated triage task (300 rows, 7 traits), seeds ${seedList(seeds)} (n = ${n})`,
      `start ${pct(avg(runs.map((r) => r.start)))} · APO ${pct(avg(runs.map((r) => r.apo)))} with ${int(avg(runs.map((r) => r.apoCalls)))} target calls on average`,
      '',
      table(
        [
          'method',
          'target calls',
          'optimizer calls',
          'test',
          'Δ vs APO (pts, 95% CI)',
          'win/tie/loss',
          '≥ APO'
        ],
        [
          [
            'APO (defaults)',
            int(avg(runs.map((r) => r.apoCalls))),
            '–',
            pct(avg(runs.map((r) => r.apo))),
            '–',
            '–',
            '–'
          ],
          ...SHARES.map((share, i) => row(`GEPA @ ${share * 100}%`, (r) => r.gepa[i] as Run)),
          row('GEPA heavy, no cap', (r) => r.presetOnly),
          row('GEPA best-only @ 50%', (r) => r.bestOnly)
        ]
      ),
      '',
      `budget spent, cap − preset only: ${interval(runs.map((r) => full(r).test - r.presetOnly.test))} pts at 100 %, ${interval(runs.map((r) => half(r).test - r.presetOnly.test))} at 50 %`,
      `Pareto − best-only at 50 %: ${interval(runs.map((r) => half(r).test - r.bestOnly.test))} pts`,
      `a GEPA candidate reached APO's final test score in ${reached.length}/${n} seeds, within half of APO's calls in ${withinHalf}/${n}; median ${pct(median(ratios))} of APO's calls`,
      `APO itself first reached its final score at a median ${pct(median(apoReachRatios))} of its calls`
    ])
    // BENCH_OUT=file.json keeps the per-seed runs, to pair two versions of GEPA seed by seed.
    const out = process.env['BENCH_OUT']
    if (out)
      writeFileSync(out, `${JSON.stringify(runs.map((r, i) => ({ seed: seeds[i], ...r })))}\n`)
    expect(runs.length).toBe(seeds.length)
  })
})
