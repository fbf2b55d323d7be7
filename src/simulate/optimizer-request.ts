/**
 * Reading an optimizer request by the meta-prompt contract (see ./optimizer-model.ts): what kind of
 * request it is (by the answer tag it asks for), the prompt under study, the failing examples and
 * the critiques or analyses it carries.
 */
import type { ChatMessage } from '../llm/chat-model.js'
import {
  CONTRACT_TAGS as T,
  REQUEST_TAGS,
  askFor,
  requestedCount,
  taggedAll,
  taggedFirst,
  withoutTagged
} from './contract.js'
import type { RequestKind } from './contract.js'
import { findExample } from './message.js'

export interface FailingExampleView {
  input: string
  /** The example's own text, found in the input as the target would find it (else the input). */
  text: string
  expected: string
  output: string
  /** GEPA: the feedback on the reply ("correct", or what was wrong), when the request carries it. */
  feedback: string | undefined
}

export interface OptimizerRequest {
  kind: RequestKind | undefined
  /** All message contents, joined. */
  text: string
  prompt: string | undefined
  systemPrompt: string | undefined
  examples: FailingExampleView[]
  /** Bodies of <critique> blocks the request carries (a rewrite's critique). */
  critiques: string[]
  /** Bodies of <analysis> blocks the request carries. */
  analyses: string[]
  /** "Give N critiques": the count asked for, if stated. */
  count: number | undefined
}

/** The request kind: the first contract answer tag the request asks for as an empty pair. */
export function requestKind(text: string): RequestKind | undefined {
  // The pieces under study may quote anything; only the request's own words count.
  let own = text
  for (const tag of [T.prompt, T.systemPrompt, T.example, T.conversation])
    own = withoutTagged(own, tag)
  for (const [tag, kind] of REQUEST_TAGS) if (own.includes(askFor(tag))) return kind
  // Tolerate "<critique>...</critique>" or "in <critique> tags" as the ask.
  for (const [tag, kind] of REQUEST_TAGS) {
    const placeholder = new RegExp(
      `<${tag}>\\s*(?:\\.\\.\\.|…)\\s*</${tag}>|<${tag}>\\s*tags?\\b`,
      'i'
    )
    if (placeholder.test(own)) return kind
  }
  return undefined
}

export function parseOptimizerRequest(messages: readonly ChatMessage[]): OptimizerRequest {
  const text = messages.map((m) => m.content).join('\n\n')
  const kind = requestKind(text)
  const examples = taggedAll(text, T.example).map((block): FailingExampleView => {
    const input = taggedFirst(block, T.input) ?? ''
    return {
      input,
      text: findExample(input)?.text ?? input,
      expected: taggedFirst(block, T.expected) ?? '',
      output: taggedFirst(block, T.output) ?? '',
      feedback: taggedFirst(block, T.feedback)
    }
  })
  // Critiques and analyses sent along are outside the prompt and example blocks.
  let outside = text
  for (const tag of [T.prompt, T.systemPrompt, T.example, T.conversation])
    outside = withoutTagged(outside, tag)
  const noun = kind === 'paraphrase' ? 'paraphrase' : 'critique'
  return {
    kind,
    text,
    prompt: taggedFirst(text, T.prompt),
    systemPrompt: taggedFirst(text, T.systemPrompt),
    examples,
    critiques: taggedAll(outside, T.critique).filter((c) => c !== ''),
    analyses: taggedAll(outside, T.analysis).filter((c) => c !== ''),
    count: requestedCount(text, noun)
  }
}
