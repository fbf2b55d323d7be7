import * as core from '@actions/core'

let controller: AbortController | undefined

/**
 * Aborted when the runner cancels the job (SIGINT, then SIGTERM on a cancel or a timeout): calls in
 * flight stop, the run ends with a `cancelled` report, and the response cache is still saved, so
 * the answers already paid for are not lost.
 */
export function cancelSignal(): AbortSignal {
  if (!controller) {
    const c = new AbortController()
    controller = c
    const onSignal = (name: string) => () => {
      if (c.signal.aborted) return
      core.warning(`${name}: stopping after the calls in flight; partial results are kept`)
      c.abort()
    }
    process.once('SIGINT', onSignal('SIGINT'))
    process.once('SIGTERM', onSignal('SIGTERM'))
  }
  return controller.signal
}
