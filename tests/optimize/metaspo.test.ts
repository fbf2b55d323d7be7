import { describe, expect, it } from 'vitest'
import { ProviderError } from '../../src/errors.js'
import {
  runMetaspo,
  type MetaspoInput,
  type MetaspoResult
} from '../../src/optimize/metaspo/metaspo.js'
import {
  META_CONFIG,
  USER_TEMPLATE,
  makeMetaOptimizer,
  makeMetaScore,
  makeMetaTask,
  type Script
} from './metaspo-fixtures.js'

const TASKS = [
  makeMetaTask('alpha', ['update', 'sarcasm']),
  makeMetaTask('beta', ['update', 'negation']),
  makeMetaTask('gamma', ['update', 'emoji'])
]

function setup(over: Partial<MetaspoInput> = {}, script: Script = {}, limit?: number) {
  const optimizer = makeMetaOptimizer(script)
  const scoreFor = makeMetaScore({ limit })
  const input: MetaspoInput = {
    tasks: TASKS,
    start: { system: undefined, users: new Map() },
    config: META_CONFIG,
    optimizer,
    scoreFor,
    seed: 7,
    ...over
  }
  return { input, optimizer, scoreFor }
}

function innerRejected(result: MetaspoResult, key: 'missingTags' | 'missingSlots'): number {
  return result.iterations.reduce((n, r) => n + r.inner.reduce((m, i) => m + i.rejected[key], 0), 0)
}

describe('runMetaspo', () => {
  it('raises the meta score on train and records every candidate with its lineage', async () => {
    const { input, scoreFor } = setup()
    const seen: number[] = []
    const result = await runMetaspo({ ...input, onIteration: (r) => seen.push(r.iteration) })
    expect(result.stop.reason).toBe('completed')
    expect(seen).toEqual([1, 2])
    expect(result.initialMetaScore).toBeCloseTo(7 / 20, 10)
    expect(result.metaScore as number).toBeGreaterThan(0.8)
    expect(result.candidates[0]).toMatchObject({
      id: 'system:i0',
      kind: 'system',
      prompt: 'You are a helpful assistant.',
      origin: 'initial'
    })
    // A trait moved into the system prompt; every task's best user prompt keeps its slot.
    expect(result.system).toMatch(/^You are a helpful assistant\. Watch for \w+\.$/)
    for (const task of TASKS) {
      expect(result.users.get(task.name)).toContain('{{text}}')
      expect(result.beams.get(task.name)?.[0]?.score).toBe(1)
    }
    const byId = new Map(result.candidates.map((c) => [c.id, c]))
    for (const c of result.candidates.filter((c) => c.origin !== 'initial')) {
      expect(c.origin).toBe('rewrite')
      expect(c.critique).toMatch(/never says how to handle/)
      expect(byId.has(c.parentId as string)).toBe(true)
      expect(c.round).toBeGreaterThanOrEqual(1)
      if (c.kind === 'user') expect(byId.get(c.parentId as string)?.task).toBe(c.task)
      if (c.kind === 'system') expect(byId.get(c.parentId as string)?.kind).toBe('system')
    }
    expect(byId.get(result.systemId)?.kept).toBe(true)
    // Selection is on train only, and no (pair, example) is ever scored twice.
    expect([...scoreFor.log.splits]).toEqual(['train'])
    expect(new Set(scoreFor.log.seen).size).toBe(scoreFor.log.seen.length)
    expect(result.calls.target).toBe(scoreFor.log.examples)
    expect(result.rounds.map((r) => r.round)).toEqual([0, 1, 2])
    expect(result.rounds.at(-1)?.bestDev).toBe(result.metaScore)
    const trajectory = result.iterations.map((r) => r.metaScore)
    expect(trajectory.every((v, i) => i === 0 || v >= (trajectory[i - 1] as number))).toBe(true)
  })

  it('keeps the incumbent system prompt unless a candidate strictly beats it', async () => {
    const { input } = setup(
      {},
      {
        systemRewrite: ({ system, sampleIndex }) =>
          `<improved_system_prompt>${system} Be kind (${sampleIndex}).</improved_system_prompt>`
      }
    )
    const result = await runMetaspo(input)
    expect(result.systemId).toBe('system:i0')
    expect(result.system).toBe('You are a helpful assistant.')
    for (const r of result.iterations) {
      expect(r.outer?.changed).toBe(false)
      // A tie can at best equal the incumbent: scored in full or raced out, it never wins.
      for (const c of r.outer?.candidates ?? []) {
        const bar = r.outer?.incumbent.metaScore as number
        if (c.metaScore === null) expect(c.upper).toBeLessThanOrEqual(bar)
        else expect(c.metaScore).toBe(bar)
      }
    }
  })

  it('takes the first of equally good candidates that beat the incumbent', async () => {
    const { input } = setup(
      { config: { ...META_CONFIG, iterations: 1 } },
      {
        systemRewrite: ({ system, sampleIndex }) =>
          sampleIndex === 0
            ? `<improved_system_prompt>${system} Be kind.</improved_system_prompt>`
            : `<improved_system_prompt>${system} Mind update (${sampleIndex}).</improved_system_prompt>`
      }
    )
    const result = await runMetaspo(input)
    expect(result.systemId).toBe('system:i1-s1')
    const outer = result.iterations[0]?.outer
    expect(outer?.chosen).toBe('system:i1-s1')
    expect(outer?.changed).toBe(true)
  })

  it('keeps the top k user prompts of old and new, the older first on ties', async () => {
    const { input } = setup(
      {},
      {
        userRewrite: ({ prompt, sampleIndex }) =>
          `<improved_prompt>Be concise (${sampleIndex}).\n${prompt}</improved_prompt>`
      }
    )
    const result = await runMetaspo(input)
    for (const task of TASKS) {
      const beam = result.beams.get(task.name)?.map((b) => b.id)
      expect(beam).toEqual([`${task.name}:i0`, `${task.name}:i1-u0`])
      expect(result.users.get(task.name)).toBe(USER_TEMPLATE)
    }
    const later = result.candidates.filter((c) => c.kind === 'user' && c.round === 2)
    expect(later.length).toBe(TASKS.length * 2)
    expect(later.every((c) => !c.kept)).toBe(true)
  })

  it('never turns a reply without its answer tag into a prompt', async () => {
    const { input, scoreFor } = setup(
      {},
      {
        userRewrite: ({ trait, prompt }) => `Watch for ${trait}.\n${prompt}`,
        systemRewrite: ({ trait, system }) => `${system} Watch for ${trait}.`
      }
    )
    const result = await runMetaspo(input)
    expect(result.candidates.every((c) => c.origin === 'initial')).toBe(true)
    expect(innerRejected(result, 'missingTags')).toBe(2 * TASKS.length * 2)
    expect(result.iterations.map((r) => r.outer?.rejected.missingTags)).toEqual([3, 3])
    expect(result.system).toBe('You are a helpful assistant.')
    // Only the start was ever scored.
    expect(scoreFor.log.examples).toBe(TASKS.length * 20)
  })

  it('rejects a user rewrite that lost its slot, or repairs it when asked', async () => {
    const script: Script = {
      userRewrite: ({ trait }) =>
        `<improved_prompt>Watch for ${trait}. Classify it.</improved_prompt>`
    }
    const strict = await runMetaspo(setup({}, script).input)
    expect(innerRejected(strict, 'missingSlots')).toBe(2 * TASKS.length * 2)
    expect(strict.candidates.filter((c) => c.kind === 'user' && c.origin === 'rewrite')).toEqual([])

    const lenient = await runMetaspo(setup({ options: { repairSlots: true } }, script).input)
    const users = lenient.candidates.filter((c) => c.kind === 'user' && c.origin === 'rewrite')
    expect(users.length).toBeGreaterThan(0)
    expect(users.every((c) => c.prompt.endsWith('Review: {{text}}'))).toBe(true)
  })

  it('stops cleanly on a budget stop with the best pair found so far', async () => {
    const full = await runMetaspo(setup().input)
    const first = full.iterations[0]
    expect(first).toBeDefined()
    const limit = (full.calls.initialTarget as number) + (first?.targetCalls as number) + 25
    const { input } = setup({}, {}, limit)
    const result = await runMetaspo(input)
    expect(result.stop.reason).toBe('budget')
    expect(result.stop.message).toMatch(/call cap/)
    expect(result.system).toBe(first?.system)
    expect(result.metaScore as number).toBeGreaterThanOrEqual(first?.metaScore as number)
    for (const task of TASKS) expect(result.users.get(task.name)).toContain('{{text}}')
    expect(result.iterations.length).toBe(2)
    expect(result.iterations[1]?.outer).toBe(null)

    // A stop before the start is even scored returns the start pair.
    const early = await runMetaspo(setup({}, {}, 30).input)
    expect(early.stop.reason).toBe('budget')
    expect(early.initialMetaScore).toBe(null)
    expect(early.metaScore).toBe(null)
    expect(early.system).toBe('You are a helpful assistant.')
    expect(early.users.get('alpha')).toBe(USER_TEMPLATE)
  })

  it('stops before an iteration when the budget is nearly spent, and on cancel', async () => {
    let checks = 0
    const near = await runMetaspo(setup({ isNearBudgetEnd: () => ++checks > 2 }).input)
    expect(near.stop.reason).toBe('budget')
    expect(near.iterations.length).toBe(1)
    expect(near.iterations[0]?.outer).not.toBe(null)

    const controller = new AbortController()
    controller.abort()
    const cancelled = await runMetaspo(setup({ signal: controller.signal }).input)
    expect(cancelled.stop.reason).toBe('cancelled')
    expect(cancelled.system).toBe('You are a helpful assistant.')
  })

  it('ends with the best pair so far, not a throw, when the provider refuses', async () => {
    const full = await runMetaspo(setup().input)
    const { input, optimizer } = setup()
    let calls = 0
    const refusing = {
      ...optimizer,
      complete: (...args: Parameters<typeof optimizer.complete>) => {
        // Past the first iteration's inner loops the optimizer's key is revoked.
        if (++calls > 6)
          throw new ProviderError('403: forbidden — check the token', { status: 403 })
        return optimizer.complete(...args)
      }
    }
    const result = await runMetaspo({ ...input, optimizer: refusing })
    expect(result.stop).toEqual({
      reason: 'provider-error',
      message: '403: forbidden — check the token',
      status: 403
    })
    expect(result.initialMetaScore).toBe(full.initialMetaScore)
    expect(result.iterations.length).toBeGreaterThanOrEqual(1)
    for (const task of TASKS) expect(result.users.get(task.name)).toContain('{{text}}')
  })

  it('leaves a task alone when its best prompt gets every train example right', async () => {
    const easy = makeMetaTask('easy', [])
    const { input, optimizer } = setup({ tasks: [easy] })
    const result = await runMetaspo(input)
    expect(result.iterations.every((r) => r.inner[0]?.skipped === 'no-errors')).toBe(true)
    expect(result.iterations.every((r) => r.outer?.skipped === 'no-errors')).toBe(true)
    expect(optimizer.calls).toEqual([])
  })

  it('gives the same run for the same seed', async () => {
    const a = await runMetaspo(setup().input)
    const b = await runMetaspo(setup().input)
    expect(b.candidates).toEqual(a.candidates)
    expect(b.iterations).toEqual(a.iterations)
    expect(b.system).toBe(a.system)
  })
})
