/**
 * The report's records of a GEPA run (each iteration's round, the final pool's wins, front and
 * candidates), shared by the single- and multi-component loops.
 */
import { emptyRejectCounts } from '../candidate-guard.js'
import type { CandidateRecord, RoundRecord } from '../types.js'
import { frontWeights, informativeFronts } from './pareto.js'
import type { GepaNode, GepaOutcome } from './types.js'

/** The calls an iteration is measured by (both loops' ledgers have them). */
interface CallCounts {
  targetCalls: number
  optimizerCalls: number
  devCalls: number
}

/**
 * The record of iteration `round`: whether it proposed a child, what the guard turned away (the
 * reason before the child's `rejected:` colon), the best dev mean and pool after it, and the calls
 * it spent (`ledger` now minus `before`).
 */
export function iterationRound(input: {
  round: number
  outcome: GepaOutcome
  childId: string | null
  childRejected: string | null | undefined
  bestDev: number
  beam: string[]
  ledger: CallCounts
  before: CallCounts
}): RoundRecord {
  const rejected = emptyRejectCounts()
  if (input.outcome === 'guard' && input.childRejected) {
    const reason = input.childRejected.split(':')[0] as string
    if (reason in rejected) rejected[reason as keyof typeof rejected]++
  }
  return {
    round: input.round,
    candidates: input.childId === null ? 0 : 1,
    rejected,
    bestDev: input.bestDev,
    beam: input.beam,
    targetCalls: input.ledger.targetCalls - input.before.targetCalls,
    optimizerCalls: input.ledger.optimizerCalls - input.before.optimizerCalls,
    selectionEvaluations: input.ledger.devCalls - input.before.devCalls
  }
}

/**
 * At the end of a run: marks on each admitted candidate the dev rows it wins (among the best on an
 * informative row, keyed by `rowKeys`), and returns the Pareto front's ids, the best node and every
 * node as a candidate record (kept when on the front or best; `promptOf` gives the text shown).
 */
export function summarizePool<N extends GepaNode>(input: {
  nodes: N[]
  pool: ReadonlyArray<{ node: number; scores: number[] }>
  rowKeys: readonly string[]
  bestNode: number
  promptOf: (node: N) => string
}): { front: string[]; best: N; candidates: CandidateRecord[] } {
  const { nodes, pool } = input
  const entries = pool.map((p, index) => ({ index, scores: p.scores }))
  for (const { row, front } of informativeFronts(entries)) {
    for (const k of front) nodes[pool[k]?.node ?? 0]?.wins.push(input.rowKeys[row] ?? '')
  }
  const front = frontWeights(entries).map((w) => nodes[pool[w.index]?.node ?? 0]?.id ?? '')
  const best = nodes[input.bestNode] as N
  const candidates: CandidateRecord[] = nodes.map((n) => ({
    id: n.id,
    round: n.iteration,
    parentId: n.parentId,
    origin: n.parentId === null ? 'initial' : 'edit',
    critique: n.feedback.length === 0 ? null : n.feedback.join('\n'),
    prompt: input.promptOf(n),
    devScore: n.devMean,
    devEvaluations: n.devScores?.length ?? 0,
    kept: front.includes(n.id) || n.id === best.id
  }))
  return { front, best, candidates }
}
