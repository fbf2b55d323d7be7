import type { ProviderError } from '../errors.js'
import type { RunReport } from '../report/types.js'
import { buildReport } from './build-report.js'
import type { RunServices } from './services.js'

/**
 * The report of a run that a provider error ended before it could build its own (e.g. the
 * optimizer model refused mid-search): the stop reason, the ledger and nothing scored, so a run
 * that was asked for reports still writes them.
 */
export function providerFailureReport(
  services: RunServices,
  parts: { kind: RunReport['kind']; startedAt: Date; seed: number; split: RunReport['split'] },
  error: ProviderError
): RunReport {
  return buildReport(services, {
    ...parts,
    tasks: [],
    stop: {
      reason: 'provider-error',
      message: error.message,
      ...(error.status !== undefined && { status: error.status })
    }
  })
}
