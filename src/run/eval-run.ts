import { BudgetExceededError, CancelledError } from '../errors.js'
import type { PromptParts } from '../config/prompt.js'
import type { Sampling } from '../config/samples.js'
import { smallSetNote } from '../eval/small-set.js'
import type { TaskEvalResult } from '../eval/types.js'
import type { StopInfo } from '../llm/ledger-types.js'
import type { LoadedTask } from '../config/project-types.js'
import { applyGate } from '../eval/gate.js'
import type { RunReport } from '../report/types.js'
import { formatCount, plural } from '../report/format.js'
import { buildReport } from './build-report.js'
import { gateAfterStop } from './gate-after-stop.js'
import { examplesOf, selectTasks } from './select-tasks.js'
import { prepareTask, scoreRows, summarizeRows, usageBetween } from './task-scoring.js'
import type { RunServices } from './services.js'

export type { EvalSplit } from '../eval/types.js'
import type { EvalSplit } from '../eval/types.js'

export interface EvalOptions {
  tasks: readonly string[]
  split: EvalSplit
  seed: number
  /** Names what is scored in the log ("before", "after", "base"), when one run scores a task twice. */
  label?: string
  /** Parts to use instead of the files' (the optimizer's candidates), put into the task's prompt. */
  promptsFor?: (task: LoadedTask) => PromptParts
  /** Sampling to use instead of the task's own (a comparison scores base with head's k). */
  samplingFor?: (task: string) => Sampling | undefined
}

export interface EvalOutcome {
  tasks: TaskEvalResult[]
  stop: StopInfo
  /** The provider refused (401, 403, 404): every further call would fail the same way. */
  fatal: boolean
}

/**
 * Scores every selected task on its split. A budget stop or a cancel ends the run early with every
 * example scored so far kept (the task in progress is reported with what it has).
 */
export async function evaluateTasks(
  services: RunServices,
  options: EvalOptions
): Promise<EvalOutcome> {
  const { project, logger } = services
  const selected = selectTasks(project.tasks, options.tasks)
  const results: TaskEvalResult[] = []
  let stop: StopInfo = { reason: 'completed', message: 'every example was scored' }
  let fatal = false
  for (const task of selected) {
    const examples = examplesOf(task, options.split)
    const scoring = prepareTask(services, task, options)
    const each = scoring.sampling.samples > 1 ? ` × ${scoring.sampling.samples} samples` : ''
    logger.info(
      `${scoring.label}: scoring ${plural(examples.length, 'example')}${each} (${options.split})`
    )
    const before = services.usage().total
    const scored = await scoreRows(services, scoring, examples)
    const usage = usageBetween(before, services.usage().total)
    const summary = summarizeRows(services, scoring, scored.results, options.seed, usage)
    results.push(summary)
    if (summary.failed > 0 && stop.reason === 'completed') {
      stop = { reason: 'provider-error', message: failedMessage(summary) }
    }
    if (scored.fatal) {
      fatal = true
      stop = {
        reason: 'provider-error',
        message: `${scored.fatal.message}; ${task.name} stopped with ${plural(scored.notScored, 'example')} not scored, later tasks were not run`,
        ...(scored.fatal.status !== undefined && { status: scored.fatal.status })
      }
      break
    }
    if (scored.stopped) {
      stop = stopInfoOf(scored.stopped, scored.notScored, task.name)
      break
    }
  }
  return { tasks: results, stop, fatal }
}

/** "3 examples of triage failed at the provider: 2 × <cause>; 1 × <cause>". */
export function failedMessage(summary: TaskEvalResult): string {
  const causes = summary.failures ?? []
  const shown = causes.slice(0, 3).map((c) => `${formatCount(c.count)} × ${c.message}`)
  if (causes.length > shown.length)
    shown.push(`${plural(causes.length - shown.length, 'other cause')}`)
  return `${plural(summary.failed, 'example')} of ${summary.task} failed at the provider: ${shown.join('; ')}`
}

export function stopInfoOf(
  error: BudgetExceededError | CancelledError,
  notScored: number,
  task: string
): StopInfo {
  const reason = error instanceof BudgetExceededError ? 'budget' : 'cancelled'
  return {
    reason,
    message: `${error.message}; ${task} stopped with ${plural(notScored, 'example')} not scored, later tasks were not run`
  }
}

/** Says plainly, per task with few rows, what its score can and cannot show (small-set.ts). */
export function noteSmallSets(
  services: Pick<RunServices, 'project' | 'logger'>,
  options: { tasks: readonly string[]; split: EvalSplit }
): void {
  const { confidence } = services.project.config.gate
  for (const task of selectTasks(services.project.tasks, options.tasks)) {
    const note = smallSetNote(task.name, examplesOf(task, options.split).length, confidence)
    if (note !== undefined) services.logger.warn(note)
  }
}

/**
 * `eval` as one report: every selected task scored, min_score applied, and (after an early stop)
 * a failing check for each task that could not be checked.
 */
export async function runEval(
  services: RunServices,
  options: { tasks: readonly string[]; split: EvalSplit; seed: number }
): Promise<RunReport> {
  const startedAt = new Date()
  const { config } = services.project
  noteSmallSets(services, options)
  const outcome = await evaluateTasks(services, options)
  const gate = gateAfterStop(
    applyGate(outcome.tasks, undefined, config.gate),
    config.gate,
    outcome.stop,
    selectTasks(services.project.tasks, options.tasks).map((t) => ({
      task: t.name,
      hasBase: false
    }))
  )
  return buildReport(services, {
    kind: 'eval',
    startedAt,
    seed: options.seed,
    split: options.split,
    tasks: outcome.tasks,
    stop: outcome.stop,
    gate
  })
}
