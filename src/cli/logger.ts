import { stripUrlCredentials } from '../llm/provider-env.js'
import { neutralizeWorkflowCommands, stripControl } from '../report/sanitize.js'
import type { Logger } from '../util/logger.js'

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
 * Logs to stderr so stdout carries only the report. On a terminal, progress overwrites one line;
 * elsewhere (CI logs) progress is printed as plain lines at most every few seconds. Every message
 * passes through {@link forLog}.
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
  let lastPlain = 0
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
      } else if (now() - lastPlain >= 5000) {
        lastPlain = now()
        stream.write(`${text}\n`)
      }
    }
  }
}
