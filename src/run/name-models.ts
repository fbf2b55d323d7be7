/** Names, in a task's result, the model that answered it and the model that judged each check. */
import { metricJudgeModel, taskTargetModel } from '../config/task-models.js'
import type { Config, TaskConfig } from '../config/types.js'
import type { TaskEvalResult } from '../eval/types.js'

export function nameModels(
  result: TaskEvalResult,
  task: TaskConfig,
  models: Config['models']
): void {
  result.model = taskTargetModel(task, models).model
  if (task.checks === undefined) {
    const judge = metricJudgeModel(task.metric, models)
    if (judge !== undefined) result.judgeModel = judge.model
    return
  }
  task.checks.checks.forEach((check, i) => {
    const summary = result.checks?.[i]
    const judge = metricJudgeModel(check.metric, models)
    if (summary?.name === check.name && judge !== undefined) summary.judgeModel = judge.model
  })
}
