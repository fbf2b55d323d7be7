/**
 * Turning scored examples into what an optimizer model is shown: the rendered user message, the
 * expected answer and the reply. Shared by APO (critiques, rewrites) and MetaSPO (analyses).
 */
import { partMessage } from '../config/prompt.js'
import { renderTemplate } from '../config/template.js'
import type { Example, LoadedTask } from '../config/project-types.js'
import type { ExampleResult } from '../eval/types.js'
import type { FailingExample } from './meta-prompts.js'

/** An example the prompt got wrong, with its result. */
export interface ScoredError {
  example: Example
  result: ExampleResult
}

/** Expected values as text: strings as they are, anything else as JSON. */
export function expectedText(value: unknown): string {
  if (typeof value === 'string') return value
  if (value === undefined) return ''
  return JSON.stringify(value)
}

/**
 * The examples a prompt got wrong: a reply came back (a failed call says nothing about the prompt)
 * and scored below 1. Results are in the examples' order.
 */
export function collectErrors(
  examples: readonly Example[],
  results: readonly ExampleResult[]
): ScoredError[] {
  const out: ScoredError[] = []
  examples.forEach((example, i) => {
    const result = results[i]
    if (result === undefined || result.error !== undefined || result.output === null) return
    if (result.score < 1) out.push({ example, result })
  })
  return out
}

/** One error as the meta-prompts show it; `userTemplate` is the template the model was sent. */
export function toFailingExample(
  error: ScoredError,
  userTemplate: string,
  task: LoadedTask
): FailingExample {
  const { example, result } = error
  const source = partMessage(task.prompt, 'user')?.source
  return {
    input: renderTemplate(userTemplate, example.fields, {
      file: source?.file ?? task.config.prompt,
      ...(source?.index === undefined ? {} : { message: source.index }),
      rowId: example.id,
      line: example.line,
      dataFile: task.config.data
    }),
    expected: expectedText(example.expected),
    output: result.output ?? ''
  }
}
