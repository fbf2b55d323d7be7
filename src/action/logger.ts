import * as core from '@actions/core'
import type { Logger } from '../util/logger.js'

/** The core's Logger over @actions/core; progress lines are thinned to one every few seconds. */
export function createActionLogger(now: () => number = Date.now): Logger {
  let last = 0
  return {
    info: (m) => core.info(m),
    warn: (m) => core.warning(m),
    debug: (m) => core.debug(m),
    progress: (m) => {
      if (now() - last >= 5000) {
        last = now()
        core.info(m)
      }
    }
  }
}
