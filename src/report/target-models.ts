/** Which target models a run's tasks ran on, as every view names them. */
import type { RunReport } from './types.js'

/** The distinct target models of the tasks, in task order; the run's target when none is named. */
export function targetModels(report: RunReport): string[] {
  const models = report.tasks.map((t) => t.model ?? report.models.target)
  return models.length === 0 ? [report.models.target] : [...new Set(models)]
}
