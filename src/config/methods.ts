/**
 * The optimization methods: one list, one type, and what each method edits. Every dispatch on a
 * method is an exhaustive switch over `OptimizeMethod`, so a new entry here is flagged by the compiler
 * wherever it still needs a case.
 */
export const OPTIMIZE_METHODS = ['apo', 'metaspo', 'gepa'] as const

export type OptimizeMethod = (typeof OPTIMIZE_METHODS)[number]

/**
 * What a method edits: `task` — one task's user or system prompt (`--task`, `--prompt`);
 * `shared-system` — the system prompt every task shares (trained over several tasks).
 */
export type MethodScope = 'task' | 'shared-system'

export function isOptimizeMethod(value: string): value is OptimizeMethod {
  return (OPTIMIZE_METHODS as readonly string[]).includes(value)
}

export function methodScope(method: OptimizeMethod): MethodScope {
  switch (method) {
    case 'apo':
    case 'gepa':
      return 'task'
    case 'metaspo':
      return 'shared-system'
  }
}

/**
 * Whether a task-scoped method also optimizes the shared system prompt of several tasks when asked
 * for the system prompt without one task (`--prompt system` on a multi-task repository).
 */
export function methodSharesSystem(method: OptimizeMethod): boolean {
  switch (method) {
    case 'gepa':
      return true
    case 'apo':
    case 'metaspo':
      return false
  }
}

/** The short name (commit messages, logs). */
export function methodName(method: OptimizeMethod): string {
  switch (method) {
    case 'apo':
      return 'APO'
    case 'metaspo':
      return 'MetaSPO'
    case 'gepa':
      return 'GEPA'
  }
}

/** The name with its paper's (reports, pull-request bodies). */
export function methodTitle(method: OptimizeMethod): string {
  switch (method) {
    case 'apo':
      return 'APO (ProTeGi)'
    case 'metaspo':
      return 'MetaSPO'
    case 'gepa':
      return 'GEPA (reflective prompt evolution)'
  }
}
