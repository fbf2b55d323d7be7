/**
 * What an optimizer model is shown of a chat prompt beyond the part it rewrites: the other messages,
 * fixed, in order, with the part's place marked — so a critique of the last user message can see
 * the few-shot turns before it. A plain prompt (a system prompt and one user template) has none.
 */
import { isPlainPrompt, partIndex } from '../config/prompt.js'
import type { ChatPrompt, PromptPart } from '../config/prompt.js'

/** The marker standing for the rewritten part (named in the meta-prompts' wording). */
export const PROMPT_PLACE = '[the prompt]'

/** The conversation around `part`, or undefined when the prompt is plain. */
export function conversationContext(prompt: ChatPrompt, part: PromptPart): string | undefined {
  if (isPlainPrompt(prompt)) return undefined
  const at = partIndex(prompt, part)
  return prompt.messages
    .map((m, i) => `[${m.role}]\n${i === at ? PROMPT_PLACE : m.content}`)
    .join('\n\n')
}
