/**
 * GEPA on the simulated provider: the ledger against the cost formula, determinism, budget stops,
 * guards, and the Pareto pool keeping two trait families that best-only selection loses.
 */
import { describe, expect, it } from 'vitest'
import { partsOf } from '../../src/config/prompt.js'
import type { GepaConfig } from '../../src/config/types.js'
import type { ChatModel } from '../../src/llm/chat-model.js'
import { gepaTargetCalls } from '../../src/optimize/gepa/estimate.js'
import { runGepa } from '../../src/optimize/gepa/gepa.js'
import { GEPA_STALL_PROPOSALS } from '../../src/optimize/gepa/stall.js'
import { gepaOptimizationReport } from '../../src/optimize/gepa/report.js'
import type { GepaResult } from '../../src/optimize/gepa/types.js'
import { optimizeBlocks } from '../../src/report/markdown-optimize.js'
import { createSimulatedOptimizer } from '../../src/simulate/index.js'
import { GEPA_TEST_CONFIG, gepaTriage, simulatedScore } from './sim-task.js'

const config = GEPA_TEST_CONFIG
const triage = gepaTriage

/** The simulated optimizer, counting its calls. */
function countingOptimizer(seed: number, mistakeRate?: number) {
  const inner = createSimulatedOptimizer({
    seed,
    ...(mistakeRate === undefined ? {} : { mistakeRate })
  })
  const log = { calls: 0 }
  const model: ChatModel = {
    model: inner.model,
    role: 'optimizer',
    complete: (request, options) => {
      log.calls++
      return inner.complete(request, options)
    }
  }
  return { model, log }
}

async function run(seed: number, overrides: Partial<GepaConfig> = {}, callCap = Infinity) {
  const task = triage()
  const { score, log } = simulatedScore(task, seed, callCap)
  const optimizer = countingOptimizer(seed)
  const result = await runGepa({
    task,
    start: partsOf(task.prompt),
    edit: 'user',
    config: { ...config, ...overrides },
    optimizer: optimizer.model,
    score,
    seed
  })
  return { task, result, targetCalls: log.calls, optimizerCalls: optimizer.log.calls, log }
}

function tree(result: GepaResult) {
  return result.details.nodes.map((n) => [n.id, n.parentId, n.outcome, n.prompt, n.minibatch])
}

describe('GEPA on the simulated provider', () => {
  it('keeps a ledger equal to the calls made and to the cost formula', async () => {
    const { result, targetCalls, optimizerCalls, log } = await run(3)
    const { ledger, nodes, devRows, minibatch, confirm } = result.details
    expect(log.splits.has('test')).toBe(false)
    expect(ledger.targetCalls).toBe(targetCalls)
    expect(ledger.optimizerCalls).toBe(optimizerCalls)
    const children = nodes.filter((n) => n.parentId !== null)
    const counts = {
      V: devRows.length,
      b: minibatch,
      c: confirm,
      proposed: children.filter((n) => n.after.length > 0).length,
      gated: children.filter((n) => n.confirm !== null).length,
      admitted: children.filter((n) => n.outcome === 'admitted').length
    }
    expect(counts.admitted).toBeGreaterThan(0)
    expect(gepaTargetCalls(counts, ledger)).toBe(targetCalls)
    expect(ledger.devPasses).toBe(counts.admitted)
    // One reflection per iteration whose minibatch the parent did not solve.
    const solved = result.rounds.filter((r) => r.candidates === 0 && r.optimizerCalls === 0)
    expect(optimizerCalls).toBe(result.rounds.length - solved.length)
    expect(ledger.memoHits).toBeGreaterThan(0)
  })

  it('lifts the weak starting prompt on dev and grows a tree with lineage', async () => {
    const { result } = await run(5)
    const seed = result.details.nodes[0]
    const best = result.details.nodes.find((n) => n.id === result.bestId)
    expect(seed?.devMean).not.toBeNull()
    expect(best?.devMean ?? 0).toBeGreaterThan((seed?.devMean ?? 1) + 0.2)
    for (const node of result.details.nodes.slice(1)) {
      expect(result.details.nodes.some((n) => n.id === node.parentId)).toBe(true)
      expect(node.feedback).toHaveLength(node.minibatch.length)
    }
    expect(result.details.front.length).toBeGreaterThan(0)
  })

  it('gives the same tree for the same seed, and another for another seed', async () => {
    const a = await run(11)
    const b = await run(11)
    const c = await run(12)
    expect(tree(a.result)).toEqual(tree(b.result))
    expect(a.targetCalls).toBe(b.targetCalls)
    expect(tree(c.result)).not.toEqual(tree(a.result))
  })

  it('never overshoots max_calls: stops before an iteration it could not pay for', async () => {
    const full = await run(4)
    const cap = Math.floor(full.targetCalls / 2)
    const capped = await run(4, { maxCalls: cap })
    expect(capped.result.stop.reason).toBe('budget')
    expect(capped.targetCalls).toBeLessThanOrEqual(cap)
    expect(capped.result.details.ledger.targetCalls).toBe(capped.targetCalls)
    const best = capped.result.details.nodes.find((n) => n.id === capped.result.bestId)
    expect(best?.devScores).not.toBeNull()
  })

  it('stops cleanly on a budget stop mid-iteration with the best candidate and a valid report', async () => {
    const full = await run(6)
    const { task, result } = await run(6, {}, Math.floor(full.targetCalls * 0.6))
    expect(result.stop.reason).toBe('budget')
    const best = result.details.nodes.find((n) => n.id === result.bestId)
    expect(best?.outcome === 'admitted' || best?.outcome === 'seed').toBe(true)
    expect(result.best.user).toBe(best?.prompt)
    const report = gepaOptimizationReport({
      result,
      task,
      start: partsOf(task.prompt),
      edit: 'user',
      seed: 6,
      simulated: true,
      testComparison: []
    })
    const text = optimizeBlocks(report)
      .map((b) => b.text)
      .join('\n')
    expect(text).toContain('Candidate tree')
    expect(text).toContain(result.bestId)
  })

  it('turns away copied, bloated and unclosed proposals before any target call', async () => {
    const task = triage()
    const { score, log } = simulatedScore(task, 2)
    const optimizer = countingOptimizer(2, 1)
    const result = await runGepa({
      task,
      start: partsOf(task.prompt),
      edit: 'user',
      config,
      optimizer: optimizer.model,
      score,
      seed: 2
    })
    const guard = result.details.guard
    expect((guard['copiesTrain'] ?? 0) + (guard['tooLong'] ?? 0)).toBeGreaterThan(0)
    expect(guard['missingTags'] ?? 0).toBeGreaterThan(0)
    const childCalls = result.details.ledger.childMinibatch
    expect(childCalls).toBe(0)
    expect(result.bestId).toBe('g0')
    expect(log.calls).toBe(result.details.ledger.targetCalls)
  })
})

describe('GEPA stall stop', () => {
  it('stops after GEPA_STALL_PROPOSALS proposals in a row that only repeat the seed', async () => {
    const task = triage()
    const start = partsOf(task.prompt)
    const { score } = simulatedScore(task, 2)
    let calls = 0
    const echo: ChatModel = {
      model: 'scripted-echo',
      role: 'optimizer',
      complete: () => {
        calls++
        return Promise.resolve({
          text: `<new_prompt>${start.user}</new_prompt>`,
          usage: { inputTokens: 0, outputTokens: 0 },
          cached: false
        })
      }
    }
    const runOnce = () =>
      // heavy: its 108 iterations outlast the stall limit (light's 36 would not reach it).
      runGepa({
        task,
        start,
        edit: 'user',
        config: { ...config, preset: 'heavy' },
        optimizer: echo,
        score,
        seed: 2
      })
    const result = await runOnce()
    const n = GEPA_STALL_PROPOSALS
    expect(result.stop).toEqual({
      reason: 'completed',
      message: `the search stalled: ${n} proposals in a row admitted no candidate (${n} duplicates, 0 turned away by the minibatch gate, 0 by the guard or the confirmation rows)`
    })
    expect(calls).toBe(n)
    expect(result.details.ledger.optimizerCalls).toBe(n)
    expect(result.rounds).toHaveLength(n)
    expect(result.details.nodes.slice(1).map((x) => x.rejected)).toEqual(
      Array.from({ length: n }, () => 'duplicates: same as g0')
    )
    expect(result.bestId).toBe('g0')
    const again = await runOnce()
    expect(tree(again)).toEqual(tree(result))
  })
})
