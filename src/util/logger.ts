/**
 * The logging port of the core. The CLI writes to stderr (stdout is for reports), the action to
 * @actions/core. The core never writes to the console itself.
 */
export interface Logger {
  info(message: string): void
  warn(message: string): void
  debug(message: string): void
  /** A progress line that a terminal may overwrite in place; CI gets plain lines at a slower rate. */
  progress(message: string): void
  /** Clears a progress line left on a terminal, before other output (the report) is printed. */
  settle?(): void
}

export const silentLogger: Logger = {
  info: () => undefined,
  warn: () => undefined,
  debug: () => undefined,
  progress: () => undefined
}
