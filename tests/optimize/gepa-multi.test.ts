/**
 * GEPA on the shared system prompt of the simulated review family (4 tasks, each with its user
 * prompt as a component too): the ledger against the calls made and the cost formula, determinism,
 * merges built from the right parents, merge off, and a budget cap mid-run.
 */
import { describe, expect, it } from 'vitest'
import type { LoadedTask } from '../../src/config/project-types.js'
import type { GepaConfig } from '../../src/config/types.js'
import type { ChatModel } from '../../src/llm/chat-model.js'
import { ancestorsOf, mergePlan, type MergeNode } from '../../src/optimize/gepa/merge.js'
import { runGepaMulti, type GepaMultiResult } from '../../src/optimize/gepa/multi.js'
import { GEPA_STALL_PROPOSALS } from '../../src/optimize/gepa/stall.js'
import { SYSTEM_COMPONENT, userComponent } from '../../src/optimize/gepa/multi-types.js'
import { optimizeBlocks } from '../../src/report/markdown-optimize.js'
import { createSimulatedOptimizer, createSimulatedTarget } from '../../src/simulate/index.js'
import { makeDomainFamily } from '../../src/simulate/family.js'
import { partsOf } from '../../src/config/prompt.js'
import { loadSynthetic, simulatedScoreFor } from './metaspo-sim.js'

const config: GepaConfig = {
  preset: 'medium',
  minibatch: 3,
  confirm: 3,
  devRows: 24,
  maxCalls: undefined,
  selection: 'pareto',
  maxPromptChars: undefined,
  target: undefined,
  components: 'all',
  merge: true,
  mergeShare: 0.5
}

function countingOptimizer(seed: number): { model: ChatModel; calls: () => number } {
  const inner = createSimulatedOptimizer({ seed })
  let calls = 0
  return {
    model: {
      model: inner.model,
      role: 'optimizer',
      complete: (request, options) => {
        calls++
        return inner.complete(request, options)
      }
    },
    calls: () => calls
  }
}

async function run(seed: number, overrides: Partial<GepaConfig> = {}) {
  const family = makeDomainFamily({ seed: 1 })
  const tasks = family.train.map((t) => loadSynthetic(t))
  const scoreFor = simulatedScoreFor(createSimulatedTarget({ seed }))
  const optimizer = countingOptimizer(seed)
  const result = await runGepaMulti({
    tasks,
    start: {
      system: family.systemPrompt,
      users: new Map(tasks.map((t) => [t.name, partsOf(t.prompt).user]))
    },
    userTasks: tasks.map((t) => t.name),
    config: { ...config, ...overrides },
    optimizer: optimizer.model,
    scoreFor,
    seed
  })
  return { tasks, result, targetCalls: scoreFor.calls(), optimizerCalls: optimizer.calls() }
}

function tree(result: GepaMultiResult) {
  return result.details.nodes.map((n) => [
    n.id,
    n.parentId,
    n.component,
    n.merge?.parents ?? null,
    n.outcome,
    n.components,
    n.minibatch
  ])
}

describe('GEPA on several components (shared system prompt + user prompts)', () => {
  it('keeps a ledger equal to the calls made and to the cost formula', async () => {
    const { result, targetCalls, optimizerCalls } = await run(3)
    const { ledger, nodes, devRows } = result.details
    const V = devRows.length
    expect(ledger.targetCalls).toBe(targetCalls)
    expect(ledger.optimizerCalls).toBe(optimizerCalls)
    // Every target call in exactly one part.
    expect(
      ledger.seedDev +
        ledger.parentMinibatch +
        ledger.childMinibatch +
        ledger.confirmParent +
        ledger.confirmChild +
        ledger.devCalls +
        ledger.mergeCalls
    ).toBe(ledger.targetCalls)
    // R = V + u + Σ proposals' minibatches + Σ confirmations + A·V + Σ merges' rows + Σ admitted merges (V − rows)
    const mutations = nodes.filter((n) => n.component !== null)
    const merges = nodes.filter((n) => n.merge !== null)
    const proposed = mutations.filter((n) => n.after.length > 0)
    const confirmed = mutations.filter((n) => n.confirm !== null)
    const admitted = mutations.filter((n) => n.outcome === 'admitted')
    const mergeScored = merges.filter((n) => n.merge?.sum !== null)
    const mergeAdmitted = merges.filter((n) => n.outcome === 'admitted')
    const u = ledger.parentMinibatch + ledger.confirmParent
    const formula =
      V +
      u +
      proposed.reduce((s, n) => s + n.minibatch.length, 0) +
      confirmed.reduce((s, n) => s + (n.confirm?.rows.length ?? 0), 0) +
      admitted.length * V +
      mergeScored.reduce((s, n) => s + (n.merge?.rows.length ?? 0), 0) +
      mergeAdmitted.reduce((s, n) => s + V - (n.merge?.rows.length ?? 0), 0)
    expect(formula).toBe(ledger.targetCalls)
    // One reflection per mutation that got past a solved minibatch.
    expect(ledger.optimizerCalls).toBe(mutations.length)
    expect(ledger.mergeAttempts).toBe(merges.length)
    expect(ledger.mergesAccepted).toBe(mergeAdmitted.length)
    expect(ledger.devPasses).toBe(admitted.length + mergeAdmitted.length)
    // Components change in turn (round robin), and dev rows come from every task.
    expect(new Set(mutations.map((n) => n.component)).size).toBeGreaterThan(1)
    expect(new Set(devRows.map((r) => r.split('/')[0])).size).toBe(4)
    expect(result.stop.reason).toBe('completed')
    expect(result.details.nodes[0]?.devMean).not.toBeNull()
    expect(nodes.find((n) => n.id === result.bestId)?.devMean).toBeGreaterThan(
      nodes[0]?.devMean ?? 1
    )
  })

  it('gives the same tree for the same seed', async () => {
    const a = await run(5)
    const b = await run(5)
    expect(tree(a.result)).toEqual(tree(b.result))
    expect(a.result.details.ledger).toEqual(b.result.details.ledger)
  })

  it('merges two lineages: every component from the parent that changed it', async () => {
    const merged = []
    for (const seed of [3, 4, 5, 6]) {
      const { result } = await run(seed)
      const byId = new Map(result.details.nodes.map((n) => [n.id, n]))
      for (const node of result.details.nodes) {
        if (node.merge === null) continue
        merged.push(node)
        const [i, j] = node.merge.parents.map((p) => byId.get(p))
        const a = byId.get(node.merge.ancestor)
        expect(i && j && a).toBeTruthy()
        if (!i || !j || !a) continue
        // The ancestor is an ancestor of both; neither parent descends from the other.
        const asMerge = (id: string) => {
          const n = byId.get(id)
          return {
            id,
            parents: n?.merge ? [...n.merge.parents] : n?.parentId ? [n.parentId] : [],
            components: n?.components ?? {},
            devMean: n?.devMean ?? 0
          }
        }
        const graph = new Map([...byId.keys()].map((id) => [id, asMerge(id)]))
        expect(ancestorsOf(i.id, graph).has(a.id)).toBe(true)
        expect(ancestorsOf(j.id, graph).has(a.id)).toBe(true)
        expect(ancestorsOf(i.id, graph).has(j.id)).toBe(false)
        for (const [component, source] of Object.entries(node.merge.sources)) {
          const from = byId.get(source)
          expect([i.id, j.id, a.id]).toContain(source)
          expect(node.components[component]).toBe(from?.components[component])
          // A component one parent changed and the other kept comes from the one that changed it.
          const ci = i.components[component]
          const cj = j.components[component]
          const ca = a.components[component]
          if (ci !== ca && cj === ca) expect(source).toBe(i.id)
          if (cj !== ca && ci === ca) expect(source).toBe(j.id)
        }
        // It differs from both parents: each gave something.
        expect(node.components).not.toEqual(i.components)
        expect(node.components).not.toEqual(j.components)
      }
    }
    expect(merged.length).toBeGreaterThan(0)
  })

  it('builds a merge by the rule on a scripted lineage', () => {
    const a: MergeNode = {
      id: 'a',
      parents: [],
      components: { system: 'S', 'user:x': 'U' },
      devMean: 0.5
    }
    const i: MergeNode = {
      ...a,
      id: 'i',
      parents: ['a'],
      components: { system: 'S2', 'user:x': 'U' },
      devMean: 0.6
    }
    const j: MergeNode = {
      ...a,
      id: 'j',
      parents: ['a'],
      components: { system: 'S', 'user:x': 'U2' },
      devMean: 0.7
    }
    expect(mergePlan(i, j, a)).toEqual({
      components: { system: 'S2', 'user:x': 'U2' },
      sources: { system: 'i', 'user:x': 'j' }
    })
    // Both changed the same component and nothing else: the merge would equal a parent.
    const k: MergeNode = { ...i, id: 'k', components: { system: 'S3', 'user:x': 'U' } }
    expect(mergePlan(i, k, a)).toBeUndefined()
  })

  it('evolves the system prompt alone with components: system (merge inert)', async () => {
    const { result, tasks } = await run(3, { components: 'system' })
    expect(result.details.components).toEqual([SYSTEM_COMPONENT])
    expect(result.details.merge.enabled).toBe(false)
    expect(
      result.details.nodes.every((n) => n.component === null || n.component === 'system')
    ).toBe(true)
    expect(result.details.nodes.filter((n) => n.merge !== null)).toHaveLength(0)
    for (const [task, user] of result.best.users)
      expect(user).toBe(partsOf((tasks.find((t) => t.name === task) as LoadedTask).prompt).user)
    expect(result.best.system).not.toBe(result.details.nodes[0]?.components[SYSTEM_COMPONENT])
  })

  it('merges nothing when merge is off', async () => {
    const { result } = await run(3, { merge: false })
    expect(result.details.nodes.filter((n) => n.merge !== null)).toHaveLength(0)
    expect(result.details.ledger.mergeCalls).toBe(0)
    expect(result.details.merge.enabled).toBe(false)
  })

  it('stops cleanly under a call cap mid-run, with the best candidate and a valid report', async () => {
    const { result, targetCalls } = await run(3, { maxCalls: 150 })
    expect(result.stop.reason).toBe('budget')
    expect(targetCalls).toBeLessThanOrEqual(150)
    expect(result.details.ledger.targetCalls).toBe(targetCalls)
    const best = result.details.nodes.find((n) => n.id === result.bestId)
    expect(best?.devMean).not.toBeNull()
    expect(result.best.system).toBe(best?.components[SYSTEM_COMPONENT])
    for (const [task, user] of result.best.users)
      expect(user).toBe(best?.components[userComponent(task)])
    const text = optimizeBlocks({
      method: 'gepa',
      simulated: true,
      seed: 3,
      prompts: [],
      testComparison: [],
      rounds: result.rounds,
      candidates: result.candidates,
      details: { ...result.details, bestId: result.bestId, stop: result.stop },
      bestDev: result.bestDev
    })
      .map((b) => b.text)
      .join('\n')
    expect(text).toMatch(/Candidate tree/)
    expect(text).toMatch(/\| changed \|/)
    expect(text).toMatch(/Components: `system`, `user:reviews-/)
  })
})

describe('GEPA on several components: stall stop', () => {
  it('stops after GEPA_STALL_PROPOSALS per component proposals in a row that admit nothing', async () => {
    const family = makeDomainFamily({ seed: 1 })
    const tasks = family.train.map((t) => loadSynthetic(t))
    let calls = 0
    const silent: ChatModel = {
      model: 'scripted-silent',
      role: 'optimizer',
      complete: () => {
        calls++
        return Promise.resolve({
          text: 'no tagged prompt here',
          usage: { inputTokens: 0, outputTokens: 0 },
          cached: false
        })
      }
    }
    const runOnce = () =>
      runGepaMulti({
        tasks,
        start: {
          system: family.systemPrompt,
          users: new Map(tasks.map((t) => [t.name, partsOf(t.prompt).user]))
        },
        userTasks: tasks.map((t) => t.name),
        config,
        optimizer: silent,
        scoreFor: simulatedScoreFor(createSimulatedTarget({ seed: 3 })),
        seed: 3
      })
    const result = await runOnce()
    // The system prompt and each task's user prompt: the allowance is per component.
    const n = GEPA_STALL_PROPOSALS * (1 + tasks.length)
    expect(result.stop).toEqual({
      reason: 'completed',
      message: `the search stalled: ${n} proposals in a row admitted no candidate (0 duplicates, 0 turned away by the minibatch gate, ${n} by the guard or the confirmation rows)`
    })
    expect(calls).toBe(n)
    expect(result.details.ledger.optimizerCalls).toBe(n)
    expect(result.details.nodes.slice(1).every((x) => x.outcome === 'no-proposal')).toBe(true)
    const again = await runOnce()
    expect(tree(again)).toEqual(tree(result))
  })
})
