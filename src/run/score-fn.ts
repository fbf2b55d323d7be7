import type { LoadedTask } from '../config/project-types.js'
import { withParts } from '../config/prompt.js'
import { samplingOf } from '../config/samples.js'
import { scoreExamples } from '../eval/evaluate.js'
import { createTaskMetric } from '../eval/metrics/index.js'
import { modelFor } from '../llm/chat-model.js'
import { toResponseFormat } from '../llm/response-format.js'
import type { ScoreFn } from '../optimize/types.js'
import type { RunServices } from './services.js'

/**
 * The optimizers' view of the target model: score a prompt's parts on examples through the cached,
 * rate-limited, budgeted target. A budget stop or cancel is rethrown so the optimizer stops cleanly
 * and keeps its best prompt; a failed call scores the example wrong (it is marked failed).
 */
export function createScoreFn(services: RunServices, task: LoadedTask): ScoreFn {
  const metric = createTaskMetric(task.config)
  const sampling = samplingOf(task.config, services.project.config.models)
  const shared = services.project.config.systemPrompt
  const systemSource = { file: shared ?? '', index: undefined }
  return async (parts, examples, options) => {
    const scored = await scoreExamples({
      prompt: withParts(task.prompt, parts, systemSource),
      examples,
      dataFile: task.config.data,
      target: modelFor(services.models.target, task.config.target),
      judge: services.models.judge,
      metric,
      responseFormat: toResponseFormat(task.config.responseFormat),
      concurrency: services.concurrency,
      sampling,
      signal: options?.signal ?? services.signal
    })
    if (scored.stopped) throw scored.stopped
    if (scored.fatal) throw scored.fatal
    return scored.results
  }
}
