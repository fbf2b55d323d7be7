import type { LoadedProject, LoadedTask } from '../config/project-types.js'
import type { Sampling } from '../config/samples.js'
import type { GateConfig } from '../config/types.js'
import type { SequentialOffReason } from '../eval/sequential-outcome.js'
import type { SequentialOutcome, TaskEvalResult } from '../eval/types.js'
import type { StopInfo } from '../llm/ledger-types.js'
import type { CompareOptions } from './compare-run.js'
import { evaluateTasks } from './eval-run.js'
import { compareSequentially } from './sequential-compare.js'
import type { SequentialGate } from './sequential-compare.js'
import type { RunServices } from './services.js'

/** Why this gate scores every row, or undefined when it may stop early. */
export function sequentialOff(gate: GateConfig): SequentialOffReason | undefined {
  if (!gate.sequential) return 'config'
  if (gate.minScore !== undefined) return 'min_score'
  if (gate.maxDrop === undefined) return 'no_max_drop'
  return undefined
}

export interface ScoredSides {
  /** Head results, in the head tasks' order. */
  head: TaskEvalResult[]
  /** Base results by base task name. */
  baseResults: Map<string, TaskEvalResult>
  /** How many rows each sequentially compared task needed, by head task name. */
  sequential: Map<string, SequentialOutcome>
  stop: StopInfo
}

/** Today's comparison: every head row, then every base row of the comparable tasks. */
export async function scoreEveryRow(
  services: RunServices,
  base: LoadedProject | undefined,
  options: CompareOptions,
  plan: {
    headTasks: readonly LoadedTask[]
    comparable: readonly LoadedTask[]
    baseNameOf: (name: string) => string | undefined
    samplingFor: (name: string) => Sampling | undefined
  }
): Promise<ScoredSides> {
  const { logger } = services
  logger.info(`head (${options.headRef.slice(0, 12)})`)
  const head = await evaluateTasks(services, {
    tasks: plan.headTasks.map((t) => t.name),
    split: options.split,
    seed: options.seed,
    label: 'head'
  })
  let stop = head.stop
  const baseResults = new Map<string, TaskEvalResult>()
  if (
    base &&
    plan.comparable.length > 0 &&
    !head.fatal &&
    (stop.reason === 'completed' || stop.reason === 'provider-error')
  ) {
    logger.info(`base (${options.baseRef.slice(0, 12)})`)
    const outcome = await evaluateTasks(
      { ...services, project: base },
      {
        tasks: plan.comparable.map((t) => plan.baseNameOf(t.name) ?? t.name),
        split: options.split,
        seed: options.seed,
        samplingFor: plan.samplingFor,
        label: 'base'
      }
    )
    for (const result of outcome.tasks) baseResults.set(result.task, result)
    if (outcome.stop.reason !== 'completed') stop = outcome.stop
  }
  return { head: head.tasks, baseResults, sequential: new Map(), stop }
}

/**
 * The sequential gate: head tasks with no base are scored whole first, then each comparable task
 * base and head together until its max_drop verdict is settled (./sequential-compare.ts).
 */
export async function scoreSequentially(
  services: RunServices,
  base: LoadedProject,
  options: CompareOptions,
  plan: {
    headTasks: readonly LoadedTask[]
    comparable: readonly LoadedTask[]
    baseTaskOf: (name: string) => LoadedTask
    samplingFor: (name: string) => Sampling | undefined
    gate: SequentialGate
  }
): Promise<ScoredSides> {
  const comparable = new Set(plan.comparable.map((t) => t.name))
  const added = plan.headTasks.filter((t) => !comparable.has(t.name)).map((t) => t.name)
  let stop: StopInfo = { reason: 'completed', message: 'every example was scored' }
  const byName = new Map<string, TaskEvalResult>()
  let fatal = false
  if (added.length > 0) {
    services.logger.info(`head (${options.headRef.slice(0, 12)}), tasks with no base`)
    const outcome = await evaluateTasks(services, {
      tasks: added,
      split: options.split,
      seed: options.seed,
      label: 'head'
    })
    for (const result of outcome.tasks) byName.set(result.task, result)
    stop = outcome.stop
    fatal = outcome.fatal
  }
  const baseResults = new Map<string, TaskEvalResult>()
  let sequential = new Map<string, SequentialOutcome>()
  if (!fatal && (stop.reason === 'completed' || stop.reason === 'provider-error')) {
    services.logger.info(
      `base (${options.baseRef.slice(0, 12)}) and head (${options.headRef.slice(0, 12)}), sequentially`
    )
    const outcome = await compareSequentially({
      head: services,
      base: { ...services, project: base },
      tasks: plan.comparable.map((t) => ({ head: t, base: plan.baseTaskOf(t.name) })),
      split: options.split,
      seed: options.seed,
      samplingFor: plan.samplingFor,
      gate: plan.gate
    })
    for (const result of outcome.head) byName.set(result.task, result)
    for (const [name, result] of outcome.base) baseResults.set(name, result)
    sequential = outcome.sequential
    if (outcome.stop.reason !== 'completed') stop = outcome.stop
  }
  const head = plan.headTasks.flatMap((t) => {
    const result = byName.get(t.name)
    return result === undefined ? [] : [result]
  })
  return { head, baseResults, sequential, stop }
}
