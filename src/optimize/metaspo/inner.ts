/**
 * MetaSPO's inner loop for one task: from the task's best user prompt (under the incumbent system
 * prompt), `userCandidates` times: sample a few of its wrong train examples, ask for an analysis,
 * then a rewrite against it; the rewrite passes the guard (answer tag present, {{slots}} kept, not a
 * duplicate) or is rejected unscored. Accepted rewrites are scored on every train example, and the
 * task keeps the top `userTopK` of old ∪ new (a stable sort: on a tie the older prompt stays ahead).
 *
 * A best prompt with no wrong train example is left alone: nothing would ground a rewrite, and the
 * optimizer would invent problems (a fault seen with the reference code at 100% accuracy).
 */
import { conversationContext } from '../conversation.js'
import type { LoadedTask } from '../../config/project-types.js'
import { combineSignals } from '../../llm/abort.js'
import {
  checkCandidate,
  emptyRejectCounts,
  outputMarkers,
  type GuardOutcome,
  type SlotRules
} from '../candidate-guard.js'
import { toFailingExample } from '../failing-examples.js'
import { userAnalysisMessages, userRewriteMessages } from '../meta-prompts.js'
import { META_TAGS } from '../meta-tags.js'
import { ask, beamOf, pairOf, sortBySystem, type MetaspoContext, type UserNode } from './context.js'
import type { InnerTaskRecord, MetaspoCandidateRecord } from './types.js'
import { allOrAbort } from '../parallel.js'
import { parseLastTagged } from '../tags.js'

interface Proposal {
  analysis: string | null
  outcome: GuardOutcome | null
}

/** The user candidate's id: task, iteration and index. */
function userCandidateId(task: string, iteration: number, index: number): string {
  return `${task}:i${iteration}-u${index}`
}

export interface InnerOutcome {
  record: InnerTaskRecord
  /** The candidates it scored, in index order (the caller adds them to the run in task order). */
  candidates: MetaspoCandidateRecord[]
}

/**
 * Runs one task's inner loop and updates its beam in the context; resolves with its record.
 * `phaseSignal` (default: the run's) also stops it when a sibling task's loop fails.
 */
export async function innerLoopForTask(
  ctx: MetaspoContext,
  task: LoadedTask,
  iteration: number,
  phaseSignal?: AbortSignal
): Promise<InnerOutcome> {
  const { config, settings, book } = ctx
  const name = task.name
  const system = ctx.system.text
  const beam = beamOf(ctx, name)
  const best = beam[0] as UserNode
  const local = { targetCalls: 0, optimizerCalls: 0 }
  const record: InnerTaskRecord = {
    task: name,
    proposed: 0,
    accepted: [],
    rejected: emptyRejectCounts(),
    analysisMissing: 0,
    skipped: null,
    beam: [],
    targetCalls: 0,
    optimizerCalls: 0
  }
  const candidates: MetaspoCandidateRecord[] = []
  const finish = (): InnerOutcome => {
    const current = beamOf(ctx, name)
    record.beam = current.map((n) => ({
      id: n.id,
      score: book.mean(name, pairOf(ctx.system.text, n.prompt))
    }))
    record.targetCalls = local.targetCalls
    record.optimizerCalls = local.optimizerCalls
    return { record, candidates }
  }

  const bestPair = pairOf(system, best.prompt)
  const errors = book.errors(name, bestPair)
  if (errors.length === 0 || config.userCandidates <= 0) {
    record.skipped = errors.length === 0 ? 'no-errors' : null
    return finish()
  }

  const controller = new AbortController()
  const signal = combineSignals(phaseSignal ?? ctx.signal, controller.signal) as AbortSignal
  const slots = ctx.requiredSlots.get(name) ?? []
  const rules: SlotRules = {
    requiredSlots: slots,
    // The answer tag the task's extraction reads must survive every rewrite.
    requiredMarkers: outputMarkers(best.prompt, task.config.extract),
    ...(settings.repairSlots ? { repairFrom: best.prompt } : {})
  }
  const m = config.userCandidates
  record.proposed = m
  const conversation = conversationContext(task.prompt, 'user')
  const proposals = await allOrAbort(
    Array.from({ length: m }, (_, j) => async (): Promise<Proposal> => {
      const examples = ctx.random
        .fork(`inner:i${iteration}:${name}:u${j}`)
        .sample(errors, settings.errorsPerUserCandidate)
        .map((e) => toFailingExample(e, best.prompt, task))
      const sampleIndex = (iteration - 1) * m + j
      const analysisReply = await ask(
        ctx,
        userAnalysisMessages({ prompt: best.prompt, examples, conversation }),
        sampleIndex,
        signal,
        local
      )
      const analysis = parseLastTagged(analysisReply, META_TAGS.analysis)
      if (analysis === undefined || analysis === '') return { analysis: null, outcome: null }
      const rewriteReply = await ask(
        ctx,
        userRewriteMessages({ prompt: best.prompt, examples, analysis, slots, conversation }),
        sampleIndex,
        signal,
        local
      )
      const raw = parseLastTagged(rewriteReply, META_TAGS.improvedPrompt)
      return { analysis, outcome: checkCandidate(raw, rules) }
    }),
    controller
  )

  // Admit in index order, so ids and duplicate decisions do not depend on which call came first.
  const registry = ctx.userRegistries.get(name)
  const fresh: Array<{ node: UserNode; analysis: string }> = []
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
    const id = userCandidateId(name, iteration, j)
    if (registry?.claim(p.outcome.prompt, id) !== undefined) {
      record.rejected.duplicates++
      return
    }
    fresh.push({ node: { id, prompt: p.outcome.prompt }, analysis: p.analysis })
  })

  const spent = await allOrAbort(
    fresh.map(
      ({ node }) =>
        () =>
          book.complete(name, pairOf(system, node.prompt), signal)
    ),
    controller
  )
  spent.forEach((n) => {
    local.targetCalls += n
    ctx.counters.target += n
  })

  const merged = sortBySystem(ctx, name, system, [...beam, ...fresh.map((f) => f.node)])
  const kept = merged.slice(0, Math.max(1, config.userTopK))
  ctx.beams.set(name, kept)
  fresh.forEach(({ node, analysis }, i) => {
    const score = book.mean(name, pairOf(system, node.prompt))
    const candidate: MetaspoCandidateRecord = {
      id: node.id,
      round: iteration,
      parentId: best.id,
      origin: 'rewrite',
      critique: analysis,
      prompt: node.prompt,
      devScore: score,
      devEvaluations: spent[i] ?? 0,
      kept: kept.includes(node),
      kind: 'user',
      task: name,
      systemId: ctx.system.id,
      trainScore: score,
      upperBound: null
    }
    candidates.push(candidate)
    record.accepted.push(node.id)
  })
  return finish()
}
