/**
 * The call-count check shared by the GEPA end-to-end tests: what the fake server saw equals the
 * report's ledger, and the ledger equals GEPA's cost formula (src/optimize/gepa/estimate.ts).
 */
import { expect } from 'vitest'
import { gepaTargetCalls } from '../../src/optimize/gepa/estimate.js'
import type { GepaDetails } from '../../src/optimize/gepa/types.js'
import type { RunReport } from '../../src/report/types.js'
import type { FakeRecord } from '../helpers/fake-openai-server.js'

export type GepaReportDetails = GepaDetails & { bestId: string }

export function gepaDetails(report: RunReport): GepaReportDetails {
  return report.optimization?.details as unknown as GepaReportDetails
}

/**
 * Checks an uncached GEPA run: target requests = the ledger's target calls + the test comparison
 * (start and best, once each), optimizer requests = reflections, and the ledger's target calls =
 * V + u + P·b + G·c + A·V from the tree's outcomes. Returns the ledger for further checks.
 */
export function expectGepaCallsMatchFormula(
  report: RunReport,
  requests: readonly FakeRecord[],
  models: { target: string; optimizer: string }
): GepaDetails['ledger'] {
  const d = gepaDetails(report)
  const l = d.ledger
  const proposals = d.nodes.filter((n) => n.parentId !== null)
  const outcomes = (...names: string[]): number =>
    proposals.filter((n) => names.includes(n.outcome)).length
  const V = d.devRows.length
  expect(l.targetCalls).toBe(
    gepaTargetCalls(
      {
        V,
        b: d.minibatch,
        c: d.confirm,
        proposed: outcomes('gate', 'confirm', 'admitted'),
        gated: outcomes('confirm', 'admitted'),
        admitted: outcomes('admitted')
      },
      l
    )
  )
  expect(l.targetCalls).toBe(
    l.seedDev + l.parentMinibatch + l.childMinibatch + l.confirmParent + l.confirmChild + l.devCalls
  )
  expect(l.seedDev).toBe(V)
  expect(l.devCalls).toBe(l.devPasses * V)
  expect(l.devPasses).toBe(outcomes('admitted'))
  expect(l.devPasses).toBeLessThanOrEqual(d.devPassCap)
  // One reflection per proposal: every node but the seed asked the optimizer once.
  expect(l.optimizerCalls).toBe(proposals.length)

  const test = report.tasks[0]?.n ?? 0
  expect(test).toBeGreaterThan(0)
  expect(requests.filter((r) => r.model === models.target)).toHaveLength(l.targetCalls + 2 * test)
  expect(requests.filter((r) => r.model === models.optimizer)).toHaveLength(l.optimizerCalls)
  expect(requests).toHaveLength(l.targetCalls + 2 * test + l.optimizerCalls)
  expect(requests.every((r) => r.status === 200)).toBe(true)
  expect(report.ledger.byRole.target.calls).toBe(l.targetCalls + 2 * test)
  expect(report.ledger.byRole.optimizer.calls).toBe(l.optimizerCalls)
  return l
}
