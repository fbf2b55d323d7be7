/**
 * The plumbing every method that edits one task's prompt (APO, GEPA) shares: which task and which
 * prompt, the checks before the first call, the final paired comparison on the held-out test split
 * and the run report. The search and its section of the report stay each method's own.
 */
import type { OptimizeMethod } from '../config/methods.js'
import type { LoadedTask } from '../config/project-types.js'
import { partMessage, partsOf } from '../config/prompt.js'
import type { PromptPart, PromptParts } from '../config/prompt.js'
import type { TaskComparison } from '../eval/types.js'
import { InputError } from '../errors.js'
import type { ChatModel } from '../llm/chat-model.js'
import type { StopInfo } from '../llm/ledger-types.js'
import type { OptimizationReport, ScoreFn, TaskOptimizationInput } from '../optimize/types.js'
import type { RunReport } from '../report/types.js'
import { buildReport } from './build-report.js'
import { createScoreFn } from './score-fn.js'
import { examplesOf, selectTasks } from './select-tasks.js'
import type { RunServices } from './services.js'
import { scoreBeforeAfterOnTest } from './test-before-after.js'

/** The one task a task-scoped method works on: the named one, or the only one. */
export function oneTask(
  services: Pick<RunServices, 'project'>,
  name: string | undefined,
  method: OptimizeMethod
): LoadedTask {
  const tasks = services.project.tasks
  if (name !== undefined) return selectTasks(tasks, [name])[0] as LoadedTask
  if (tasks.length === 1) return tasks[0] as LoadedTask
  throw new InputError(
    `optimize --method ${method} improves one task's prompt; name it with --task (the config defines: ${tasks.map((t) => t.name).join(', ')})`
  )
}

/**
 * The part a method is asked to edit exists and may be edited: a system prompt for `--prompt
 * system`, and a message that `optimize.edit` does not freeze.
 */
export function assertEditable(task: LoadedTask, edit: PromptPart, start: PromptParts): void {
  if (edit === 'system' && start.system === undefined) {
    throw new InputError(
      `optimize --prompt system edits the system prompt, but task ${task.name} has none; set system_prompt (or tasks[].system_prompt) in the config`
    )
  }
  const message = partMessage(task.prompt, edit)
  if (message !== undefined && !message.editable) {
    const where =
      message.source.index === undefined
        ? message.source.file
        : `${message.source.file} messages[${message.source.index}]`
    throw new InputError(
      `optimize --prompt ${edit} edits the ${edit} message of task ${task.name} (${where}), but optimize.edit leaves it frozen; add ${message.source.index ?? edit} to optimize.edit or pick the other part`,
      { location: 'optimize.edit' }
    )
  }
}

export interface TaskRunOptions {
  /** The task to optimize; may be omitted when the config has one task. */
  task: string | undefined
  edit: 'user' | 'system'
  seed: number
  /** Start from these prompts instead of the files' (test-time adaptation under another system prompt). */
  start?: PromptParts
}

/** What a method's search is handed: what every search takes, ready to spread into it. */
export interface TaskSearchInput {
  task: LoadedTask
  start: PromptParts
  edit: 'user' | 'system'
  seed: number
  optimizer: ChatModel
  score: ScoreFn
  signal: AbortSignal | undefined
}

/** The least a search returns: its best prompt and why it stopped (with a refusal's HTTP status). */
export interface TaskSearchResult {
  best: PromptParts
  stop: StopInfo
}

/** One task-scoped method: its name in the log, its search and its section of the report. */
export interface TaskMethod<R extends TaskSearchResult> {
  id: OptimizeMethod
  /** As the log names it: "APO". */
  name: string
  /** The settings the first log line shows after the task and the prompt. */
  settings(task: LoadedTask): string
  /** `testCalls`: target calls the test comparison needs after the search (start and best, once each). */
  search(input: TaskSearchInput, testCalls: number): Promise<R>
  optimization(input: TaskOptimizationInput<R>): OptimizationReport
}

export interface TaskRunOutcome<R> {
  report: RunReport
  result: R
  task: LoadedTask
  /** Baseline vs best on the test split (undefined when the test split could not be scored). */
  comparison: TaskComparison | undefined
}

/**
 * A task-scoped method on one task: its search on train/dev within the budget, then one paired
 * comparison of the starting prompt and the best prompt on the held-out test split (never used
 * to choose), and the report.
 */
export async function runTaskOptimization<R extends TaskSearchResult>(
  services: RunServices,
  options: TaskRunOptions,
  method: TaskMethod<R>
): Promise<TaskRunOutcome<R>> {
  const startedAt = new Date()
  const { project, logger } = services
  const task = oneTask(services, options.task, method.id)
  const { edit, seed } = options
  const start = options.start ?? partsOf(task.prompt)
  assertEditable(task, edit, start)
  const simulated = project.config.provider.type === 'simulated'
  logger.info(
    `${method.name} on ${task.name} (${edit} prompt): ${method.settings(task)}, seed ${seed}`
  )
  const testCalls = 2 * examplesOf(task, 'test').length
  const result = await method.search(
    {
      task,
      start,
      edit,
      seed,
      optimizer: services.models.optimizer,
      score: createScoreFn(services, task),
      signal: services.signal
    },
    testCalls
  )
  logger.info(`${method.name} stopped: ${result.stop.reason} — ${result.stop.message}`)

  // The final word belongs to the test split, scored once for the start and once for the best.
  const { stop, comparison, head } = await scoreBeforeAfterOnTest(services, {
    task,
    start,
    best: result.best,
    seed,
    searchStop: result.stop
  })
  const optimization = method.optimization({
    result,
    task,
    start,
    edit,
    seed,
    simulated,
    testComparison: comparison ? [comparison] : []
  })
  const report = buildReport(services, {
    kind: 'optimize',
    startedAt,
    seed,
    split: 'test',
    tasks: head?.tasks ?? [],
    stop,
    optimization
  })
  return { report, result, task, comparison }
}
