import { describe, expect, it } from 'vitest'
import { ProviderError } from '../../src/errors.js'
import { runApo, type ApoInput } from '../../src/optimize/apo/apo.js'
import { apoOptimizationReport } from '../../src/optimize/apo/report.js'
import type { RoundRecord } from '../../src/optimize/types.js'
import { CONFIG, START, makeOptimizer, makeScore, makeTask, type Behaviour } from './fixtures.js'

function setup(over: Partial<ApoInput> = {}, behaviour: Behaviour = 'helpful', limit?: number) {
  const optimizer = makeOptimizer(behaviour)
  const score = makeScore({ limit, edit: over.edit ?? 'user' })
  const input: ApoInput = {
    task: makeTask(),
    start: START,
    edit: 'user',
    config: CONFIG,
    optimizer,
    score,
    seed: 42,
    ...over
  }
  return { input, optimizer, score }
}

describe('runApo', () => {
  it('improves the dev score round by round and keeps the best prompt', async () => {
    const { input, score } = setup()
    const seen: RoundRecord[] = []
    const result = await runApo({ ...input, onRound: (r) => seen.push(r) })
    expect(result.rounds[0]?.bestDev).toBeLessThan(0.4)
    expect(result.bestDev?.value).toBe(1)
    const traits = ['sarcasm', 'negation', 'emoji']
    expect(traits.every((t) => result.best.user.toLowerCase().includes(t))).toBe(true)
    expect(result.best.user).toContain('{{text}}')
    expect(result.best.system).toBe(undefined)
    // Trajectory never goes down (the best is always kept) and is reported per round.
    const trajectory = result.rounds.map((r) => r.bestDev)
    expect(trajectory.every((v, i) => i === 0 || v >= (trajectory[i - 1] as number))).toBe(true)
    expect(seen).toEqual(result.rounds)
    // Selection is on dev, minibatches on train; test is never touched.
    expect([...score.log.splits].sort()).toEqual(['dev', 'train'])
    expect(result.rounds.every((r) => r.selectionEvaluations <= CONFIG.selectionBudget)).toBe(true)
    expect(result.details.selections.every((s) => s.spent <= s.budget)).toBe(true)
  })

  it('records the lineage of every candidate', async () => {
    const { input } = setup()
    const result = await runApo(input)
    const byId = new Map(result.candidates.map((c) => [c.id, c]))
    expect(result.candidates[0]).toMatchObject({ id: 'r0-0', origin: 'initial', parentId: null })
    for (const c of result.candidates.slice(1)) {
      expect(byId.has(c.parentId as string)).toBe(true)
      expect((byId.get(c.parentId as string) as { round: number }).round).toBeLessThanOrEqual(
        c.round
      )
      if (c.origin === 'edit') expect(c.critique).toMatch(/never says how to handle/)
      if (c.origin === 'paraphrase') expect(c.critique).toBe(null)
    }
    const paraphrase = result.candidates.find((c) => c.origin === 'paraphrase')
    expect(byId.get(paraphrase?.parentId as string)?.origin).toBe('edit')
    expect(result.candidates.find((c) => c.id === result.bestId)?.devScore).toBe(1)
    // Each round's beam holds candidates that exist and at most `beam` of them.
    for (const r of result.rounds) {
      expect(r.beam.length).toBeLessThanOrEqual(CONFIG.beam)
      expect(r.beam.every((id) => byId.has(id))).toBe(true)
    }
    expect(result.candidates.filter((c) => c.round > 0 && c.kept).length).toBeGreaterThan(0)
  })

  it('asks for no critique on a minibatch without errors, but still paraphrases', async () => {
    const perfect = {
      system: undefined,
      user: 'Mind sarcasm, negation and emoji.\nReview: {{text}}'
    }
    const { input, optimizer } = setup({ start: perfect })
    const result = await runApo(input)
    const kinds = new Set(optimizer.calls.map((c) => c.kind))
    expect(kinds).toEqual(new Set(['paraphrase']))
    expect(result.details.expansions[0]).toMatchObject({ errors: 0, critiqueMissing: 0 })
    expect(result.candidates.some((c) => c.origin === 'paraphrase' && c.parentId === 'r0-0')).toBe(
      true
    )
    // A paraphrase that only equals the incumbent is no gain.
    expect(result.stop.reason).toBe('no-gain')
    expect(result.bestId).toBe('r0-0')
  })

  it('stops early when a round brings no gain on dev (patience 1)', async () => {
    const { input } = setup({ options: { patience: 1 } }, 'useless')
    const result = await runApo(input)
    expect(result.stop.reason).toBe('no-gain')
    expect(result.rounds.map((r) => r.round)).toEqual([0, 1])
    expect(result.best).toEqual(START)
  })

  it('by default stops only after two rounds without gain', async () => {
    const { input } = setup({}, 'useless')
    const result = await runApo(input)
    expect(result.stop.reason).toBe('no-gain')
    expect(result.stop.message).toMatch(/2 rounds/)
    expect(result.rounds.map((r) => r.round)).toEqual([0, 1, 2])
    expect(result.best).toEqual(START)
  })

  it('rejects untagged and slot-losing answers, counts them, and never scores them', async () => {
    const untagged = await runApo(setup({}, 'untagged').input)
    expect(untagged.rounds[1]?.rejected.missingTags).toBeGreaterThan(0)
    expect(untagged.candidates.every((c) => c.origin !== 'edit')).toBe(true)
    const dropping = await runApo(setup({}, 'slot-dropping').input)
    // The start prompt's slot sits on a labelled line, so lost slots are repaired, not rejected.
    const edits = dropping.candidates.filter((c) => c.origin === 'edit')
    expect(edits.length).toBeGreaterThan(0)
    expect(edits.every((c) => c.prompt.endsWith('Review: {{text}}'))).toBe(true)
    expect(dropping.details.repaired.length).toBeGreaterThan(0)
    const strict = await runApo({
      ...setup({}, 'slot-dropping').input,
      options: { repairSlots: false }
    })
    expect(strict.rounds[1]?.rejected.missingSlots).toBeGreaterThan(0)
    expect(strict.candidates.every((c) => c.prompt.includes('{{text}}'))).toBe(true)
  })

  it('counts duplicate proposals', async () => {
    const { input } = setup()
    const result = await runApo(input)
    const dupes = result.rounds.reduce((n, r) => n + r.rejected.duplicates, 0)
    expect(dupes).toBeGreaterThan(0)
    const texts = result.candidates.map((c) => c.prompt.toLowerCase())
    expect(new Set(texts).size).toBe(texts.length)
  })

  it('stops cleanly on a budget stop thrown mid-run, with the best prompt so far', async () => {
    const full = await runApo(setup().input)
    const fullCalls = full.rounds.reduce((n, r) => n + r.targetCalls, 0)
    const { input } = setup({}, 'helpful', Math.floor(fullCalls * 0.6))
    const result = await runApo(input)
    expect(result.stop.reason).toBe('budget')
    expect(result.stop.message).toMatch(/call cap/)
    expect(result.details.interruptedRound).toBeGreaterThan(0)
    const completed = result.rounds.at(-1) as RoundRecord
    expect(completed.beam[0]).toBe(result.bestId)
    expect(result.candidates.some((c) => c.id === result.bestId)).toBe(true)
    expect(result.bestDev?.value).toBeGreaterThan(0.25)
    expect(result.best.user).toContain('{{text}}')
  })

  it('a budget stop before any dev score keeps the start prompt', async () => {
    const { input } = setup({}, 'helpful', 1)
    const result = await runApo(input)
    expect(result.stop.reason).toBe('budget')
    expect(result.best).toEqual(START)
    expect(result.bestDev).toBe(null)
    expect(result.rounds).toEqual([])
  })

  it('stops before a round when the budget is nearly spent', async () => {
    let checks = 0
    const { input } = setup({ isNearBudgetEnd: () => ++checks > 1 })
    const result = await runApo(input)
    expect(result.stop.reason).toBe('budget')
    expect(result.rounds.map((r) => r.round)).toEqual([0, 1])
    expect(result.details.interruptedRound).toBe(null)
  })

  it('ends with the best so far when the provider fails past its retries', async () => {
    const { input, optimizer } = setup()
    let calls = 0
    const failing = {
      ...optimizer,
      complete: async (...args: Parameters<typeof optimizer.complete>) => {
        if (++calls > 8) throw new ProviderError('HTTP 503 after 3 retries', { status: 503 })
        return optimizer.complete(...args)
      }
    }
    const result = await runApo({ ...input, optimizer: failing })
    expect(result.stop).toEqual({
      reason: 'provider-error',
      message: 'HTTP 503 after 3 retries',
      status: 503
    })
    expect(result.details.interruptedRound).toBe(2)
    expect(result.bestId).toBe(result.rounds[1]?.beam[0])
    expect(result.bestId).not.toBe('r0-0')
  })

  it('lets other errors through', async () => {
    const { input } = setup()
    const broken = async () => {
      throw new TypeError('a bug')
    }
    await expect(runApo({ ...input, score: broken })).rejects.toThrow('a bug')
  })

  it('stops cleanly when cancelled', async () => {
    const controller = new AbortController()
    const { input } = setup({
      signal: controller.signal,
      onRound: (r) => {
        if (r.round === 1) controller.abort()
      }
    })
    const result = await runApo(input)
    expect(result.stop.reason).toBe('cancelled')
    expect(result.rounds.map((r) => r.round)).toEqual([0, 1])
    expect(result.bestId).toBe(result.rounds[1]?.beam[0])
  })

  it('is reproducible: the same seed gives the same candidates and the same calls', async () => {
    const a = setup()
    const b = setup()
    const ra = await runApo(a.input)
    const rb = await runApo(b.input)
    expect(rb.candidates).toEqual(ra.candidates)
    expect(rb.rounds).toEqual(ra.rounds)
    const calls = (o: typeof a.optimizer) =>
      o.calls.map((c) => `${c.kind}|${c.sampleIndex}|${c.content}`).sort()
    expect(calls(b.optimizer)).toEqual(calls(a.optimizer))
    expect(b.score.log.examples).toBe(a.score.log.examples)
    const c = await runApo(setup({ seed: 7 }).input)
    expect(JSON.stringify(c.candidates)).not.toBe(JSON.stringify(ra.candidates))
  })

  it('can optimize the system prompt instead', async () => {
    const { input } = setup({
      edit: 'system',
      start: { system: 'You classify reviews.', user: START.user }
    })
    const result = await runApo(input)
    expect(result.best.user).toBe(START.user)
    expect(result.best.system).toMatch(/sarcasm/i)
    expect(result.bestDev?.value).toBeGreaterThan(0.5)
  })

  it('can use MetaSPO-style analysis → rewrite meta-prompts for user prompts', async () => {
    const { input, optimizer } = setup({ options: { feedback: 'analysis' } })
    const result = await runApo(input)
    const kinds = new Set(optimizer.calls.map((c) => c.kind))
    expect(kinds.has('analysis')).toBe(true)
    expect(kinds.has('critique')).toBe(false)
    expect(result.bestDev?.value).toBe(1)
    expect(result.candidates.find((c) => c.origin === 'edit')?.critique).toMatch(/handle/)
  })

  it('caps the successors per parent with a seeded choice', async () => {
    const { input } = setup({ config: { ...CONFIG, successorsPerParent: 1, rounds: 1 } })
    const result = await runApo(input)
    expect(result.rounds[1]?.candidates).toBe(1)
    expect(result.details.cappedOut.length).toBeGreaterThan(0)
    expect(result.details.selections[0]?.arms).toBe(2)
  })

  it('refuses a task without train or dev examples', async () => {
    const task = makeTask()
    const onlyTest = { ...task, examples: task.examples.filter((e) => e.split === 'test') }
    await expect(runApo(setup({ task: onlyTest }).input)).rejects.toThrow(/train and dev/)
  })
})

describe('apoOptimizationReport', () => {
  it('puts the run into the report shape with the caller’s test comparison', async () => {
    const { input } = setup()
    const result = await runApo(input)
    const report = apoOptimizationReport({
      result,
      task: input.task,
      start: START,
      edit: 'user',
      seed: 42,
      simulated: true,
      testComparison: []
    })
    expect(report.method).toBe('apo')
    expect(report.prompts).toEqual([
      {
        file: 'prompts/sentiment.md',
        kind: 'user',
        task: 'sentiment',
        before: START.user,
        after: result.best.user
      }
    ])
    expect(report.candidates).toBe(result.candidates)
    expect(report.details).toMatchObject({ bestId: result.bestId, bandit: 'ucb' })
    expect(JSON.parse(JSON.stringify(report)).rounds).toEqual(result.rounds)
  })
})
