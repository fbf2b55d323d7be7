/**
 * Method checks and dispatch, written once for the CLI and the action: what a method accepts (from
 * its scope) and which runner it goes to. Both switches are exhaustive over `OptimizeMethod`.
 */
import {
  OPTIMIZE_METHODS,
  methodName,
  methodScope,
  methodSharesSystem,
  type OptimizeMethod
} from '../config/methods.js'
import type { OptimizeConfig } from '../config/types.js'
import { InputError, ProviderError } from '../errors.js'
import { providerFailureReport } from './failed-report.js'
import type { RunReport } from '../report/types.js'
import { runApoOptimization } from './optimize-apo.js'
import { runGepaOptimization } from './optimize-gepa.js'
import { runGepaSharedOptimization } from './optimize-gepa-shared.js'
import { isSharedSystemRun } from './shared-system-run.js'
import { runMetaspoOptimization } from './optimize-metaspo.js'
import type { RunServices } from './services.js'
import type { TaskRunOptions } from './task-optimization.js'

/** What the caller asked for, before the method's rules are applied. */
export interface MethodChoice {
  method: OptimizeMethod
  /** The prompt asked for explicitly (undefined: the config's default). */
  edit: 'user' | 'system' | undefined
  /** The one task asked for (`--task` / `task`), for methods that edit one task. */
  tasks: readonly string[]
}

/** How the caller spells its options in error messages (`--prompt` on the CLI, `prompt:` as an input). */
export interface ChoiceWording {
  prompt: string
  task: string
  /**
   * The action's `task` input names the one task of a task-scoped method and is an error for a
   * shared-system method (whose tasks come from `tasks`); the CLI's `--task` serves both.
   */
  taskIsSingle: boolean
}

export const CLI_WORDING: ChoiceWording = {
  prompt: '--prompt user',
  task: '--task',
  taskIsSingle: false
}

/** The methods that edit one task's prompt, by name ("APO"). */
function taskMethods(): string {
  return OPTIMIZE_METHODS.filter((m) => methodScope(m) === 'task')
    .map(methodName)
    .join(' and ')
}

/** Bad combinations of method and options, as InputErrors that name the option. */
export function checkMethodChoice(choice: MethodChoice, wording: ChoiceWording): void {
  const name = methodName(choice.method)
  switch (methodScope(choice.method)) {
    case 'task':
      if (
        choice.tasks.length > 1 &&
        !(methodSharesSystem(choice.method) && choice.edit === 'system')
      ) {
        const shared = methodSharesSystem(choice.method)
          ? ` (or ${wording.prompt.replace(/user$/, 'system')} to optimize the shared system prompt of several tasks)`
          : ''
        throw new InputError(
          `optimize --method ${choice.method} improves one task at a time; give one ${wording.task}${shared}`
        )
      }
      return
    case 'shared-system':
      if (choice.edit === 'user') {
        throw new InputError(
          `${wording.prompt} applies to ${taskMethods()}; ${name} optimizes the shared system prompt`
        )
      }
      if (wording.taskIsSingle && choice.tasks.length > 0) {
        throw new InputError(
          `${wording.task} applies to ${taskMethods()}, which improve one task; ${name} trains on every task (restrict them with the \`tasks\` input)`
        )
      }
      return
  }
}

export interface OptimizationRequest {
  method: OptimizeMethod
  seed: number
  /** Task-scoped methods: the task (undefined: the only one) and the prompt to edit. */
  task: string | undefined
  edit: 'user' | 'system'
  /** Shared-system methods: the tasks to train on (all when empty) and the held-out ones. */
  tasks: readonly string[]
  holdout: readonly string[] | undefined
  adapt?: boolean
}

/** The prompt a task-scoped method edits when none is asked for. */
export function defaultEdit(config: OptimizeConfig, method: OptimizeMethod): 'user' | 'system' {
  switch (method) {
    case 'apo':
    case 'metaspo':
      return config.apo.target
    case 'gepa':
      return config.gepa.target ?? config.apo.target
  }
}

/** What a task-scoped method is asked to do. */
function taskRun(request: OptimizationRequest): TaskRunOptions {
  return { task: request.task, edit: request.edit, seed: request.seed }
}

/**
 * Runs the method and returns its report — also when the provider refused past the optimizer's own
 * handling (e.g. while writing variants for the unseen tasks): then the report carries the stop
 * reason, the HTTP status and the ledger, so the CLI and the action still write what was asked for.
 */
export async function runOptimization(
  services: RunServices,
  request: OptimizationRequest
): Promise<RunReport> {
  const startedAt = new Date()
  try {
    return await runMethod(services, request)
  } catch (error) {
    if (!(error instanceof ProviderError)) throw error
    return providerFailureReport(
      services,
      { kind: 'optimize', startedAt, seed: request.seed, split: 'test' },
      error
    )
  }
}

async function runMethod(services: RunServices, request: OptimizationRequest): Promise<RunReport> {
  switch (request.method) {
    case 'apo':
      return (await runApoOptimization(services, taskRun(request))).report
    case 'gepa':
      if (
        isSharedSystemRun(services.project, {
          ...request,
          tasks:
            request.tasks.length > 0
              ? request.tasks
              : request.task === undefined
                ? []
                : [request.task]
        })
      ) {
        return (
          await runGepaSharedOptimization(services, {
            holdout: request.holdout,
            tasks: request.tasks,
            seed: request.seed
          })
        ).report
      }
      return (await runGepaOptimization(services, taskRun(request))).report
    case 'metaspo':
      return (
        await runMetaspoOptimization(services, {
          holdout: request.holdout,
          seed: request.seed,
          tasks: request.tasks,
          ...(request.adapt === undefined ? {} : { adapt: request.adapt })
        })
      ).report
  }
}
