/**
 * The optimization part of the run report for a GEPA run; the test comparison is the caller's.
 */
import { taskPromptOutcome } from '../prompt-outcome.js'
import type { OptimizationReport, TaskOptimizationInput } from '../types.js'
import type { GepaResult } from './types.js'

export function gepaOptimizationReport(
  input: TaskOptimizationInput<GepaResult>
): OptimizationReport {
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
