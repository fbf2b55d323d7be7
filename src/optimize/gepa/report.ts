/**
 * The optimization part of the run report for a GEPA run; the test comparison is the caller's.
 */
import type { LoadedTask } from '../../config/project-types.js'
import { taskPromptOutcome } from '../prompt-outcome.js'
import type { PromptParts } from '../../config/prompt.js'
import type { TaskComparison } from '../../eval/types.js'
import type { OptimizationReport } from '../types.js'
import type { GepaResult } from './types.js'

export function gepaOptimizationReport(input: {
  result: GepaResult
  task: LoadedTask
  start: PromptParts
  edit: 'user' | 'system'
  seed: number
  simulated: boolean
  testComparison: TaskComparison[]
}): OptimizationReport {
  const { result, task, start, edit } = input
  return {
    method: 'gepa',
    simulated: input.simulated,
    seed: input.seed,
    prompts: [taskPromptOutcome({ task, edit, start, best: result.best })],
    testComparison: input.testComparison,
    rounds: result.rounds,
    candidates: result.candidates,
    details: { ...result.details, bestId: result.bestId, stop: result.stop },
    bestDev: result.bestDev
  }
}
