import type { LlmChoice } from '../../config/github-prompt-file.js'
import { InputError } from '../../errors.js'
import type { ChatMessage } from '../../llm/chat-model.js'
import type { ExampleScore, Metric, MetricContext } from '../types.js'
import { fillGhTemplate } from './gh-template.js'
import { meanOfScores } from './shared.js'

const MAX_RATIONALE = 300

/**
 * The choice a judge's reply makes, as `gh models eval` reads it: the reply is lower-cased and the
 * choices are tried in their listed order; the first whose text occurs in it wins. Undefined when
 * none occurs.
 */
export function pickChoice(
  judgeReply: string,
  choices: readonly LlmChoice[]
): LlmChoice | undefined {
  const lower = judgeReply.toLowerCase()
  return choices.find((c) => lower.includes(c.choice))
}

/** Asks the judge and scores its reply by the choices (shared by `llm:` and the built-ins). */
export async function judgeByChoices(
  messages: ChatMessage[],
  choices: readonly LlmChoice[],
  context: MetricContext,
  evaluator: string,
  modelId?: string
): Promise<ExampleScore> {
  if (context.judge === undefined)
    throw new InputError(
      `the evaluator ${evaluator} needs a judge model, but none was given (configure models.judge)`
    )
  // The evaluator's own modelId judges it (same provider, limiter, budget and cache).
  const judge =
    modelId === undefined
      ? context.judge
      : (context.judge.withModel?.({ model: modelId }) ?? context.judge)
  const response = await judge.complete(
    { messages, temperature: 0, sampleIndex: 0 },
    { signal: context.signal }
  )
  const picked = pickChoice(response.text, choices)
  const flat = response.text.trim().replace(/\s+/g, ' ')
  const shown = flat.length > MAX_RATIONALE ? `${flat.slice(0, MAX_RATIONALE - 3)}...` : flat
  if (picked === undefined)
    // gh scores this 0 (failed); it is also counted apart as unreadable, so it is not silent.
    return {
      score: 0,
      answer: null,
      unreadable: true,
      passed: false,
      rationale: `no choice (${choices.map((c) => c.choice).join(', ')}) in the judge's reply: ${shown}`
    }
  return {
    score: picked.score,
    answer: picked.choice,
    unreadable: false,
    passed: picked.score > 0,
    rationale: shown
  }
}

/**
 * An `llm:` evaluator of a GitHub Models prompt file: the judge gets the evaluator's system prompt
 * (if any) and its prompt, filled from the row plus `{{completion}}` (the reply); the first listed
 * choice found in its lower-cased reply gives the score; it passes when the score is above 0.
 * With a `modelId`, that model judges (through the judge's `withModel`), else models.judge.
 */
export function createGhLlmMetric(spec: {
  name: string
  /** The evaluator's own judge model; models.judge without it. */
  modelId: string | undefined
  prompt: string
  systemPrompt: string | undefined
  choices: readonly LlmChoice[]
}): Metric {
  return {
    name: 'llm',
    async score(reply, _expected, context) {
      const vars = { ...(context.fields ?? {}), completion: reply }
      const messages: ChatMessage[] = []
      if (spec.systemPrompt !== undefined && spec.systemPrompt.trim() !== '')
        messages.push({ role: 'system', content: fillGhTemplate(spec.systemPrompt, vars) })
      messages.push({ role: 'user', content: fillGhTemplate(spec.prompt, vars) })
      return judgeByChoices(messages, spec.choices, context, spec.name, spec.modelId)
    },
    aggregate: meanOfScores
  }
}
