import type { LoadedTask } from '../config/project-types.js'
import { InputError } from '../errors.js'
import { runApo } from '../optimize/apo/apo.js'
import { apoOptimizationReport } from '../optimize/apo/report.js'
import type { ApoResult } from '../optimize/apo/types.js'
import { partMessage, partsOf } from '../config/prompt.js'
import type { PromptPart, PromptParts } from '../config/prompt.js'
import type { RoundRecord } from '../optimize/types.js'
import type { RunReport, TaskComparison } from '../report/types.js'
import { plural } from '../report/format.js'
import { buildReport } from './build-report.js'
import { scoreBeforeAfterOnTest } from './test-before-after.js'
import { createScoreFn } from './score-fn.js'
import { examplesOf, selectTasks } from './select-tasks.js'
import type { RunServices } from './services.js'

export interface ApoRunOptions {
  /** The task to optimize; may be omitted when the config has one task. */
  task: string | undefined
  edit: 'user' | 'system'
  seed: number
  /** Start from these prompts instead of the files' (test-time adaptation under another system prompt). */
  start?: PromptParts
  onRound?: (round: RoundRecord) => void
}

export interface ApoRunOutcome {
  report: RunReport
  result: ApoResult
  task: LoadedTask
  /** Baseline vs best on the test split (undefined when the test split could not be scored). */
  comparison: TaskComparison | undefined
}

/** The one task APO works on: the named one, or the only one. */
export function apoTask(
  services: Pick<RunServices, 'project'>,
  name: string | undefined
): LoadedTask {
  const tasks = services.project.tasks
  if (name !== undefined) return selectTasks(tasks, [name])[0] as LoadedTask
  if (tasks.length === 1) return tasks[0] as LoadedTask
  throw new InputError(
    `optimize --method apo improves one task's prompt; name it with --task (the config defines: ${tasks.map((t) => t.name).join(', ')})`
  )
}

/**
 * The part APO is asked to edit exists and may be edited: a system prompt for `--prompt system`, and
 * a message that `optimize.edit` does not freeze.
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

/**
 * APO on one task: beam search on train/dev within the budget, then one paired comparison of the
 * starting prompt and the best prompt on the held-out test split (never used to choose).
 */
export async function runApoOptimization(
  services: RunServices,
  options: ApoRunOptions
): Promise<ApoRunOutcome> {
  const startedAt = new Date()
  const { project, logger } = services
  const task = apoTask(services, options.task)
  const config = project.config.optimize.apo
  const edit = options.edit
  const start = options.start ?? partsOf(task.prompt)
  assertEditable(task, edit, start)
  const simulated = project.config.provider.type === 'simulated'
  logger.info(
    `APO on ${task.name} (${edit} prompt): ${config.rounds} rounds, beam ${config.beam}, bandit ${config.bandit}, seed ${options.seed}`
  )
  let lastRoundCalls = 0
  const result = await runApo({
    task,
    start,
    edit,
    config,
    optimizer: services.models.optimizer,
    score: createScoreFn(services, task),
    seed: options.seed,
    signal: services.signal,
    // Start a round only when the budget can pay for one more like the last and, after it, for
    // scoring the start and the best prompt on test.
    isNearBudgetEnd: () =>
      services.nearBudgetEnd(lastRoundCalls + 2 * examplesOf(task, 'test').length),
    onRound: (round) => {
      lastRoundCalls = round.targetCalls + round.optimizerCalls
      logger.info(
        `round ${round.round}: ${plural(round.candidates, 'candidate')}, best dev ${(round.bestDev * 100).toFixed(1)}%, target calls ${round.targetCalls}, optimizer calls ${round.optimizerCalls}`
      )
      options.onRound?.(round)
    }
  })
  logger.info(`APO stopped: ${result.stop.reason} — ${result.stop.message}`)

  // The final word belongs to the test split, scored once for the start and once for the best.
  const { stop, comparison, head } = await scoreBeforeAfterOnTest(services, {
    task,
    start,
    best: result.best,
    seed: options.seed,
    searchStop: result.stop
  })
  const optimization = apoOptimizationReport({
    result,
    task,
    start,
    edit,
    seed: options.seed,
    simulated,
    testComparison: comparison ? [comparison] : []
  })
  const report = buildReport(services, {
    kind: 'optimize',
    startedAt,
    seed: options.seed,
    split: 'test',
    tasks: head?.tasks ?? [],
    stop,
    optimization
  })
  return { report, result, task, comparison }
}
