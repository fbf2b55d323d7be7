/**
 * Turning a MetaSPO run's state into its result: the best pair under the incumbent, each task's
 * kept user prompts, the candidates with their final `kept` flags, the iterations as RoundRecords,
 * and the racing and call accounting.
 */
import { addRejectCounts, emptyRejectCounts } from '../candidate-guard.js'
import { beamOf, incumbentMetaScore, pairOf, type MetaspoContext } from './context.js'
import type { MetaspoIterationRecord, MetaspoResult } from './types.js'
import type { RoundRecord } from '../types.js'

/** An iteration as a RoundRecord (OptimizationReport.rounds); bestDev is the train meta score. */
export function toRound(r: MetaspoIterationRecord, ctx: MetaspoContext): RoundRecord {
  const rejected = emptyRejectCounts()
  for (const inner of r.inner) addRejectCounts(rejected, inner.rejected)
  if (r.outer !== null) addRejectCounts(rejected, r.outer.rejected)
  return {
    round: r.iteration,
    candidates:
      r.inner.reduce((n, i) => n + i.accepted.length, 0) + (r.outer?.candidates.length ?? 0),
    rejected,
    bestDev: r.metaScore,
    beam: [ctx.system.id, ...ctx.tasks.flatMap((t) => beamOf(ctx, t.name).map((n) => n.id))],
    targetCalls: r.targetCalls,
    optimizerCalls: r.optimizerCalls,
    selectionEvaluations: r.outer?.callsSpent ?? 0
  }
}

/** The run's result; see the file comment. */
export function finish(
  ctx: MetaspoContext,
  run: Pick<MetaspoResult, 'iterations' | 'rounds' | 'stop' | 'initialMetaScore'> & {
    initialTarget: number
  }
): MetaspoResult {
  const { book, tasks } = ctx
  const system = ctx.system.text
  const complete = tasks.every((t) =>
    beamOf(ctx, t.name).every((n) => book.isComplete(t.name, pairOf(system, n.prompt)))
  )
  const beams = new Map(
    tasks.map((t) => [
      t.name,
      beamOf(ctx, t.name).map((n) => ({
        id: n.id,
        prompt: n.prompt,
        score: book.partialMean(t.name, pairOf(system, n.prompt))
      }))
    ])
  )
  // Initial prompts get the score they started with; `kept` means "kept at the end of the run".
  const finalIds = new Set([
    ctx.system.id,
    ...tasks.flatMap((t) => beamOf(ctx, t.name).map((n) => n.id))
  ])
  for (const c of ctx.candidates) {
    c.kept = finalIds.has(c.id)
    if (c.origin === 'initial' && c.kind === 'user' && c.task !== null) {
      const pair = pairOf(ctx.candidates[0]?.prompt ?? system, c.prompt)
      if (book.isComplete(c.task, pair)) {
        c.trainScore = book.mean(c.task, pair)
        c.devScore = c.trainScore
        c.devEvaluations = book.size(c.task)
      }
    }
  }
  const first = ctx.candidates[0]
  if (first !== undefined && run.initialMetaScore !== null) {
    first.trainScore = run.initialMetaScore
    first.devScore = run.initialMetaScore
  }
  const full = run.iterations.reduce((s, r) => s + (r.outer?.callsFull ?? 0), 0)
  const spent = run.iterations.reduce((s, r) => s + (r.outer?.callsSpent ?? 0), 0)
  return {
    system,
    systemId: ctx.system.id,
    users: new Map(tasks.map((t) => [t.name, beamOf(ctx, t.name)[0]?.prompt ?? ''])),
    userIds: new Map(tasks.map((t) => [t.name, beamOf(ctx, t.name)[0]?.id ?? ''])),
    beams,
    initialMetaScore: run.initialMetaScore,
    metaScore: complete ? incumbentMetaScore(ctx) : null,
    candidates: ctx.candidates,
    iterations: run.iterations,
    rounds: run.rounds,
    racing: {
      rule: ctx.settings.rule,
      outerCallsFull: full,
      outerCallsSpent: spent,
      saved: full > 0 ? 1 - spent / full : 0
    },
    calls: {
      target: ctx.counters.target,
      optimizer: ctx.counters.optimizer,
      initialTarget: run.initialTarget
    },
    stop: run.stop
  }
}
