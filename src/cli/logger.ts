import { stripUrlCredentials } from '../llm/provider-env.js'
import { neutralizeWorkflowCommands, stripControl } from '../report/sanitize.js'
import type { Logger } from '../util/logger.js'

/** Seconds of silence in a CI log after which a progress line is worth printing. */
const PLAIN_PROGRESS_MS = 5000

/**
 * Any text the CLI prints on stderr, made safe for a terminal and a CI log: messages carry
 * untrusted text (a provider's error, a file name, a task name), so escape sequences and control
 * characters go, a URL's user and password go, and workflow commands (`::add-mask::`, `::error::`,
 * `##[set-output]`) cannot be injected into the step that runs the CLI.
 */
export function forLog(text: string): string {
  return neutralizeWorkflowCommands(stripUrlCredentials(stripControl(text)))
}

/**
 * Logs to stderr so stdout carries only the report. On a terminal, progress overwrites one line,
 * cleared before any other line and by `settle()` before the report is printed. Elsewhere (CI
 * logs) a progress line is printed only after a few seconds without any other line, so a short
 * step leaves no lone fragment like "triage: 1/120" and a long one still shows it is alive. Every
 * message passes through {@link forLog}.
 */
export function createCliLogger(options: {
  stream?: NodeJS.WriteStream
  quiet?: boolean
  debug?: boolean
  now?: () => number
}): Logger {
  const stream = options.stream ?? process.stderr
  const tty = stream.isTTY === true
  const now = options.now ?? Date.now
  let lastPlain = now()
  let dirty = false
  const clear = (): void => {
    if (dirty) {
      stream.write('\r\x1b[2K')
      dirty = false
    }
  }
  const line = (text: string): void => {
    clear()
    stream.write(`${forLog(text)}\n`)
    lastPlain = now()
  }
  return {
    info: (m) => {
      if (!options.quiet) line(m)
    },
    warn: (m) => line(`warning: ${m}`),
    debug: (m) => {
      if (options.debug) line(`debug: ${m}`)
    },
    progress: (m) => {
      if (options.quiet) return
      const text = forLog(m).replace(/\n/g, ' ')
      if (tty) {
        stream.write(`\r\x1b[2K${text}`)
        dirty = true
      } else if (now() - lastPlain >= PLAIN_PROGRESS_MS) {
        lastPlain = now()
        stream.write(`${text}\n`)
      }
    },
    settle: clear
  }
}
