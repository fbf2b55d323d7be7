import type { StopInfo } from '../llm/ledger-types.js'

/**
 * The run could not finish: a budget stop, a cancel or a provider failure (exit 3, and never a
 * passed gate). `no-gain` is a normal end of an optimization.
 */
export function isIncomplete(stop: StopInfo): boolean {
  return stop.reason === 'budget' || stop.reason === 'cancelled' || stop.reason === 'provider-error'
}
