/**
 * What an optimize run does and where its proposal goes: the method, task, prompt and budget from
 * the comment, the inputs and the config (in that order), and the fixed branch per target.
 */
import {
  methodName,
  methodScope,
  methodSharesSystem,
  type OptimizeMethod
} from '../config/methods.js'
import { checkMethodChoice, defaultEdit, type ChoiceWording } from '../run/optimize-method.js'
import { partMessage } from '../config/prompt.js'
import type { LoadedProject } from '../config/project-types.js'
import type { BudgetConfig } from '../config/types.js'
import { InputError } from '../errors.js'
import { oneTask } from '../run/task-optimization.js'
import { metaspoTasks } from '../run/optimize-metaspo.js'
import { isSharedSystemRun } from '../run/shared-system-run.js'
import type { OptimizeCommand } from './comment-trigger.js'
import type { ActionSettings } from './inputs.js'

export const BRANCH_PREFIX = 'prompt-descent/optimize/'

const ACTION_WORDING: ChoiceWording = {
  prompt: '`prompt: user`',
  task: '`task`',
  taskIsSingle: true
}

export interface OptimizeRequest {
  method: OptimizeMethod
  /** APO: the task (resolved: the named one, or the only one). */
  task: string | undefined
  /** APO: the prompt it edits. MetaSPO always edits the shared system prompt. */
  edit: 'user' | 'system'
  seed: number
  /** MetaSPO: restrict meta-training to these tasks (the `tasks` input); all when empty. */
  tasks: string[]
  /** Caps for this run (each overrides the config's). */
  budget: Partial<BudgetConfig>
  /** Root-relative prompt files the run may change. */
  files: string[]
}

const CAPS = ['usd', 'calls', 'tokens', 'minutes'] as const

/**
 * The workflow's caps, lowered by a comment's: a `/optimize budget=…` can ask for less than the
 * workflow allows, never for more (the config's caps count when the workflow sets none).
 */
export function commentBudget(
  inputs: Partial<BudgetConfig>,
  config: BudgetConfig,
  asked: OptimizeCommand['budget'] | undefined
): Partial<BudgetConfig> {
  const out: Partial<BudgetConfig> = { ...inputs }
  for (const cap of CAPS) {
    const want = asked?.[cap]
    if (want === undefined) continue
    const allowed = inputs[cap] ?? config[cap]
    out[cap] = allowed === undefined ? want : Math.min(want, allowed)
  }
  return out
}

/** Resolves the run from the comment (if any), the inputs and the config; bad choices are InputErrors. */
export function resolveRequest(
  settings: ActionSettings,
  command: OptimizeCommand | undefined,
  project: LoadedProject
): OptimizeRequest {
  const { config } = project
  const method = command?.method ?? settings.method ?? config.optimize.method
  const askedPrompt = command?.prompt ?? settings.prompt
  const taskName = command?.task ?? settings.task
  const budget = commentBudget(settings.budget, config.budget, command?.budget)
  const seed = config.optimize.seed
  checkMethodChoice(
    { method, edit: askedPrompt, tasks: taskName === undefined ? [] : [taskName] },
    ACTION_WORDING
  )
  const asked = askedPrompt ?? defaultEdit(config.optimize, method)
  // GEPA asked for the system prompt without a task, on several tasks: the shared system prompt.
  const shared =
    methodScope(method) === 'shared-system' ||
    isSharedSystemRun(project, {
      method,
      edit: asked,
      tasks: taskName === undefined ? settings.tasks : [taskName]
    })
  if (shared) {
    const { train } = metaspoTasks({ project }, undefined, settings.tasks)
    const system = config.systemPrompt
    if (system === undefined) {
      throw new InputError(
        `${methodName(method)} optimizes the shared system prompt: set system_prompt (a file, e.g. prompts/system.md) in the config`,
        { location: 'system_prompt' }
      )
    }
    return {
      method,
      task: undefined,
      edit: 'system',
      seed,
      tasks: settings.tasks,
      budget,
      files: [system, ...train.map((t) => partMessage(t.prompt, 'user')?.source.file ?? '')]
    }
  }
  const task = oneTask({ project }, taskName, method)
  const edit = asked
  const file = partMessage(task.prompt, edit)?.source.file
  return {
    method,
    task: task.name,
    edit,
    seed,
    tasks: [],
    budget,
    files: file === undefined ? [] : [file]
  }
}

/**
 * Whether the request is for the shared system prompt: MetaSPO's, or a method that also does it
 * (GEPA) resolved to no single task and the system prompt.
 */
export function isSharedRequest(
  request: Pick<OptimizeRequest, 'method' | 'task' | 'edit'>
): boolean {
  return (
    methodScope(request.method) === 'shared-system' ||
    (methodSharesSystem(request.method) && request.task === undefined && request.edit === 'system')
  )
}

/** A task name as a branch-name segment: letters, digits, `.`, `_` and `-` only. */
export function refSegment(name: string): string {
  const safe = name
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/\.{2,}/g, '.')
    .replace(/^[.-]+|[.-]+$/g, '')
    .replace(/\.lock$/i, '-lock')
  return safe === '' ? 'task' : safe.slice(0, 100)
}

/**
 * The fixed branch of a proposal, one per target so a later run updates it: the task for APO on a
 * user prompt (`<task>-system` for its system prompt), `system-prompt` for MetaSPO, and `pr-<n>`
 * for a suggestion into a pull request's branch.
 */
export function proposalBranch(request: OptimizeRequest, pullNumber: number | undefined): string {
  if (pullNumber !== undefined) return `${BRANCH_PREFIX}pr-${pullNumber}`
  if (isSharedRequest(request)) return `${BRANCH_PREFIX}system-prompt`
  const task = refSegment(request.task ?? 'task')
  return `${BRANCH_PREFIX}${request.edit === 'user' ? task : `${task}-system`}`
}
