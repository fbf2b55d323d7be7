import type { StringOp } from '../../config/github-prompt-file.js'
import type { Metric } from '../types.js'
import { fillGhTemplate } from './gh-template.js'
import { meanOfScores } from './shared.js'

/** Whether the reply passes a string evaluator's test against the (filled) value. */
export function stringEvaluatorPasses(op: StringOp, reply: string, value: string): boolean {
  switch (op) {
    case 'equals':
      return reply === value
    case 'contains':
      return reply.toLowerCase().includes(value.toLowerCase())
    case 'startsWith':
      return reply.toLowerCase().startsWith(value.toLowerCase())
    case 'endsWith':
      return reply.toLowerCase().endsWith(value.toLowerCase())
  }
}

/**
 * A `string:` evaluator of a GitHub Models prompt file, scored as `gh models eval` scores it:
 * `equals` is an exact, case-sensitive comparison with the whole reply; `contains`, `startsWith`
 * and `endsWith` lower-case both sides first. The value is a template over the row (gh-template).
 * Scores 1 or 0; the answer shown is the reply itself.
 */
export function createGhStringMetric(op: StringOp, template: string): Metric {
  return {
    name: `string ${op}`,
    async score(reply, _expected, context) {
      const value = fillGhTemplate(template, context.fields ?? {})
      const passed = stringEvaluatorPasses(op, reply, value)
      return { score: passed ? 1 : 0, answer: reply, unreadable: false, passed }
    },
    aggregate: meanOfScores
  }
}
