/**
 * Typed errors. Every error the user can cause or meet carries the exit code the CLI and the action
 * end with, and a message written for a person (no stack trace is printed for these).
 */

/** Exit codes shared by the CLI and the action. */
export const ExitCode = {
  ok: 0,
  gateFailed: 1,
  badInput: 2,
  incomplete: 3
} as const
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode]

export class PromptDescentError extends Error {
  readonly exitCode: ExitCodeValue
  constructor(message: string, exitCode: ExitCodeValue, options?: { cause?: unknown }) {
    super(message, options)
    this.name = new.target.name
    this.exitCode = exitCode
  }
}

/** Bad configuration or input: names the file, and where it can, the key path or line. Exit 2. */
export class InputError extends PromptDescentError {
  readonly file: string | undefined
  readonly location: string | undefined
  constructor(
    message: string,
    details: { file?: string; location?: string; cause?: unknown } = {}
  ) {
    const where = [details.file, details.location].filter(Boolean).join(': ')
    super(where ? `${where}: ${message}` : message, ExitCode.badInput, { cause: details.cause })
    this.file = details.file
    this.location = details.location
  }
}

/** The provider failed in a way retries could not mend. Exit 3. */
export class ProviderError extends PromptDescentError {
  readonly status: number | undefined
  readonly retryable: boolean
  constructor(
    message: string,
    details: { status?: number; retryable?: boolean; cause?: unknown } = {}
  ) {
    super(message, ExitCode.incomplete, { cause: details.cause })
    this.status = details.status
    this.retryable = details.retryable ?? false
  }
}

/** A budget cap (dollars, tokens, calls, minutes) was reached. Exit 3; partial results are kept. */
export class BudgetExceededError extends PromptDescentError {
  readonly cap: 'usd' | 'tokens' | 'calls' | 'minutes'
  constructor(cap: 'usd' | 'tokens' | 'calls' | 'minutes', message: string) {
    super(message, ExitCode.incomplete)
    this.cap = cap
  }
}

/** The run was cancelled (signal, abort). Exit 3. */
export class CancelledError extends PromptDescentError {
  constructor(message = 'the run was cancelled') {
    super(message, ExitCode.incomplete)
  }
}

/** unknown → readable message, without `as any`. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message
  if (typeof error === 'string') return error
  try {
    return JSON.stringify(error)
  } catch {
    return String(error)
  }
}
