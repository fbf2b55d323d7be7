import type { LoadedTask } from '../config/project-types.js'
import { InputError } from '../errors.js'

/** The tasks named on the command line (all when none), or an error that lists the known names. */
export function selectTasks(tasks: readonly LoadedTask[], names: readonly string[]): LoadedTask[] {
  if (names.length === 0) return [...tasks]
  const known = new Map(tasks.map((t) => [t.name, t]))
  return names.map((name) => {
    const task = known.get(name)
    if (!task) {
      throw new InputError(
        `unknown task "${name}"; the config defines: ${[...known.keys()].join(', ')}`
      )
    }
    return task
  })
}

/** Examples of a task in the requested split ('all' keeps every row). */
export function examplesOf(task: LoadedTask, split: 'train' | 'dev' | 'test' | 'all') {
  return split === 'all' ? task.examples : task.examples.filter((e) => e.split === split)
}
