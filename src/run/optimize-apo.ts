/**
 * APO on one task's user or system prompt: beam search on train/dev within the budget; the shared
 * task-scoped plumbing (./task-optimization.ts) does the rest.
 */
import { runApo } from '../optimize/apo/apo.js'
import { apoOptimizationReport } from '../optimize/apo/report.js'
import type { ApoResult } from '../optimize/apo/types.js'
import type { RoundRecord } from '../optimize/types.js'
import { plural } from '../report/format.js'
import type { RunServices } from './services.js'
import { runTaskOptimization } from './task-optimization.js'
import type { TaskRunOptions, TaskRunOutcome } from './task-optimization.js'

export interface ApoRunOptions extends TaskRunOptions {
  onRound?: (round: RoundRecord) => void
}

export type ApoRunOutcome = TaskRunOutcome<ApoResult>

export function runApoOptimization(
  services: RunServices,
  options: ApoRunOptions
): Promise<ApoRunOutcome> {
  const config = services.project.config.optimize.apo
  return runTaskOptimization(services, options, {
    id: 'apo',
    name: 'APO',
    settings: () => `${config.rounds} rounds, beam ${config.beam}, bandit ${config.bandit}`,
    search: (input, testCalls) => {
      let lastRoundCalls = 0
      return runApo({
        ...input,
        config,
        // Start a round only when the budget can pay for one more like the last and, after it,
        // for scoring the start and the best prompt on test.
        isNearBudgetEnd: () => services.nearBudgetEnd(lastRoundCalls + testCalls),
        onRound: (round) => {
          lastRoundCalls = round.targetCalls + round.optimizerCalls
          services.logger.info(
            `round ${round.round}: ${plural(round.candidates, 'candidate')}, best dev ${(round.bestDev * 100).toFixed(1)}%, target calls ${round.targetCalls}, optimizer calls ${round.optimizerCalls}`
          )
          options.onRound?.(round)
        }
      })
    },
    optimization: apoOptimizationReport
  })
}
