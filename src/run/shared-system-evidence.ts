/**
 * The evidence for a shared system prompt trained over several tasks (MetaSPO, GEPA on the shared
 * system prompt), on data neither chose on: per source task the starting vs the optimized pair on
 * the test split, and on the held-out tasks the default vs the optimized system prompt averaged
 * over the task's own user prompt and a few variants.
 */
import { partsOf } from '../config/prompt.js'
import type { LoadedTask } from '../config/project-types.js'
import { compareTaskResults } from '../eval/compare.js'
import type { StopInfo } from '../llm/ledger-types.js'
import {
  makeUserVariants,
  unseenGeneralization,
  type UnseenResult
} from '../optimize/metaspo/transfer.js'
import { plural } from '../report/format.js'
import type { AdaptationSummary, OptimizationReport } from '../optimize/types.js'
import type { TaskComparison } from '../report/types.js'
import { evaluateTasks, type EvalOutcome } from './eval-run.js'
import { createScoreFn } from './score-fn.js'
import { examplesOf } from './select-tasks.js'
import type { RunServices } from './services.js'

/** User prompts per unseen task: its own and this many variants (the paper averages over several). */
export const UNSEEN_VARIANTS = 2

/** Target calls the evidence needs: both pairs on each source task's test, all variants on unseen. */
export function evidenceReserve(
  train: readonly LoadedTask[],
  holdout: readonly LoadedTask[]
): number {
  const testRows = (t: LoadedTask): number => examplesOf(t, 'test').length
  return (
    train.reduce((s, t) => s + 2 * testRows(t), 0) +
    holdout.reduce((s, t) => s + 2 * (1 + UNSEEN_VARIANTS) * testRows(t), 0)
  )
}

/** A stop after which no further call is made: a cancel, or a provider that refuses. */
export function interrupted(stop: StopInfo): boolean {
  return stop.reason === 'cancelled' || stop.reason === 'provider-error'
}

/** A stop after which the optional later phases (unseen tasks, adaptation) are skipped. */
export function cutShort(stop: StopInfo): boolean {
  return interrupted(stop) || stop.reason === 'budget'
}

export interface SharedSystemEvidence {
  comparisons: TaskComparison[]
  headTasks: EvalOutcome['tasks']
  unseen: UnseenResult | undefined
  /** The search's stop, or what cut the evidence short. */
  stop: StopInfo
}

export async function sharedSystemEvidence(
  services: RunServices,
  input: {
    train: readonly LoadedTask[]
    holdout: readonly LoadedTask[]
    startSystem: string
    system: string
    users: ReadonlyMap<string, string>
    seed: number
    stop: StopInfo
  }
): Promise<SharedSystemEvidence> {
  const { project, logger, models } = services
  const { startSystem, seed } = input
  let stop = input.stop
  const comparisons: TaskComparison[] = []
  const headTasks: EvalOutcome['tasks'] = []
  // Source tasks: the starting pair vs the optimized pair, on test — unless the run was cancelled
  // or the provider refused (every further call would be refused too).
  if (!interrupted(stop)) {
    for (const task of input.train) {
      const startUser = partsOf(task.prompt).user
      const bestUser = input.users.get(task.name) ?? startUser
      const base = await evaluateTasks(services, {
        tasks: [task.name],
        split: 'test',
        seed,
        label: 'before',
        promptsFor: () => ({ system: startSystem, user: startUser })
      })
      const head = await evaluateTasks(services, {
        tasks: [task.name],
        split: 'test',
        seed,
        label: 'after',
        promptsFor: () => ({ system: input.system, user: bestUser })
      })
      const b = base.tasks[0]
      const h = head.tasks[0]
      if (h) headTasks.push(h)
      if (b && h) {
        comparisons.push(
          compareTaskResults(b, h, {
            level: project.config.gate.confidence,
            seed,
            basePrompt: startUser,
            headPrompt: bestUser,
            baseSystemPrompt: startSystem,
            headSystemPrompt: input.system
          })
        )
      }
      const cut = [base, head].find(
        (o) => o.fatal || o.stop.reason === 'budget' || o.stop.reason === 'cancelled'
      )?.stop
      if (cut) {
        stop = { ...cut, message: `${cut.message} (while scoring the test split)` }
        break
      }
    }
  }
  let unseen: UnseenResult | undefined
  if (input.holdout.length > 0 && !cutShort(stop)) {
    const userVariants = new Map<string, string[]>()
    for (const task of input.holdout) {
      const variants = await makeUserVariants(task, models.optimizer, UNSEEN_VARIANTS, {
        signal: services.signal
      })
      userVariants.set(task.name, variants.prompts)
    }
    logger.info(
      `scoring the default and the optimized system prompt on ${plural(input.holdout.length, 'unseen task')}`
    )
    unseen = await unseenGeneralization({
      tasks: [...input.holdout],
      systems: { default: startSystem, optimized: input.system },
      userVariants,
      scoreFor: (task: LoadedTask) => createScoreFn(services, task),
      split: 'test',
      confidence: project.config.gate.confidence,
      seed,
      signal: services.signal
    })
    if (unseen.stop.reason !== 'completed') stop = { ...unseen.stop }
  }
  return { comparisons, headTasks, unseen, stop }
}

/** The report's transfer table from the unseen-task result (and adaptations, when run). */
export function transferSummary(
  unseen: UnseenResult,
  adaptations: ReadonlyMap<string, AdaptationSummary> = new Map()
): NonNullable<OptimizationReport['transfer']> {
  return {
    average: unseen.average,
    tasks: unseen.tasks.map((t) => ({
      task: t.task,
      userPrompts: t.variants,
      examples: t.examples,
      default: { ...t.default.interval, value: t.default.mean },
      optimized: { ...t.optimized.interval, value: t.optimized.mean },
      delta: t.delta,
      improvedPrompts: t.improvedVariants,
      ...(adaptations.has(t.task) ? { adaptation: adaptations.get(t.task) } : {})
    }))
  }
}
