/**
 * APO / ProTeGi (Pryzant et al., EMNLP 2023): beam search over prompt texts. Each round every beam
 * prompt is expanded (./apo-expand.ts), every proposal passes the candidate guard, at most
 * `successorsPerParent` successors per parent go on (./apo-pool.ts), and the next beam is chosen
 * among the parents and their successors by a best-arm bandit (./bandits.ts) on the DEV split, never
 * test. Parents re-compete (elitism) and win exact ties, so a round "gains" only when a new prompt
 * beats every incumbent on the same dev examples. The run stops early after a round without gain or
 * when the budget nears its end, and stops cleanly on a budget stop, a cancel or a provider failure
 * thrown from the score function or the optimizer, keeping the best prompt of the last completed
 * selection. Any other error (a bug, a bad input) propagates.
 *
 * Every sampling decision draws from createRandom(seed).fork(label) with a label naming the round,
 * the parent and the decision: the same seed, config and cache give the same run, call for call.
 */
import { conversationContext } from '../conversation.js'
import { templateSlots } from '../../config/template.js'
import { InputError } from '../../errors.js'
import { bootstrapMeanInterval } from '../../eval/stats.js'
import { combineSignals, throwIfAborted } from '../../llm/abort.js'
import { createRandom } from '../../util/random.js'
import { expandParent, type ExpandContext } from './expand.js'
import { CandidatePool, admitProposals } from './pool.js'
import type { ApoDetails, ApoInput, ApoResult } from './types.js'
import { selectBest } from '../bandits.js'
import { emptyRejectCounts, outputMarkers, type RejectCounts } from '../candidate-guard.js'
import { allOrAbort } from '../parallel.js'
import { providerStop, stopFromError } from '../stop.js'
import type { RoundRecord } from '../types.js'

export type {
  ApoDetails,
  ApoInput,
  ApoOptions,
  ApoResult,
  ApoSelection,
  ApoStopReason
} from './types.js'

/** Runs APO on one task; resolves with the best prompt found, also after a budget stop or cancel. */
export async function runApo(input: ApoInput): Promise<ApoResult> {
  const { task, config, edit } = input
  const opts = input.options ?? {}
  const train = task.examples.filter((e) => e.split === 'train')
  const dev = task.examples.filter((e) => e.split === 'dev')
  if (train.length === 0 || dev.length === 0) {
    throw new InputError(
      `task "${task.name}": APO needs train and dev examples, found ${train.length} train and ${dev.length} dev; adjust the split`,
      { file: task.config.data }
    )
  }
  const random = createRandom(input.seed).fork(`apo:${task.name}`)
  const pool = new CandidatePool(
    input.start,
    edit,
    random.fork('dev-order').shuffle(dev),
    input.score
  )
  const startText = edit === 'user' ? input.start.user : (input.start.system ?? '')
  const requiredSlots = templateSlots(startText)
  const rounds: RoundRecord[] = []
  const details: ApoDetails = {
    bandit: config.bandit,
    pullBatch: config.pullSize,
    settle: config.settle,
    selectionBudget: config.selectionBudget,
    baselineDevExamples: 0,
    selections: [],
    expansions: [],
    cappedOut: [],
    repaired: [],
    interruptedRound: null
  }

  const startId = 'r0-0'
  pool.add({
    id: startId,
    round: 0,
    parentId: null,
    origin: 'initial',
    critique: null,
    prompt: startText,
    kept: true
  })
  pool.registry.claim(startText, startId)
  let beam = [startId]
  let bestId = startId
  let stop: ApoResult['stop'] = { reason: 'completed', message: `ran ${config.rounds} rounds` }
  let round = 0

  const record = (
    fresh: number,
    rejected: RejectCounts,
    counters: { targetCalls: number; optimizerCalls: number },
    spent: number
  ): void => {
    const r: RoundRecord = {
      round,
      candidates: fresh,
      rejected,
      bestDev: pool.devMean(bestId),
      beam: [...beam],
      targetCalls: counters.targetCalls,
      optimizerCalls: counters.optimizerCalls,
      selectionEvaluations: spent
    }
    rounds.push(r)
    input.onRound?.(r)
  }

  /** One expansion + selection round; resolves with whether a new prompt took the lead. */
  const runRound = async (): Promise<boolean> => {
    const controller = new AbortController()
    const signal = combineSignals(input.signal, controller.signal) as AbortSignal
    const counters = { targetCalls: 0, optimizerCalls: 0 }
    const ctx: ExpandContext = {
      task,
      edit,
      start: input.start,
      config,
      optimizer: input.optimizer,
      score: input.score,
      random,
      controller,
      signal,
      critiquesPerGroup: Math.max(1, Math.floor(opts.critiquesPerGroup ?? 1)),
      conversation: conversationContext(input.task.prompt, edit),
      feedback: opts.feedback ?? 'critique',
      rules: {
        requiredSlots,
        requiredMarkers: outputMarkers(startText, input.task.config.extract)
      },
      repairSlots: opts.repairSlots ?? true,
      counters
    }
    const expansions = await allOrAbort(
      beam.map((id) => () => expandParent(ctx, { id, text: pool.get(id).prompt }, round)),
      controller
    )
    const { fresh, rejected } = admitProposals({ pool, expansions, round, config, random, details })
    if (fresh.length === 0) {
      record(0, rejected, counters, 0)
      return false
    }

    throwIfAborted(input.signal)
    const arms = [...beam, ...fresh]
    const cursors = arms.map(() => 0)
    const selection = await selectBest({
      arms: arms.length,
      budget: config.selectionBudget,
      keep: config.beam,
      algorithm: config.bandit,
      c: config.explorationC,
      random: random.fork(`bandit:round-${round}`),
      batch: config.pullSize,
      settle: config.settle,
      pull: async (arm, count) => {
        const id = arms[arm] as string
        const from = cursors[arm] as number
        const to = Math.min(pool.devSize, from + count)
        await pool.extendDev(id, to, signal, counters)
        cursors[arm] = to
        return pool.scores(id).slice(from, to)
      }
    })
    details.selections.push({
      round,
      algorithm: config.bandit,
      arms: arms.length,
      budget: config.selectionBudget,
      spent: selection.spent
    })
    const nextBeam = selection.best.map((arm) => arms[arm] as string)
    const top = nextBeam[0]
    const gain = top !== undefined && !beam.includes(top)
    if (top !== undefined) {
      for (const id of fresh) pool.get(id).kept = nextBeam.includes(id)
      beam = nextBeam
      bestId = top
    }
    record(fresh.length, rejected, counters, selection.spent)
    return gain
  }

  try {
    throwIfAborted(input.signal)
    const counters = { targetCalls: 0, optimizerCalls: 0 }
    const baseline = Math.min(pool.devSize, config.minibatch)
    await pool.extendDev(startId, baseline, input.signal, counters)
    details.baselineDevExamples = baseline
    record(1, emptyRejectCounts(), counters, 0)
    const patience = Math.max(1, Math.floor(opts.patience ?? 2))
    let idle = 0
    for (round = 1; round <= config.rounds; round++) {
      if (input.isNearBudgetEnd?.() === true) {
        stop = {
          reason: 'budget',
          message: `the budget is nearly spent; stopped before round ${round}`
        }
        break
      }
      throwIfAborted(input.signal)
      idle = (await runRound()) ? 0 : idle + 1
      if (idle >= patience) {
        const what = idle === 1 ? `round ${round}` : `${idle} rounds up to round ${round}`
        stop = { reason: 'no-gain', message: `${what} brought no gain on dev; stopped early` }
        break
      }
    }
  } catch (error) {
    details.interruptedRound = round
    const stopped = stopFromError(error, input.signal) ?? providerStop(error)
    if (stopped === undefined) throw error
    stop = stopped
  }

  pool.syncRecords()
  const bestScores = pool.scores(bestId)
  return {
    best: pool.pair(bestId),
    bestId,
    bestDev:
      bestScores.length === 0
        ? null
        : bootstrapMeanInterval(bestScores, { level: opts.confidence ?? 0.95, seed: input.seed }),
    candidates: pool.candidates,
    rounds,
    stop,
    details
  }
}
