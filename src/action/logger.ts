import * as core from '@actions/core'
import { neutralizeWorkflowCommands } from '../report/sanitize.js'
import type { Logger } from '../util/logger.js'

/**
 * The core's Logger over @actions/core. A progress line is logged only after a few seconds without
 * any other line, so a short step leaves no lone fragment in the log and a long one shows it is alive.
 * Messages carry untrusted text: core.info prints it raw, and core.warning and core.debug escape
 * only line breaks, so every message has workflow commands neutralised first.
 */
export function createActionLogger(now: () => number = Date.now): Logger {
  let last = now()
  return {
    info: (m) => {
      last = now()
      core.info(neutralizeWorkflowCommands(m))
    },
    warn: (m) => core.warning(neutralizeWorkflowCommands(m)),
    debug: (m) => core.debug(neutralizeWorkflowCommands(m)),
    progress: (m) => {
      if (now() - last >= 5000) {
        last = now()
        core.info(neutralizeWorkflowCommands(m))
      }
    }
  }
}
