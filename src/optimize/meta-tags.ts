/**
 * The tag names of the meta-prompt contract: our meta-prompts (./meta-prompts.ts) wrap every piece
 * they send in these tags and ask for the answer in one of them. They are defined here, with the
 * algorithm that relies on them; the simulated optimizer model (src/simulate/contract.ts) imports
 * them to recognise a request by the answer tag it asks for and to read the pieces it is sent.
 */

export const META_TAGS = {
  /** The prompt under study (a user prompt template, or the system prompt APO edits). */
  prompt: 'prompt',
  /** MetaSPO: the system prompt under study. */
  systemPrompt: 'system_prompt',
  /** The fixed messages around the prompt (few-shot turns of a chat prompt), shown as context. */
  conversation: 'conversation',
  /** One failing example, holding input/expected/output. */
  example: 'example',
  /** What the target model received (the rendered user message), or the row's field values. */
  input: 'input',
  expected: 'expected',
  /** The target model's whole reply. */
  output: 'output',
  /** Answer tag of a critique request; also wraps the critique sent to a rewrite. */
  critique: 'critique',
  /** Answer tag of an analysis request (MetaSPO); also wraps the analysis sent to a rewrite. */
  analysis: 'analysis',
  /** Answer tag of a prompt rewrite. */
  improvedPrompt: 'improved_prompt',
  /** Answer tag of a paraphrase. */
  paraphrase: 'paraphrase',
  /** Answer tag of a system prompt rewrite (MetaSPO). */
  improvedSystemPrompt: 'improved_system_prompt',
  /** GEPA: the feedback on one example (inside <example>, beside <input> and <output>). */
  feedback: 'feedback',
  /** Answer tag of a GEPA reflection: the new prompt. */
  newPrompt: 'new_prompt'
} as const

/** The contract's tag names under the name the simulator reads them by. */
export const CONTRACT_TAGS = META_TAGS

export type MetaTag = (typeof META_TAGS)[keyof typeof META_TAGS]
