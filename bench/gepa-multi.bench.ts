/**
 * GEPA on the shared system prompt of the simulated review family (4 meta-train tasks, 3 unseen)
 * against MetaSPO, at equal target-call budgets, with the merge ablation in the same run.
 *
 * Per seed: the demo's multi-task repository (BENCH_GEPA_MULTI_ROWS rows per task, default 100),
 * MetaSPO with the repository's settings through the run layer (its search's target calls = N),
 * then GEPA on the system prompt and the four user prompts capped at N target calls
 * (`optimize.gepa.max_calls`, preset heavy), with merge on and with merge off, and GEPA on the
 * system prompt alone (`components: system`; merge is inert with one component). Each run is scored
 * as the CLI scores it: the source tasks' test split (starting vs optimized pair) and the unseen
 * tasks (default vs optimized system prompt, averaged over each task's own prompt and two variants).
 * Differences are paired by seed, with 95 % bootstrap intervals over seeds.
 *
 *   npm run bench:gepa-multi               # 100 seeds (BENCH_SEEDS=1-20 for a quick look)
 */
import { afterAll, describe, expect, it } from 'vitest'
import { bootstrapMeanInterval } from '../src/eval/stats.js'
import { int, mean, pct, print, pts, seedList, seedsFromEnv, table } from './helpers/format.js'
import { runGepaSharedOnce, type GepaSharedMeasure } from './helpers/gepa-multi-sim.js'
import { runMetaspoOnce, type MetaspoMeasure } from './helpers/metaspo-sim.js'
import { makeSimRepo, type SimRepo } from './helpers/session.js'

const SEEDS = seedsFromEnv(Array.from({ length: 100 }, (_, i) => i + 1))
const ROWS = Number(process.env['BENCH_GEPA_MULTI_ROWS'] ?? 100)

interface Scores {
  /** Mean over the source tasks of the optimized pair's test score. */
  seen: number
  /** Mean over the unseen tasks of the optimized system prompt's score. */
  unseen: number
  searchCalls: number
  stop: string
}

interface SeedResult {
  start: { seen: number; unseen: number }
  metaspo: Scores
  merge: Scores & { merges: number; admitted: number }
  noMerge: Scores
  systemOnly: Scores
}

function metaspoScores(m: MetaspoMeasure): Scores {
  const source = m.report.optimization?.testComparison ?? []
  return {
    seen: mean(source.map((c) => c.head.value)),
    unseen: m.unseen?.average.optimized ?? NaN,
    searchCalls: m.result.calls.target,
    stop: m.result.stop.reason
  }
}

function gepaScores(g: GepaSharedMeasure): Scores {
  const source = g.report.optimization?.testComparison ?? []
  return {
    seen: mean(source.map((c) => c.head.value)),
    unseen: g.unseen?.average.optimized ?? NaN,
    searchCalls: g.result.details.ledger.targetCalls,
    stop: `${g.result.stop.reason}: ${g.result.stop.message.replace(/\d+/g, 'N')}`
  }
}

const repos: SimRepo[] = []
afterAll(async () => {
  for (const repo of repos) await repo.remove()
})

async function oneSeed(seed: number): Promise<SeedResult> {
  const repo = await makeSimRepo(seed, { rows: ROWS, multiTask: true })
  try {
    const metaspo = await runMetaspoOnce(repo.project, seed, {})
    const budget = metaspo.result.calls.target
    const gepa = { preset: 'heavy' as const, maxCalls: budget }
    const all = { ...gepa, components: 'all' as const }
    const merge = await runGepaSharedOnce(repo.project, seed, { ...all, merge: true })
    const noMerge = await runGepaSharedOnce(repo.project, seed, { ...all, merge: false })
    const systemOnly = await runGepaSharedOnce(repo.project, seed, {
      ...gepa,
      components: 'system'
    })
    for (const g of [merge, noMerge, systemOnly]) {
      expect(g.result.details.ledger.targetCalls).toBeLessThanOrEqual(budget)
      expect(g.report.optimization?.testComparison).toHaveLength(4)
    }
    const source = metaspo.report.optimization?.testComparison ?? []
    const nodes = merge.result.details.nodes
    return {
      start: {
        seen: mean(source.map((c) => c.base.value)),
        unseen: metaspo.unseen?.average.default ?? NaN
      },
      metaspo: metaspoScores(metaspo),
      merge: {
        ...gepaScores(merge),
        merges: nodes.filter((n) => n.merge !== null).length,
        admitted: nodes.filter((n) => n.merge !== null && n.outcome === 'admitted').length
      },
      noMerge: gepaScores(noMerge),
      systemOnly: gepaScores(systemOnly)
    }
  } finally {
    await repo.remove()
  }
}

function interval(values: readonly number[]): string {
  const e = bootstrapMeanInterval(values, { level: 0.95, seed: 1 })
  return `${pts(e.value, 2)} [${pts(e.low, 2)}, ${pts(e.high, 2)}]`
}

/** How often each stop reason ended the GEPA runs (numbers masked). */
function stops(runs: readonly SeedResult[]): string {
  const counts = new Map<string, number>()
  for (const r of runs)
    for (const s of [r.merge.stop, r.noMerge.stop, r.systemOnly.stop])
      counts.set(s, (counts.get(s) ?? 0) + 1)
  return [...counts].map(([s, n]) => `${n}× ${s}`).join('; ')
}

function record(values: readonly number[]): string {
  return `${values.filter((d) => d > 0).length}/${values.filter((d) => d === 0).length}/${values.filter((d) => d < 0).length}`
}

describe(`GEPA vs MetaSPO on the shared system prompt (review family, ${ROWS} rows per task)`, () => {
  it(`at MetaSPO's target calls, seen and unseen tasks, merge on vs off (seeds ${seedList(SEEDS)})`, async () => {
    const runs: SeedResult[] = []
    for (const seed of SEEDS) {
      const r = await oneSeed(seed)
      runs.push(r)
      // One line per seed as it ends, so a long run shows its progress.
      process.stderr.write(
        `seed ${seed}: seen ${pct(r.metaspo.seen)} / ${pct(r.merge.seen)} / ${pct(r.noMerge.seen)} / ${pct(r.systemOnly.seen)}, unseen ${pct(r.metaspo.unseen)} / ${pct(r.merge.unseen)} / ${pct(r.noMerge.unseen)} / ${pct(r.systemOnly.unseen)} (MetaSPO / GEPA merge on / off / system only)\n`
      )
    }
    const col = (f: (r: SeedResult) => number) => runs.map(f)
    const rows = [
      [
        'starting prompts',
        pct(mean(col((r) => r.start.seen))),
        pct(mean(col((r) => r.start.unseen))),
        '–'
      ],
      [
        'MetaSPO',
        pct(mean(col((r) => r.metaspo.seen))),
        pct(mean(col((r) => r.metaspo.unseen))),
        int(mean(col((r) => r.metaspo.searchCalls)))
      ],
      [
        'GEPA, merge on',
        pct(mean(col((r) => r.merge.seen))),
        pct(mean(col((r) => r.merge.unseen))),
        int(mean(col((r) => r.merge.searchCalls)))
      ],
      [
        'GEPA, system prompt only',
        pct(mean(col((r) => r.systemOnly.seen))),
        pct(mean(col((r) => r.systemOnly.unseen))),
        int(mean(col((r) => r.systemOnly.searchCalls)))
      ],
      [
        'GEPA, merge off',
        pct(mean(col((r) => r.noMerge.seen))),
        pct(mean(col((r) => r.noMerge.unseen))),
        int(mean(col((r) => r.noMerge.searchCalls)))
      ]
    ]
    const pairs: Array<[string, (r: SeedResult) => number]> = [
      ['GEPA (merge on) − MetaSPO, seen tasks', (r) => r.merge.seen - r.metaspo.seen],
      ['GEPA (merge on) − MetaSPO, unseen tasks', (r) => r.merge.unseen - r.metaspo.unseen],
      ['GEPA (merge off) − MetaSPO, seen tasks', (r) => r.noMerge.seen - r.metaspo.seen],
      ['GEPA (merge off) − MetaSPO, unseen tasks', (r) => r.noMerge.unseen - r.metaspo.unseen],
      ['GEPA (system only) − MetaSPO, seen tasks', (r) => r.systemOnly.seen - r.metaspo.seen],
      ['GEPA (system only) − MetaSPO, unseen tasks', (r) => r.systemOnly.unseen - r.metaspo.unseen],
      ['merge on − off, seen tasks', (r) => r.merge.seen - r.noMerge.seen],
      ['merge on − off, unseen tasks', (r) => r.merge.unseen - r.noMerge.unseen]
    ]
    print([
      '',
      `GEPA on the shared system prompt vs MetaSPO — simulated review family, ${ROWS} rows per task, ${runs.length} seeds (${seedList(SEEDS)}).`,
      "Test means: seen = the 4 meta-train tasks (optimized system + user prompts), unseen = the 3 held-out tasks (optimized system prompt, each task's own prompt and 2 variants).",
      "GEPA capped at the target calls MetaSPO's search spent on the same seed (max_calls; preset heavy).",
      '',
      table(['', 'seen (test)', 'unseen (test)', 'search target calls'], rows),
      '',
      table(
        ['paired by seed', 'mean [95% CI], pts', 'better/tie/worse'],
        pairs.map(([label, f]) => [label, interval(col(f)), record(col(f))])
      ),
      '',
      `why GEPA stopped: ${stops(runs)}`,
      `merges (merge on): ${int(mean(col((r) => r.merge.merges)))} tried and ${mean(col((r) => r.merge.admitted)).toFixed(2)} admitted per run on average`
    ])
    for (const r of runs) {
      expect(r.merge.searchCalls).toBeLessThanOrEqual(r.metaspo.searchCalls)
      expect(r.noMerge.searchCalls).toBeLessThanOrEqual(r.metaspo.searchCalls)
    }
  })
})
