/**
 * GEPA's final choice: finalists by dev mean, rows the search never chose on, the pooled-mean pick,
 * and in a run: its calls reserved within max_calls, the same pick for the same seed, and the
 * budget-driven dev passes of an explicit cap.
 */
import { describe, expect, it } from 'vitest'
import { partsOf } from '../../src/config/prompt.js'
import type { Example } from '../../src/config/project-types.js'
import type { GepaConfig } from '../../src/config/types.js'
import { estimateGepaRun } from '../../src/optimize/gepa/estimate.js'
import {
  finalists,
  finalRows,
  pickFinalist,
  pooledMean
} from '../../src/optimize/gepa/final-pick.js'
import { runGepa } from '../../src/optimize/gepa/gepa.js'
import { meanOf } from '../../src/optimize/gepa/pareto.js'
import { devPassCap, presetDevPasses } from '../../src/optimize/gepa/presets.js'
import { createSimulatedOptimizer } from '../../src/simulate/index.js'
import { makeSyntheticTask } from '../../src/simulate/tasks.js'
import { createRandom } from '../../src/util/random.js'
import { loadedTask, simulatedScore } from './sim-task.js'

const config: GepaConfig = {
  preset: 'light',
  minibatch: 3,
  confirm: 3,
  devRows: 40,
  maxCalls: undefined,
  selection: 'pareto',
  maxPromptChars: undefined,
  target: undefined
}

function row(id: string, split: Example['split']): Example {
  return { id, fields: { id, text: id }, expected: 'x', split, line: 1 }
}

function triage() {
  return loadedTask(
    makeSyntheticTask({
      name: 'triage',
      kind: 'triage',
      size: 200,
      seed: 8,
      traits: ['sarcasm', 'negation', 'two-issues', 'hedging', 'rhetorical', 'caps', 'numeric']
    })
  )
}

async function run(seed: number, overrides: Partial<GepaConfig> = {}, finalistsCount?: number) {
  const task = triage()
  const { score, log } = simulatedScore(task, seed)
  const result = await runGepa({
    task,
    start: partsOf(task.prompt),
    edit: 'user',
    config: { ...config, ...overrides },
    optimizer: createSimulatedOptimizer({ seed }),
    score,
    seed,
    ...(finalistsCount === undefined ? {} : { finalists: finalistsCount })
  })
  return { task, result, log }
}

describe('GEPA final pick, parts', () => {
  it('takes the k best dev means, best first, the earlier admitted on a tie', () => {
    const pool = [
      { index: 0, scores: [0, 0, 1] },
      { index: 1, scores: [1, 1, 0] },
      { index: 2, scores: [1, 0, 1] },
      { index: 3, scores: [1, 1, 1] }
    ]
    expect(finalists(pool, 3)).toEqual([3, 1, 2])
    expect(finalists(pool, 10)).toEqual([3, 1, 2, 0])
    expect(finalists(pool, 0)).toEqual([])
  })

  it('re-scores on unused dev rows first, then train rows no step used, never the rest', () => {
    const dev = ['d1', 'd2', 'd3', 'd4'].map((id) => row(id, 'dev'))
    const train = ['t1', 't2', 't3', 't4'].map((id) => row(id, 'train'))
    const used = { pareto: new Set(['d1', 'd3']), train: new Set(['t2', 't3']) }
    const all = finalRows({ dev, train }, used, 10, createRandom(1))
    expect(all.map((r) => r.id)).toEqual(['d2', 'd4', 't1', 't4'])
    const three = finalRows({ dev, train }, used, 3, createRandom(1))
    expect(three.map((r) => r.id).slice(0, 2)).toEqual(['d2', 'd4'])
    expect(three).toHaveLength(3)
    expect(finalRows({ dev, train }, used, 3, createRandom(1))).toEqual(three)
  })

  it('picks the best mean over dev and extra rows together; a tie keeps the dev order', () => {
    const lucky = { index: 4, dev: [1, 1, 1, 1], extra: [1, 0, 0, 1] }
    const steady = { index: 7, dev: [1, 1, 1, 0], extra: [1, 1, 1, 1] }
    expect(pooledMean(lucky)).toBeCloseTo(0.75)
    expect(pickFinalist([lucky, steady])).toBe(7)
    expect(pickFinalist([lucky, { ...steady, extra: [1, 1, 0, 1] }])).toBe(4)
    expect(pickFinalist([])).toBeUndefined()
  })

  it('lets an explicit max_calls set the dev passes, never fewer than the preset', () => {
    expect(devPassCap('light', undefined, 60)).toBe(presetDevPasses('light'))
    expect(devPassCap('light', 200, 60)).toBe(presetDevPasses('light'))
    expect(devPassCap('light', 3060, 60)).toBe(50)
    const estimate = estimateGepaRun(
      { ...config, maxCalls: 3060, devRows: 60 },
      { train: 120, dev: 90 }
    )
    expect(estimate.devPasses).toBe(50)
    expect(estimate.targetCalls).toBe(3060)
  })
})

describe('GEPA final pick in a run', () => {
  it('re-scores the best few on rows the search never chose on and proposes the pooled best', async () => {
    const { task, result, log } = await run(3)
    const pick = result.details.finalPick
    expect(pick).not.toBeNull()
    if (pick === null) return
    expect(log.splits.has('test')).toBe(false)
    const searched = new Set([
      ...result.details.devRows,
      ...result.details.nodes.flatMap((n) => [...n.minibatch, ...(n.confirm?.rows ?? [])])
    ])
    expect(pick.rows.length).toBeGreaterThan(0)
    expect(pick.rows.filter((id) => searched.has(id))).toEqual([])
    const split = new Map(task.examples.map((e) => [e.id, e.split]))
    expect(pick.rows.every((id) => split.get(id) !== 'test')).toBe(true)
    expect(pick.finalists).toHaveLength(3)
    expect(result.details.ledger.finalCalls).toBe(pick.finalists.length * pick.rows.length)
    expect(result.bestId).toBe(pick.chosen)
    // The chosen one has the best mean over its dev and extra rows.
    const V = result.details.devRows.length
    const R = pick.rows.length
    const pooled = pick.finalists.map((f) => (f.devMean * V + f.extraMean * R) / (V + R))
    const chosen = pick.finalists.findIndex((f) => f.id === pick.chosen)
    expect(pooled[chosen]).toBe(Math.max(...pooled))
  })

  it('without finalists proposes the best dev mean, as the reference does', async () => {
    const { result } = await run(3, {}, 0)
    expect(result.details.finalPick).toBeNull()
    expect(result.details.ledger.finalCalls).toBe(0)
    const admitted = result.details.nodes.filter((n) => n.devScores !== null)
    const best = Math.max(...admitted.map((n) => meanOf(n.devScores ?? [])))
    const chosen = result.details.nodes.find((n) => n.id === result.bestId)
    expect(chosen?.devMean).toBe(best)
  })

  it('gives the same pick for the same seed', async () => {
    const a = await run(9)
    const b = await run(9)
    expect(a.result.details.finalPick).toEqual(b.result.details.finalPick)
    expect(a.result.bestId).toBe(b.result.bestId)
    expect(a.log.calls).toBe(b.log.calls)
  })

  it('spends an explicit max_calls beyond the preset and never overshoots it, final pick included', async () => {
    const preset = await run(4)
    for (const cap of [preset.log.calls + 400, 1500, 700]) {
      const capped = await run(4, { maxCalls: cap })
      expect(capped.log.calls).toBeLessThanOrEqual(cap)
      expect(capped.result.details.ledger.targetCalls).toBe(capped.log.calls)
      const pick = capped.result.details.finalPick
      if (pick !== null) {
        expect(pick.finalists.length * pick.rows.length).toBeLessThanOrEqual(Math.floor(cap * 0.2))
      }
    }
    const big = await run(4, { maxCalls: 1500 })
    expect(big.result.details.ledger.devPasses).toBeGreaterThan(presetDevPasses('light'))
  })
})

describe('GEPA proposals equal to a rejected one', () => {
  const outcomeOf = (result: Awaited<ReturnType<typeof run>>['result'], id: string) =>
    result.details.nodes.find((n) => n.id === id)?.outcome

  it('judges them again on the new minibatch; only a text in the pool stays a duplicate', async () => {
    const task = triage()
    const runWith = async (retryRejected: boolean | undefined) => {
      const { score, log } = simulatedScore(task, 10)
      const result = await runGepa({
        task,
        start: partsOf(task.prompt),
        edit: 'user',
        config: { ...config, maxCalls: 2000 },
        optimizer: createSimulatedOptimizer({ seed: 10 }),
        score,
        seed: 10,
        ...(retryRejected === undefined ? {} : { retryRejected })
      })
      return { result, log }
    }
    const duplicatesOf = (result: Awaited<ReturnType<typeof run>>['result']) =>
      result.details.nodes
        .map((n) => /^duplicates: same as (g\d+)/.exec(n.rejected ?? '')?.[1])
        .filter((id): id is string => id !== undefined)
        .map((id) => outcomeOf(result, id))
    const retried = await runWith(undefined)
    const strict = await runWith(false)
    expect(duplicatesOf(strict.result).some((o) => o === 'gate' || o === 'confirm')).toBe(true)
    expect(duplicatesOf(retried.result).every((o) => o === 'admitted' || o === 'seed')).toBe(true)
    // A text judged more than once: the same prompt under several node ids.
    const texts = retried.result.details.nodes
      .filter((n) => n.after.length > 0)
      .map((n) => n.prompt)
    expect(new Set(texts).size).toBeLessThan(texts.length)
    // The pool never holds a text twice, and the cap holds.
    const pooled = retried.result.details.nodes
      .filter((n) => n.devScores !== null)
      .map((n) => n.prompt)
    expect(new Set(pooled).size).toBe(pooled.length)
    expect(retried.log.calls).toBeLessThanOrEqual(2000)
    expect(retried.result.details.ledger.targetCalls).toBe(retried.log.calls)
  })
})
