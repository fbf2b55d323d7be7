import type { Logger } from '../util/logger.js'

/**
 * Logs to stderr so stdout carries only the report. On a terminal, progress overwrites one line;
 * elsewhere (CI logs) progress is printed as plain lines at most every few seconds.
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
    stream.write(`${text}\n`)
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
      if (tty) {
        stream.write(`\r\x1b[2K${m}`)
        dirty = true
      } else if (now() - lastPlain >= 5000) {
        lastPlain = now()
        stream.write(`${m}\n`)
      }
    }
  }
}
