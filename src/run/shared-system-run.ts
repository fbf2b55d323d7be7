/**
 * Which runs of a task-scoped method are on the shared system prompt of several tasks (GEPA with
 * `--prompt system` on a multi-task repository), decided once for the CLI, the estimate and the run.
 */
import { methodSharesSystem, type OptimizeMethod } from '../config/methods.js'
import type { LoadedProject } from '../config/project-types.js'

/**
 * Whether a task-scoped run is one on the shared system prompt of several tasks: the method can do
 * it, the system prompt is asked for, the config has a shared one, and no single task is named
 * while several are configured (or several are named).
 */
export function isSharedSystemRun(
  project: Pick<LoadedProject, 'tasks' | 'sharedSystemPrompt'>,
  request: { method: OptimizeMethod; edit: 'user' | 'system'; tasks: readonly string[] }
): boolean {
  if (!methodSharesSystem(request.method) || request.edit !== 'system') return false
  if (project.sharedSystemPrompt === undefined) return false
  return request.tasks.length > 1 || (request.tasks.length === 0 && project.tasks.length > 1)
}
