/**
 * The simulated optimizer's answer to a GEPA reflection: it reads only what the request shows (the
 * prompt, each row's input, reply and feedback), keeps the rows whose feedback says they were
 * wrong, draws a critique of them as the critique request would (useful, useless or harmful at the
 * same rates) and edits the prompt as a rewrite does. At a seeded rate it makes one of the mistakes
 * the guards exist for: it copies a failing example's text into the prompt, bloats the prompt far
 * past any sensible length, or leaves the answer tag open. A reflection on a shared system prompt
 * (a `<system_prompt>` and no `<prompt>`, rows of several tasks) favours the traits every task
 * shares; one on a task's `<prompt>` shown after a `<system_prompt>` edits the prompt and leaves
 * alone what the system prompt already handles.
 */
import type { Random } from '../util/random.js'
import { CONTRACT_TAGS as T } from './contract.js'
import { critiqueItems } from './optimizer-critique.js'
import type { CritiqueRates } from './optimizer-critique.js'
import { applyCritique, insertInstructions } from './optimizer-edit.js'
import type { OptimizerRequest } from './optimizer-request.js'

type Mistake = 'copy' | 'bloat' | 'unclosed'

function isWrong(feedback: string | undefined): boolean {
  return feedback !== undefined && !/^\s*correct\b/i.test(feedback)
}

function withMistake(prompt: string, mistake: Mistake, request: OptimizerRequest): string {
  switch (mistake) {
    case 'copy': {
      // A quote long enough to be recognised as copied (six words or more), else bloat instead.
      const example = request.examples
        .filter((e) => isWrong(e.feedback))
        .map((e) => e.text.replace(/\s+/g, ' ').trim())
        .find((text) => text.split(' ').length >= 8)
      return example === undefined
        ? withMistake(prompt, 'bloat', request)
        : insertInstructions(prompt, [`For example: ${example.slice(0, 200)}`])
    }
    case 'bloat': {
      // Far past any sensible cap: the prompt repeated up to 20,000 characters or more.
      const copies = Math.ceil(20_000 / Math.max(1, prompt.length))
      return Array.from({ length: copies + 1 }, () => prompt).join('\n\n')
    }
    case 'unclosed':
      return prompt
  }
}

/** The reply, or undefined when the request has no prompt to edit. */
export function reflectReply(
  request: OptimizerRequest,
  rng: Random,
  rates: CritiqueRates,
  mistakeRate: number
): string | undefined {
  const source = request.prompt ?? request.systemPrompt
  if (source === undefined) return undefined
  const failing = request.examples.filter((e) => isWrong(e.feedback))
  // A shared system prompt under study (no task prompt to edit) serves every task: favour the
  // traits all tasks share, as a system analysis does.
  const shared = request.prompt === undefined && request.systemPrompt !== undefined
  const notes =
    failing.length === 0
      ? ''
      : critiqueItems({ ...request, examples: failing }, 1, rng, rates, shared).join('\n')
  let edited = applyCritique(source, notes, rng)
  let mistake: Mistake | undefined
  if (rng.next() < mistakeRate) {
    const kinds: Mistake[] = ['copy', 'bloat', 'unclosed']
    mistake = kinds[rng.int(kinds.length)]
  }
  if (mistake !== undefined) edited = withMistake(edited, mistake, request)
  const open = `<${T.newPrompt}>\n${edited}\n`
  return mistake === 'unclosed' ? open : `${open}</${T.newPrompt}>`
}
