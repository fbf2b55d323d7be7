import { loadProject } from '../config/load-project.js'
import type { FileReader } from '../config/paths.js'
import type { LoadedProject, LoadedTask } from '../config/project-types.js'
import { InputError, errorMessage } from '../errors.js'
import { compareTaskResults } from '../eval/compare.js'
import { applyGate } from '../eval/gate.js'
import type { TaskEvalResult } from '../eval/types.js'
import type { RunReport, TaskComparison } from '../report/types.js'
import { buildReport } from './build-report.js'
import { conversationText, partsOf } from '../config/prompt.js'
import { evaluateTasks } from './eval-run.js'
import type { EvalSplit } from './eval-run.js'
import { gateAfterStop } from './gate-after-stop.js'
import { selectTasks } from './select-tasks.js'
import type { RunServices } from './services.js'

export interface CompareOptions {
  tasks: readonly string[]
  split: EvalSplit
  seed: number
  baseRef: string
  headRef: string
  /** Reads the base commit's files (root-relative paths). */
  baseReader: FileReader
}

/** Loads the base commit's project; undefined when the base has no config yet (a new setup). */
export async function loadBaseProject(
  head: LoadedProject,
  reader: FileReader,
  warn: (message: string) => void
): Promise<LoadedProject | undefined> {
  try {
    return await loadProject(`${head.root}/${head.configPath}`, {
      root: head.root,
      readFile: reader
    })
  } catch (error) {
    if (
      error instanceof InputError &&
      /no such file/.test(error.message) &&
      error.file === head.configPath
    ) {
      warn(`the base commit has no ${head.configPath}; every task is reported as new`)
      return undefined
    }
    warn(
      `the base commit's prompts could not be loaded, so there is nothing to compare against: ${errorMessage(error)}`
    )
    return undefined
  }
}

/**
 * Base vs head on the same examples: each side is scored with its own prompts and data (the cache
 * makes an unchanged pair free), then compared per task on the example ids both have: delta with a
 * paired-bootstrap interval and a p-value. The gate applies min_score to head and max_drop to the
 * significant drops.
 */
export async function runCompare(
  services: RunServices,
  options: CompareOptions
): Promise<RunReport> {
  const startedAt = new Date()
  const { project, logger } = services
  const base = await loadBaseProject(project, options.baseReader, (m) => logger.warn(m))
  const headTasks = selectTasks(project.tasks, options.tasks)
  const baseTasks = new Map<string, LoadedTask>((base?.tasks ?? []).map((t) => [t.name, t]))

  logger.info(`head (${options.headRef.slice(0, 12)})`)
  const head = await evaluateTasks(services, {
    tasks: headTasks.map((t) => t.name),
    split: options.split,
    seed: options.seed
  })
  let stop = head.stop
  const baseResults = new Map<string, TaskEvalResult>()
  const comparable = headTasks.filter((t) => baseTasks.has(t.name))
  if (
    base &&
    comparable.length > 0 &&
    (stop.reason === 'completed' || stop.reason === 'provider-error')
  ) {
    logger.info(`base (${options.baseRef.slice(0, 12)})`)
    const baseServices: RunServices = { ...services, project: base }
    const outcome = await evaluateTasks(baseServices, {
      tasks: comparable.map((t) => t.name),
      split: options.split,
      seed: options.seed
    })
    for (const result of outcome.tasks) baseResults.set(result.task, result)
    if (outcome.stop.reason !== 'completed') stop = outcome.stop
  }

  const comparisons: TaskComparison[] = []
  for (const headResult of head.tasks) {
    const baseResult = baseResults.get(headResult.task)
    const baseTask = baseTasks.get(headResult.task)
    const headTask = headTasks.find((t) => t.name === headResult.task)
    if (!baseResult || !baseTask || !headTask) continue
    comparisons.push(
      compareTaskResults(baseResult, headResult, {
        level: project.config.gate.confidence,
        seed: options.seed,
        basePrompt: conversationText(baseTask.prompt),
        headPrompt: conversationText(headTask.prompt),
        baseSystemPrompt: partsOf(baseTask.prompt).system,
        headSystemPrompt: partsOf(headTask.prompt).system
      })
    )
  }
  const gate = gateAfterStop(
    applyGate(head.tasks, comparisons, project.config.gate),
    project.config.gate,
    stop,
    headTasks.map((t) => ({ task: t.name, hasBase: baseTasks.has(t.name) }))
  )
  return buildReport(services, {
    kind: 'compare',
    startedAt,
    seed: options.seed,
    split: options.split,
    tasks: head.tasks,
    stop,
    gate,
    comparison: { baseRef: options.baseRef, headRef: options.headRef, tasks: comparisons }
  })
}
