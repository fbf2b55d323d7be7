import type { FileReader } from '../config/paths.js'
import type { LoadedProject, LoadedTask } from '../config/project-types.js'
import { InputError, errorMessage } from '../errors.js'
import { compareTaskResults } from '../eval/compare.js'
import { applyGate } from '../eval/gate.js'
import type { RunReport, TaskComparison } from '../report/types.js'
import { buildReport } from './build-report.js'
import { conversationText, partsOf } from '../config/prompt.js'
import { samplingOf } from '../config/samples.js'
import { sequentialOutcome } from '../eval/sequential-outcome.js'
import { scoreEveryRow, scoreSequentially, sequentialOff } from './compare-sides.js'
import { noteSmallSets } from './eval-run.js'
import type { EvalSplit } from './eval-run.js'
import { gateAfterStop } from './gate-after-stop.js'
import { selectTasks } from './select-tasks.js'
import type { RunServices } from './services.js'
import { openProject } from './discover-prompts.js'
import type { PromptFileLister } from './discover-prompts.js'

export interface CompareOptions {
  tasks: readonly string[]
  split: EvalSplit
  seed: number
  baseRef: string
  headRef: string
  /** Reads the base commit's files (root-relative paths). */
  baseReader: FileReader
  /**
   * Lists the base commit's prompt files (discover-prompts' commitLister), for a repository
   * without a config, whose tasks are its *.prompt.yml files.
   */
  baseList?: PromptFileLister
}

/** Loads the base commit's project; undefined when the base has no config yet (a new setup). */
export async function loadBaseProject(
  head: LoadedProject,
  reader: FileReader,
  warn: (message: string) => void,
  list: PromptFileLister = () => Promise.resolve([])
): Promise<LoadedProject | undefined> {
  try {
    return await openProject(`${head.root}/${head.configPath}`, {
      root: head.root,
      readFile: reader,
      list
    })
  } catch (error) {
    if (
      error instanceof InputError &&
      /no such file/.test(error.message) &&
      error.file === head.configPath
    ) {
      warn(
        head.discovered
          ? 'the base commit has no prompt files; every task is reported as new'
          : `the base commit has no ${head.configPath}; every task is reported as new`
      )
      return undefined
    }
    warn(
      `the base commit's prompts could not be loaded, so there is nothing to compare against: ${errorMessage(error)}`
    )
    return undefined
  }
}

/**
 * Head tasks absent from the base by name whose prompt and data files a base task absent from the
 * head used (or whose prompt text and data are the same): renamed, so still compared.
 * Returns head name → base name.
 */
export function findRenames(
  headTasks: readonly LoadedTask[],
  baseTasks: readonly LoadedTask[]
): Map<string, string> {
  const headNames = new Set(headTasks.map((t) => t.name))
  const baseNames = new Set(baseTasks.map((t) => t.name))
  const gone = baseTasks.filter((t) => !headNames.has(t.name))
  const renames = new Map<string, string>()
  const taken = new Set<string>()
  for (const head of headTasks) {
    if (baseNames.has(head.name)) continue
    const same = (b: LoadedTask): boolean =>
      (b.config.prompt === head.config.prompt && b.config.data === head.config.data) ||
      (conversationText(b.prompt) === conversationText(head.prompt) && b.dataHash === head.dataHash)
    const from = gone.find((b) => !taken.has(b.name) && same(b))
    if (from) {
      renames.set(head.name, from.name)
      taken.add(from.name)
    }
  }
  return renames
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
  const base = await loadBaseProject(
    project,
    options.baseReader,
    (m) => logger.warn(m),
    options.baseList
  )
  const headTasks = selectTasks(project.tasks, options.tasks)
  const baseTasks = new Map<string, LoadedTask>((base?.tasks ?? []).map((t) => [t.name, t]))
  const renames = findRenames(project.tasks, base?.tasks ?? [])
  /** The base task a head task is compared with: the same name, or the one it was renamed from. */
  const baseNameOf = (name: string): string | undefined =>
    baseTasks.has(name) ? name : renames.get(name)

  noteSmallSets(services, options)
  const gateConfig = project.config.gate
  const comparable = headTasks.filter((t) => baseNameOf(t.name) !== undefined)
  // Base is scored with head's samples and aggregate, so the pairs compare like with like.
  const headSampling = new Map(
    headTasks.map((t) => [t.name, samplingOf(t.config, project.config.models)])
  )
  const off = sequentialOff(gateConfig)
  const sides =
    base && comparable.length > 0 && off === undefined && gateConfig.maxDrop !== undefined
      ? await scoreSequentially(services, base, options, {
          headTasks,
          comparable,
          baseTaskOf: (name) => baseTasks.get(baseNameOf(name) ?? '') as LoadedTask,
          samplingFor: (name) => headSampling.get(name),
          gate: { ...gateConfig, maxDrop: gateConfig.maxDrop }
        })
      : await scoreEveryRow(services, base, options, {
          headTasks,
          comparable,
          baseNameOf,
          samplingFor: (name) => headSampling.get(name)
        })
  const { head, baseResults } = sides
  const stop = sides.stop

  const comparisons: TaskComparison[] = []
  for (const headResult of head) {
    const baseName = baseNameOf(headResult.task)
    const baseResult = baseName === undefined ? undefined : baseResults.get(baseName)
    const baseTask = baseName === undefined ? undefined : baseTasks.get(baseName)
    const headTask = headTasks.find((t) => t.name === headResult.task)
    if (!baseResult || !baseTask || !headTask) continue
    const compared = compareTaskResults(baseResult, headResult, {
      level: project.config.gate.confidence,
      seed: options.seed,
      basePrompt: conversationText(baseTask.prompt),
      headPrompt: conversationText(headTask.prompt),
      baseSystemPrompt: partsOf(baseTask.prompt).system,
      headSystemPrompt: partsOf(headTask.prompt).system
    })
    if (baseName !== headResult.task) compared.renamedFrom = baseName
    compared.sequential =
      sides.sequential.get(headResult.task) ??
      sequentialOutcome(
        { decision: 'off', rows: compared.n, total: compared.n },
        {
          maxDrop: gateConfig.maxDrop ?? 0,
          confidence: gateConfig.confidence,
          off: off ?? 'config'
        }
      )
    comparisons.push(compared)
  }
  // Head tasks with no base at all; a task whose base run was cut short is left to gateAfterStop.
  const added = headTasks.filter((t) => baseNameOf(t.name) === undefined).map((t) => t.name)
  const renamedFrom = new Set(renames.values())
  const headNames = new Set(project.tasks.map((t) => t.name))
  const removed = [...baseTasks.keys()].filter((n) => !headNames.has(n) && !renamedFrom.has(n))
  const gate = gateAfterStop(
    applyGate(head, comparisons, project.config.gate, { added }),
    project.config.gate,
    stop,
    headTasks.map((t) => ({ task: t.name, hasBase: baseNameOf(t.name) !== undefined }))
  )
  return buildReport(services, {
    kind: 'compare',
    startedAt,
    seed: options.seed,
    split: options.split,
    tasks: head,
    stop,
    gate,
    comparison: {
      baseRef: options.baseRef,
      headRef: options.headRef,
      tasks: comparisons,
      added,
      removed
    }
  })
}
