/**
 * An optimized prompt is written over the prompt files (optimize --write, the optimize pull request)
 * only when the held-out test rows confirm its gain. With too few test rows no gain can ever be
 * confirmed, so the run is refused before a single call, saying how many rows would do.
 */
import type { OptimizeMethod } from '../config/methods.js'
import type { LoadedTask } from '../config/project-types.js'
import { InputError } from '../errors.js'
import { heldOutShortfall } from '../eval/small-set.js'
import { oneTask } from './task-optimization.js'
import { metaspoTasks } from './optimize-metaspo.js'
import type { RunServices } from './services.js'
import { isSharedSystemRun } from './shared-system-run.js'

/** The tasks whose test comparison decides the gain of an optimization run. */
export function gainTasks(
  services: Pick<RunServices, 'project'>,
  request: {
    method: OptimizeMethod
    task: string | undefined
    tasks: readonly string[]
    holdout?: readonly string[]
    /** The prompt asked for (GEPA on `system` over several tasks gains on each of them). */
    edit?: 'user' | 'system'
  }
): LoadedTask[] {
  switch (request.method) {
    case 'apo':
    case 'gepa':
      if (
        request.edit !== undefined &&
        isSharedSystemRun(services.project, { ...request, edit: request.edit })
      )
        return metaspoTasks(services, request.holdout, request.tasks).train
      return [oneTask(services, request.task, request.method)]
    case 'metaspo':
      return metaspoTasks(services, request.holdout, request.tasks).train
  }
}

/** Throws an InputError when a task has too few test rows to ever confirm a gain. */
export function assertGainCanBeConfirmed(
  services: Pick<RunServices, 'project'>,
  tasks: readonly LoadedTask[],
  what: string
): void {
  const { confidence } = services.project.config.gate
  const problems = tasks.flatMap((task) => {
    const test = task.examples.filter((e) => e.split === 'test').length
    const shortfall = heldOutShortfall(task.name, test, task.config.split.test, confidence)
    return shortfall === undefined ? [] : [shortfall]
  })
  if (problems.length > 0)
    throw new InputError(
      `${what} needs held-out rows to confirm a gain before it changes a prompt: ${problems.join('; ')}. Add rows (a .prompt.yml's testData), or run without it to see the candidates.`
    )
}
