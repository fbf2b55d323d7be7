/**
 * GEPA on one task's user or system prompt: reflective evolution on train/dev within the budget,
 * then one paired comparison of the starting and the best prompt on the held-out test split.
 */
import type { LoadedTask } from '../config/project-types.js'
import { partsOf } from '../config/prompt.js'
import type { PromptParts } from '../config/prompt.js'
import { runGepa } from '../optimize/gepa/gepa.js'
import { gepaOptimizationReport } from '../optimize/gepa/report.js'
import type { GepaResult } from '../optimize/gepa/types.js'
import type { RunReport, TaskComparison } from '../report/types.js'
import { buildReport } from './build-report.js'
import { apoTask, assertEditable } from './optimize-apo.js'
import { createScoreFn } from './score-fn.js'
import { examplesOf } from './select-tasks.js'
import type { RunServices } from './services.js'
import { scoreBeforeAfterOnTest } from './test-before-after.js'

export interface GepaRunOptions {
  task: string | undefined
  edit: 'user' | 'system'
  seed: number
  start?: PromptParts
}

export interface GepaRunOutcome {
  report: RunReport
  result: GepaResult
  task: LoadedTask
  comparison: TaskComparison | undefined
}

export async function runGepaOptimization(
  services: RunServices,
  options: GepaRunOptions
): Promise<GepaRunOutcome> {
  const startedAt = new Date()
  const { project, logger } = services
  const task = apoTask(services, options.task)
  const config = project.config.optimize.gepa
  const edit = options.edit
  const start = options.start ?? partsOf(task.prompt)
  assertEditable(task, edit, start)
  const simulated = project.config.provider.type === 'simulated'
  const testRows = 2 * examplesOf(task, 'test').length
  logger.info(
    `GEPA on ${task.name} (${edit} prompt): preset ${config.preset}, minibatch ${config.minibatch}, confirm ${config.confirm}, selection ${config.selection}, seed ${options.seed}`
  )
  const result = await runGepa({
    task,
    start,
    edit,
    config,
    optimizer: services.models.optimizer,
    score: createScoreFn(services, task),
    seed: options.seed,
    signal: services.signal,
    // An iteration starts only when the budget covers its worst case and, after it, the test pass.
    canAfford: (target, optimizer) => !services.nearBudgetEnd(target + optimizer + testRows),
    onIteration: (it) => {
      logger.info(
        `iteration ${it.iteration}: parent ${it.parentId} → ${it.childId ?? 'nothing'} (${it.outcome}); target calls ${it.ledger.targetCalls}, optimizer calls ${it.ledger.optimizerCalls}`
      )
    }
  })
  logger.info(`GEPA stopped: ${result.stop.reason} — ${result.stop.message}`)
  const { stop, comparison, head } = await scoreBeforeAfterOnTest(services, {
    task,
    start,
    best: result.best,
    seed: options.seed,
    searchStop: result.stop
  })
  const optimization = gepaOptimizationReport({
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
