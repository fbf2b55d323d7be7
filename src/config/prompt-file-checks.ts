/** The evaluators of a GitHub Models prompt file as a task's checks. */
import type { Evaluator, GithubPromptFile } from './github-prompt-file.js'
import type { CheckConfig, ChecksConfig, MetricConfig, ResponseFormatConfig } from './types.js'

/** A prompt file's `responseFormat` (with its `jsonSchema`) as `tasks[].response_format`. */
export function promptFileResponseFormat(
  file: Pick<GithubPromptFile, 'responseFormat' | 'jsonSchema'>
): ResponseFormatConfig | undefined {
  switch (file.responseFormat) {
    case undefined:
      return undefined
    case 'text':
      return { type: 'text' }
    case 'json_object':
      return { type: 'json_object' }
    case 'json_schema':
      return file.jsonSchema === undefined
        ? undefined
        : {
            type: 'json_schema',
            name: file.jsonSchema.name,
            strict: file.jsonSchema.strict ?? false,
            schema: { file: undefined, value: file.jsonSchema.schema }
          }
  }
}

function evaluatorMetric(evaluator: Evaluator): MetricConfig {
  switch (evaluator.kind) {
    case 'string':
      return { type: 'gh-string', op: evaluator.op, value: evaluator.value }
    case 'llm':
      return {
        type: 'gh-llm',
        modelId: evaluator.modelId,
        prompt: evaluator.prompt,
        systemPrompt: evaluator.systemPrompt,
        choices: evaluator.choices
      }
    case 'builtin':
      return { type: 'gh-builtin', builtin: evaluator.builtin }
  }
}

/**
 * One check per evaluator, combined as `gh models eval` combines them: a test case passes when
 * every evaluator passes (`pass: all`), so the task's score is gh's pass rate, and each check's own
 * score (e.g. an llm evaluator's mean choice score) is reported beside it. Undefined without
 * evaluators.
 */
export function evaluatorChecks(evaluators: readonly Evaluator[]): ChecksConfig | undefined {
  if (evaluators.length === 0) return undefined
  const checks = evaluators.map((evaluator): CheckConfig => ({
    name: evaluator.name,
    weight: 1,
    not: false,
    value: undefined,
    metric: evaluatorMetric(evaluator)
  }))
  return { checks, pass: 'all' }
}

/** The judge model the evaluators name (the first `llm` modelId; builtins use openai/gpt-4o). */
export function evaluatorJudgeModel(evaluators: readonly Evaluator[]): string | undefined {
  for (const e of evaluators) if (e.kind === 'llm' && e.modelId !== undefined) return e.modelId
  return evaluators.some((e) => e.kind === 'builtin') ? 'openai/gpt-4o' : undefined
}
