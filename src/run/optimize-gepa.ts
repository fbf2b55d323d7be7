/**
 * GEPA on one task's user or system prompt: reflective evolution on train/dev within the budget;
 * the shared task-scoped plumbing (./task-optimization.ts) does the rest.
 */
import { runGepa } from '../optimize/gepa/gepa.js'
import { gepaOptimizationReport } from '../optimize/gepa/report.js'
import type { GepaResult } from '../optimize/gepa/types.js'
import type { RunServices } from './services.js'
import { runTaskOptimization } from './task-optimization.js'
import type { TaskRunOptions, TaskRunOutcome } from './task-optimization.js'

export type GepaRunOptions = TaskRunOptions

export type GepaRunOutcome = TaskRunOutcome<GepaResult>

export function runGepaOptimization(
  services: RunServices,
  options: GepaRunOptions
): Promise<GepaRunOutcome> {
  const config = services.project.config.optimize.gepa
  return runTaskOptimization(services, options, {
    id: 'gepa',
    name: 'GEPA',
    settings: () =>
      `preset ${config.preset}, minibatch ${config.minibatch}, confirm ${config.confirm}, selection ${config.selection}`,
    search: (input, testCalls) =>
      runGepa({
        ...input,
        config,
        // An iteration starts only when the budget covers its worst case and, after it, the test pass.
        canAfford: (target, optimizer) => !services.nearBudgetEnd(target + optimizer + testCalls),
        onIteration: (it) => {
          services.logger.info(
            `iteration ${it.iteration}: parent ${it.parentId} → ${it.childId ?? 'nothing'} (${it.outcome}); target calls ${it.ledger.targetCalls}, optimizer calls ${it.ledger.optimizerCalls}`
          )
        }
      }),
    optimization: gepaOptimizationReport
  })
}
