import type { Example, LoadedTask } from '../config/project-types.js'
import type { Sampling } from '../config/samples.js'
import type { ScoredExamples } from '../eval/evaluate.js'
import { sequentialOutcome } from '../eval/sequential-outcome.js'
import { sequentialLook } from '../eval/sequential-look.js'
import type { SequentialLook } from '../eval/sequential-look.js'
import { lookSchedule } from '../eval/sequential-test.js'
import type {
  EvalSplit,
  ExampleResult,
  SequentialOutcome,
  TaskEvalResult,
  TaskUsage
} from '../eval/types.js'
import type { StopInfo } from '../llm/ledger-types.js'
import { plural } from '../report/format.js'
import { createRandom, hashString32 } from '../util/random.js'
import { failedMessage, stopInfoOf } from './eval-run.js'
import { examplesOf } from './select-tasks.js'
import type { RunServices } from './services.js'
import { addUsage, prepareTask, scoreRows, summarizeRows, usageBetween } from './task-scoring.js'
import type { TaskScoring } from './task-scoring.js'

export interface SequentialGate {
  maxDrop: number
  confidence: number
  firstLook: number
  lookEvery: number
}

export interface SequentialTask {
  head: LoadedTask
  base: LoadedTask
}

export interface SequentialCompareInput {
  /** Services of the head's project and of the base's (the same models and ledger). */
  head: RunServices
  base: RunServices
  tasks: readonly SequentialTask[]
  split: EvalSplit
  seed: number
  /** The head's sampling of a task, which the base is scored with too (like with like). */
  samplingFor: (task: string) => Sampling | undefined
  gate: SequentialGate
}

export interface SequentialCompareOutcome {
  head: TaskEvalResult[]
  /** By base task name. */
  base: Map<string, TaskEvalResult>
  /** By head task name. */
  sequential: Map<string, SequentialOutcome>
  stop: StopInfo
  fatal: boolean
}

const NO_USAGE: TaskUsage = { calls: 0, cachedCalls: 0, inputTokens: 0, outputTokens: 0 }

function scored(result: ExampleResult): boolean {
  return result.error === undefined && result.output !== null
}

/** The order in which a task's paired rows are scored: a shuffle seeded by the run and the task. */
export function sequentialOrder<T>(rows: readonly T[], seed: number, task: string): T[] {
  return createRandom(hashString32(`${seed}:${task}:sequential`)).shuffle(rows)
}

/** One side of a task: its scoring, the results so far by id, and the calls they used. */
class Side {
  readonly results = new Map<string, ExampleResult>()
  usage: TaskUsage = NO_USAGE
  constructor(
    readonly services: RunServices,
    readonly scoring: TaskScoring
  ) {}

  async score(examples: readonly Example[]): Promise<ScoredExamples> {
    const before = this.services.usage().total
    const outcome = await scoreRows(this.services, this.scoring, examples)
    this.usage = addUsage(this.usage, usageBetween(before, this.services.usage().total))
    for (const result of outcome.results) this.results.set(result.id, result)
    return outcome
  }

  /** The task's result on the rows scored, in the dataset's order. */
  summary(rows: readonly Example[], seed: number): TaskEvalResult {
    const results = rows.flatMap((e) => {
      const result = this.results.get(e.id)
      return result === undefined ? [] : [result]
    })
    return summarizeRows(this.services, this.scoring, results, seed, this.usage)
  }
}

/** A stop caused by one side's scoring (a budget stop, a cancel, a provider refusal), if any. */
function stopOf(
  outcome: ScoredExamples,
  label: string
): { stop: StopInfo; fatal: boolean } | undefined {
  if (outcome.fatal) {
    return {
      fatal: true,
      stop: {
        reason: 'provider-error',
        message: `${outcome.fatal.message}; ${label} stopped with ${plural(outcome.notScored, 'example')} not scored, later tasks were not run`,
        ...(outcome.fatal.status !== undefined && { status: outcome.fatal.status })
      }
    }
  }
  if (outcome.stopped) {
    return { fatal: false, stop: stopInfoOf(outcome.stopped, outcome.notScored, label) }
  }
  return undefined
}

/**
 * The sequential gate (issue 15): for each task, base and head are scored on the same paired rows
 * in a seeded random order, in batches (`gate.first_look` rows, then `gate.look_every` at a time;
 * head first, so an unchanged prompt's base is served from the cache), and after each batch the
 * anytime-valid test of eval/sequential-test.ts asks whether the mean paired difference lies
 * beyond −max_drop or within it at the gate's confidence, and when it cannot tell yet, the futility
 * stop of eval/futility.ts asks whether the rows left could still make it a regression
 * (eval/sequential-look.ts). The task stops at the first look that settles it. When the rows run out first, the rows only one side has are scored too, so the task's
 * results are exactly those of scoring every row, and the full-data test decides.
 */
export async function compareSequentially(
  input: SequentialCompareInput
): Promise<SequentialCompareOutcome> {
  const { gate, seed } = input
  const head: TaskEvalResult[] = []
  const base = new Map<string, TaskEvalResult>()
  const sequential = new Map<string, SequentialOutcome>()
  let stop: StopInfo = { reason: 'completed', message: 'every example was scored' }
  let fatal = false
  for (const task of input.tasks) {
    const sampling = input.samplingFor(task.head.name)
    const options = { samplingFor: () => sampling }
    const headSide = new Side(
      input.head,
      prepareTask(input.head, task.head, { ...options, label: 'head' })
    )
    const baseSide = new Side(
      input.base,
      prepareTask(input.base, task.base, { ...options, label: 'base' })
    )
    const headRows = examplesOf(task.head, input.split)
    const baseRows = examplesOf(task.base, input.split)
    const baseById = new Map(baseRows.map((e) => [e.id, e]))
    const order = sequentialOrder(
      headRows.filter((e) => baseById.has(e.id)),
      seed,
      task.head.name
    )
    const looks = lookSchedule(order.length, gate.firstLook, gate.lookEvery)
    const k = headSide.scoring.sampling.samples
    const each = k > 1 ? ` × ${k} samples` : ''
    input.head.logger.info(
      `${task.head.name}: scoring base and head on ${plural(order.length, 'paired row')}${each} in a seeded random order, looking after ${plural(Math.min(gate.firstLook, order.length), 'row')} and then every ${gate.lookEvery} (${input.split})`
    )
    let done = 0
    let settled: SequentialLook = { decision: 'undecided' }
    let cut: { stop: StopInfo; fatal: boolean } | undefined
    for (const look of looks) {
      const batch = order.slice(done, look)
      cut = stopOf(await headSide.score(batch), headSide.scoring.label)
      if (cut) break
      const baseBatch = batch.map((e) => baseById.get(e.id) as Example)
      cut = stopOf(await baseSide.score(baseBatch), baseSide.scoring.label)
      done = look
      if (cut || look === order.length) break
      const differences = order.slice(0, done).flatMap((e) => {
        const h = headSide.results.get(e.id)
        const b = baseSide.results.get(e.id)
        return h && b && scored(h) && scored(b) ? [h.score - b.score] : []
      })
      settled = sequentialLook({
        differences,
        remaining: order.length - done,
        maxDrop: gate.maxDrop,
        confidence: gate.confidence
      })
      if (settled.decision !== 'undecided') break
    }
    if (!cut && settled.decision === 'undecided') {
      // The rows ran out: score what only one side has, so the results are the full evaluation's.
      const headIds = new Set(headRows.map((e) => e.id))
      const headOnly = headRows.filter((e) => !baseById.has(e.id))
      const baseOnly = baseRows.filter((e) => !headIds.has(e.id))
      if (headOnly.length > 0) cut = stopOf(await headSide.score(headOnly), headSide.scoring.label)
      if (!cut && baseOnly.length > 0) {
        cut = stopOf(await baseSide.score(baseOnly), baseSide.scoring.label)
      }
    }
    const headResult = headSide.summary(headRows, seed)
    const baseResult = baseSide.summary(baseRows, seed)
    head.push(headResult)
    base.set(task.base.name, baseResult)
    sequential.set(
      task.head.name,
      sequentialOutcome(
        {
          decision: cut ? 'interrupted' : settled.decision,
          ...(!cut && 'rule' in settled && { rule: settled.rule }),
          rows: done,
          total: order.length
        },
        gate
      )
    )
    if (cut) {
      stop = cut.stop
      fatal = cut.fatal
      break
    }
    input.head.logger.info(`${task.head.name}: ${sequential.get(task.head.name)?.message ?? ''}`)
    for (const summary of [headResult, baseResult]) {
      if (summary.failed > 0 && stop.reason === 'completed') {
        stop = { reason: 'provider-error', message: failedMessage(summary) }
      }
    }
  }
  return { head, base, sequential, stop, fatal }
}
