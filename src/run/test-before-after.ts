/**
 * The final word of a one-task optimization: the starting and the best prompt scored once each on
 * the held-out test split (never used to choose), compared paired with an interval. Shared by the
 * task-scoped methods (APO, GEPA).
 */
import type { LoadedTask } from '../config/project-types.js'
import type { PromptParts } from '../config/prompt.js'
import { compareTaskResults } from '../eval/compare.js'
import type { StopInfo } from '../llm/ledger-types.js'
import type { TaskComparison } from '../report/types.js'
import { evaluateTasks } from './eval-run.js'
import type { EvalOutcome } from './eval-run.js'
import type { RunServices } from './services.js'

export interface BeforeAfter {
  /** The run's stop: the search's, or the test scoring's when that could not finish. */
  stop: StopInfo
  comparison: TaskComparison | undefined
  head: EvalOutcome | undefined
}

export async function scoreBeforeAfterOnTest(
  services: RunServices,
  input: {
    task: LoadedTask
    start: PromptParts
    best: PromptParts
    seed: number
    searchStop: StopInfo
  }
): Promise<BeforeAfter> {
  const { task, start, best, seed } = input
  let stop: StopInfo = { ...input.searchStop }
  let comparison: TaskComparison | undefined
  const interrupted = stop.reason === 'cancelled' || stop.reason === 'provider-error'
  if (interrupted) return { stop, comparison, head: undefined }
  services.logger.info(`scoring the starting and the best prompt on the test split`)
  const base = await evaluateTasks(services, {
    tasks: [task.name],
    split: 'test',
    seed,
    label: 'before',
    promptsFor: () => start
  })
  const head =
    base.fatal || base.stop.reason === 'budget' || base.stop.reason === 'cancelled'
      ? undefined
      : await evaluateTasks(services, {
          tasks: [task.name],
          split: 'test',
          seed,
          label: 'after',
          promptsFor: () => best
        })
  const baseResult = base.tasks[0]
  const headResult = head?.tasks[0]
  if (baseResult && headResult) {
    comparison = compareTaskResults(baseResult, headResult, {
      level: services.project.config.gate.confidence,
      seed,
      basePrompt: start.user,
      headPrompt: best.user,
      baseSystemPrompt: start.system,
      headSystemPrompt: best.system
    })
  }
  const testStop = head?.stop.reason !== 'completed' ? (head?.stop ?? base.stop) : undefined
  if (testStop && testStop.reason !== 'completed') {
    stop = {
      ...testStop,
      message: `${testStop.message} (while scoring the test split after the search; the best prompt is kept)`
    }
  }
  return { stop, comparison, head }
}
