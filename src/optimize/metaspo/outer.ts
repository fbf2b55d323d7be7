/**
 * MetaSPO's outer loop: `systemCandidates` system prompts, each proposed from failures pooled across
 * tasks — `examplesPerTask` wrong train examples of each task's best user prompt, the task blocks
 * shuffled so no task always comes first — through a system analysis and a system rewrite. A reply
 * without <improved_system_prompt> (or with a {{slot}}, or a duplicate) never becomes a prompt.
 *
 * Each accepted candidate is scored on every task × every kept user prompt on train; the meta score
 * is the mean over tasks of the mean over their kept user prompts. The incumbent stays unless
 * strictly beaten; among candidates that beat it, the first with the highest meta score wins (the
 * reference's running argmax). Racing (./racing.ts) stops scoring candidates that cannot win.
 */
import type { Example } from '../../config/project-types.js'
import { combineSignals } from '../../llm/abort.js'
import { checkCandidate, emptyRejectCounts, type GuardOutcome } from '../candidate-guard.js'
import { toFailingExample } from '../failing-examples.js'
import {
  systemAnalysisMessages,
  systemRewriteMessages,
  type FailingExample
} from '../meta-prompts.js'
import { META_TAGS } from '../meta-tags.js'
import {
  ask,
  beamOf,
  incumbentMetaScore,
  layoutOf,
  pairOf,
  sortBySystem,
  type MetaspoContext
} from './context.js'
import type { MetaspoCandidateRecord, OuterRecord } from './types.js'
import { allOrAbort } from '../parallel.js'
import { race } from './racing.js'
import { parseLastTagged } from '../tags.js'

interface Proposal {
  analysis: string | null
  outcome: GuardOutcome | null
}

function systemCandidateId(iteration: number, index: number): string {
  return `system:i${iteration}-s${index}`
}

/** Wrong examples of every task's best user prompt, in task blocks shuffled by `label`. */
function pooledFailures(ctx: MetaspoContext, label: string): FailingExample[] {
  const random = ctx.random.fork(label)
  const blocks = ctx.tasks.map((task) => {
    const best = beamOf(ctx, task.name)[0]
    if (best === undefined) return []
    const pair = pairOf(ctx.system.text, best.prompt)
    const errors = ctx.book.errors(task.name, pair)
    return random
      .fork(`task:${task.name}`)
      .sample(errors, ctx.config.examplesPerTask)
      .map((e) => toFailingExample(e, best.prompt, task))
  })
  return random.shuffle(blocks).flat()
}

/**
 * The order each (task, kept user prompt) cell is raced in. `hard-first`: the examples the
 * incumbent got wrong first — where a weaker candidate shows its failures soonest, so its upper
 * bound falls fastest — then the rest, each part in train order. The order changes only the cost.
 */
function raceOrders(ctx: MetaspoContext, incumbent: string): Example[][][] {
  return ctx.tasks.map((task) =>
    beamOf(ctx, task.name).map((node) => {
      const train = ctx.book.examples(task.name)
      if (ctx.settings.raceOrder === 'train') return [...train]
      const scores = ctx.book.scores(task.name, pairOf(incumbent, node.prompt))
      const hard = train.filter((_, i) => (scores[i] ?? 0) < 1)
      const easy = train.filter((_, i) => (scores[i] ?? 0) >= 1)
      return [...hard, ...easy]
    })
  )
}

export interface OuterOutcome {
  record: OuterRecord
  /** A budget stop or cancel that cut the loop short, to be rethrown after recording. */
  interrupted: Error | undefined
}

/** Runs one outer loop; updates the incumbent (and re-sorts the beams under it) when beaten. */
export async function outerLoop(ctx: MetaspoContext, iteration: number): Promise<OuterOutcome> {
  const { config, settings } = ctx
  const local = { optimizerCalls: 0 }
  const incumbent = { id: ctx.system.id, text: ctx.system.text }
  const record: OuterRecord = {
    proposed: 0,
    rejected: emptyRejectCounts(),
    analysisMissing: 0,
    skipped: null,
    incumbent: { id: incumbent.id, metaScore: incumbentMetaScore(ctx) },
    candidates: [],
    chosen: incumbent.id,
    changed: false,
    rule: settings.rule,
    callsFull: 0,
    callsSpent: 0,
    optimizerCalls: 0
  }
  const S = config.systemCandidates
  const pools = Array.from({ length: S }, (_, j) =>
    pooledFailures(ctx, `outer:i${iteration}:s${j}`)
  )
  if (S <= 0 || pools.every((p) => p.length === 0)) {
    record.skipped = S <= 0 ? null : 'no-errors'
    return { record, interrupted: undefined }
  }

  const controller = new AbortController()
  const signal = combineSignals(ctx.signal, controller.signal) as AbortSignal
  record.proposed = S
  let proposals: Proposal[]
  try {
    proposals = await allOrAbort(
      pools.map((examples, j) => async (): Promise<Proposal> => {
        const sampleIndex = (iteration - 1) * S + j
        const analysisReply = await ask(
          ctx,
          systemAnalysisMessages({ systemPrompt: incumbent.text, examples }),
          sampleIndex,
          signal,
          local
        )
        const analysis = parseLastTagged(analysisReply, META_TAGS.analysis)
        if (analysis === undefined || analysis === '') return { analysis: null, outcome: null }
        const rewrite = systemRewriteMessages({
          systemPrompt: incumbent.text,
          analysis,
          ...(settings.systemRewriteSeesExamples ? { examples } : {})
        })
        const reply = await ask(ctx, rewrite, sampleIndex, signal, local)
        const raw = parseLastTagged(reply, META_TAGS.improvedSystemPrompt)
        return { analysis, outcome: checkCandidate(raw, { requiredSlots: [], allowedSlots: [] }) }
      }),
      controller
    )
  } finally {
    record.optimizerCalls = local.optimizerCalls
  }

  const accepted: Array<{ id: string; text: string; analysis: string }> = []
  proposals.forEach((p, j) => {
    if (p.analysis === null || p.outcome === null) {
      record.analysisMissing++
      record.rejected.missingTags++
      return
    }
    if (!p.outcome.ok) {
      record.rejected[p.outcome.reason]++
      return
    }
    const id = systemCandidateId(iteration, j)
    if (ctx.systemRegistry.claim(p.outcome.prompt, id) !== undefined) {
      record.rejected.duplicates++
      return
    }
    accepted.push({ id, text: p.outcome.prompt, analysis: p.analysis })
  })
  if (accepted.length === 0) return { record, interrupted: undefined }

  const beams = ctx.tasks.map((task) => beamOf(ctx, task.name))
  const orders = raceOrders(ctx, incumbent.text)
  const result = await race({
    arms: accepted.length,
    layout: layoutOf(ctx),
    incumbent: record.incumbent.metaScore,
    rule: settings.rule,
    steps: settings.raceSteps,
    delta: settings.delta,
    signal: ctx.signal,
    evaluate: async (arm, t, k, upTo, raceController) => {
      const task = ctx.tasks[t] as (typeof ctx.tasks)[number]
      const pair = pairOf((accepted[arm] as { text: string }).text, beams[t]?.[k]?.prompt ?? '')
      const examples = orders[t]?.[k]?.slice(0, upTo) ?? []
      const signal = combineSignals(ctx.signal, raceController.signal)
      const spent = await ctx.book.scoreOn(task.name, pair, examples, signal)
      ctx.counters.target += spent
      return { scores: ctx.book.scores(task.name, pair), spent }
    }
  })
  record.callsFull = result.full
  record.callsSpent = result.spent

  const winner = result.winner === null ? undefined : accepted[result.winner]
  accepted.forEach((c, j) => {
    const arm = result.arms[j] as (typeof result.arms)[number]
    record.candidates.push({
      id: c.id,
      metaScore: arm.value,
      lower: arm.lower,
      upper: arm.upper,
      evaluations: arm.evaluations,
      eliminated: arm.eliminated,
      eliminatedAtStep: arm.eliminatedAtStep
    })
    const candidate: MetaspoCandidateRecord = {
      id: c.id,
      round: iteration,
      parentId: incumbent.id,
      origin: 'rewrite',
      critique: c.analysis,
      prompt: c.text,
      devScore: arm.value,
      devEvaluations: arm.evaluations,
      kept: c === winner,
      kind: 'system',
      task: null,
      systemId: incumbent.id,
      trainScore: arm.value,
      upperBound: arm.value === null ? arm.upper : null
    }
    ctx.candidates.push(candidate)
  })

  if (winner !== undefined) {
    ctx.system = { id: winner.id, text: winner.text }
    for (const task of ctx.tasks) {
      ctx.beams.set(task.name, sortBySystem(ctx, task.name, winner.text, beamOf(ctx, task.name)))
    }
    record.chosen = winner.id
    record.changed = true
  }
  return { record, interrupted: result.interrupted }
}
