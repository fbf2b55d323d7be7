/**
 * Test-time adaptation (MetaSPO's second transfer protocol): on a task, optimize the user prompt
 * with APO while the system prompt stays fixed, and measure how fast it gets good. After the run,
 * the best prompt of each APO round is scored on one whole split (test by default; the same
 * examples for every round and both system prompts), so the trajectory is comparable across runs:
 * APO's own running dev means rest on different numbers of examples per prompt.
 */
import { partsOf } from '../../config/prompt.js'
import type { LoadedTask, SplitName } from '../../config/project-types.js'
import type { ApoConfig } from '../../config/types.js'
import { mean } from '../../eval/stats.js'
import type { ChatModel } from '../../llm/chat-model.js'
import { runApo, type ApoOptions, type ApoResult } from '../apo/apo.js'
import { providerStop, stopFromError } from '../stop.js'
import type { ScoreFn } from '../types.js'

export interface AdaptationInput {
  task: LoadedTask
  /** The fixed system prompt (undefined → none sent). */
  system: string | undefined
  /** The starting user prompt; default the task's own. */
  user?: string
  config: ApoConfig
  optimizer: ChatModel
  score: ScoreFn
  seed: number
  /** The score to reach (e.g. the default system prompt's final score); none → not checked. */
  targetScore?: number
  /** Split the round bests are scored on; default `test`. */
  split?: SplitName
  /** APO's meta-prompts: MetaSPO's `analysis` (default, as in the paper) or ProTeGi's `critique`. */
  feedback?: ApoOptions['feedback']
  signal?: AbortSignal
  isNearBudgetEnd?: () => boolean
}

export interface AdaptationPoint {
  round: number
  bestId: string
  /** The round's best prompt, scored on the whole split. */
  score: number
  /** APO's calls up to and including this round (the split scoring is counted apart). */
  targetCalls: number
  optimizerCalls: number
}

export interface AdaptationResult {
  trajectory: AdaptationPoint[]
  /** The last round's score (null when not even round 0 was scored). */
  final: number | null
  best: { user: string; id: string }
  /** The first round whose best reached `targetScore`, or null. */
  reached: AdaptationPoint | null
  /** Evaluations spent scoring round bests on the split. */
  evaluationCalls: number
  apo: ApoResult
  stop: {
    reason: 'completed' | 'budget' | 'cancelled' | 'provider-error'
    message: string
    status?: number
  }
}

/** Runs APO on the task's user prompt under a fixed system prompt; see the file comment. */
export async function testTimeAdaptation(input: AdaptationInput): Promise<AdaptationResult> {
  const apo = await runApo({
    task: input.task,
    start: { system: input.system, user: input.user ?? partsOf(input.task.prompt).user },
    edit: 'user',
    config: input.config,
    optimizer: input.optimizer,
    score: input.score,
    seed: input.seed,
    signal: input.signal,
    isNearBudgetEnd: input.isNearBudgetEnd,
    options: { feedback: input.feedback ?? 'analysis' }
  })
  const split = input.split ?? 'test'
  const examples = input.task.examples.filter((e) => e.split === split)
  const prompts = new Map(apo.candidates.map((c) => [c.id, c.prompt]))
  const known = new Map<string, number>()
  const trajectory: AdaptationPoint[] = []
  let stop: AdaptationResult['stop'] =
    apo.stop.reason === 'no-gain'
      ? { reason: 'completed', message: apo.stop.message }
      : { ...apo.stop, reason: apo.stop.reason }
  let evaluationCalls = 0
  let targetCalls = 0
  let optimizerCalls = 0
  try {
    for (const round of apo.rounds) {
      targetCalls += round.targetCalls
      optimizerCalls += round.optimizerCalls
      const bestId = round.beam[0]
      if (bestId === undefined) continue
      const user = prompts.get(bestId) ?? ''
      let score = known.get(user)
      if (score === undefined) {
        evaluationCalls += examples.length
        const results = await input.score({ system: input.system, user }, examples, {
          signal: input.signal
        })
        score = mean(results.map((r) => r.score))
        known.set(user, score)
      }
      trajectory.push({ round: round.round, bestId, score, targetCalls, optimizerCalls })
    }
  } catch (error) {
    const stopped = stopFromError(error, input.signal) ?? providerStop(error)
    if (stopped === undefined) throw error
    stop = stopped
  }
  const target = input.targetScore
  return {
    trajectory,
    final: trajectory[trajectory.length - 1]?.score ?? null,
    best: { user: apo.best.user, id: apo.bestId },
    reached: target === undefined ? null : (trajectory.find((p) => p.score >= target) ?? null),
    evaluationCalls,
    apo,
    stop
  }
}

export interface AdaptationComparison {
  /** The default system prompt's final score: what the optimized one has to reach. */
  target: number | null
  default: AdaptationResult
  optimized: AdaptationResult
  /** Rounds (and APO calls) each took to first reach `target`; null when it never did. */
  toTarget: {
    default: AdaptationPoint | null
    optimized: AdaptationPoint | null
  }
}

/**
 * Test-time adaptation under the default and under the optimized system prompt, with the same seed
 * and config: how many rounds and calls each needs to reach the default's final score.
 */
export async function compareTestTimeAdaptation(
  input: Omit<AdaptationInput, 'system' | 'targetScore'> & {
    systems: { default: string | undefined; optimized: string | undefined }
  }
): Promise<AdaptationComparison> {
  const { systems, ...rest } = input
  const base = await testTimeAdaptation({ ...rest, system: systems.default })
  const target = base.final
  const head = await testTimeAdaptation({
    ...rest,
    system: systems.optimized,
    ...(target === null ? {} : { targetScore: target })
  })
  const reachedDefault =
    target === null ? null : (base.trajectory.find((p) => p.score >= target) ?? null)
  return {
    target,
    default: { ...base, reached: reachedDefault },
    optimized: head,
    toTarget: { default: reachedDefault, optimized: head.reached }
  }
}
