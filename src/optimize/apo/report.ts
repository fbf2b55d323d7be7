/**
 * The optimization part of the run report for an APO run. The test-split comparison is the caller's
 * (it scores baseline and best on test once, with the eval layer's paired compare) and is passed in.
 */
import type { ApoResult } from './types.js'
import { taskPromptOutcome } from '../prompt-outcome.js'
import type { OptimizationReport, TaskOptimizationInput } from '../types.js'

export function apoOptimizationReport(
  input: TaskOptimizationInput<ApoResult> & {
    /** The file the edited prompt is written to; default the task's prompt file of that kind. */
    file?: string
  }
): OptimizationReport {
  const { result, task, start, edit } = input
  return {
    method: 'apo',
    simulated: input.simulated,
    seed: input.seed,
    prompts: [
      taskPromptOutcome({
        task,
        edit,
        start,
        best: result.best,
        ...(input.file === undefined ? {} : { file: input.file })
      })
    ],
    testComparison: input.testComparison,
    rounds: result.rounds,
    candidates: result.candidates,
    details: { ...result.details, bestId: result.bestId, stop: result.stop },
    bestDev: result.bestDev
  }
}
