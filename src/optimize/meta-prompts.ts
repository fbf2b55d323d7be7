/**
 * Our meta-prompts: the messages sent to the optimizer model, kept as data (WORDING) and filled by
 * small builders. Wording is our own. The contract with the optimizer model (and with the simulated
 * one in src/simulate, which reads these messages as an LLM would):
 *
 * - the prompt under study is wrapped in <prompt>…</prompt> (MetaSPO's system prompt: <system_prompt>);
 * - each failing example is <example><input>…</input><expected>…</expected><output>…</output></example>;
 * - the request kind is recognisable by the answer tag it asks for, named literally in the message
 *   ("Wrap each critique in <critique></critique>"); critiques are asked for as "Give N critiques";
 * - rewrites and paraphrases must keep every {{slot}} exactly; the slots are listed by name.
 *
 * User-analysis/rewrite messages never contain <system_prompt>, and system ones never contain <prompt>,
 * so the two kinds cannot be confused by whoever reads them.
 */
import type { ChatMessage } from '../llm/chat-model.js'
import { META_TAGS as T } from './meta-tags.js'
import { wrapTag } from './tags.js'

/** One example the current prompt got wrong, as the optimizer model is shown it. */
export interface FailingExample {
  /** What the target model received: the rendered user template. */
  input: string
  /** The expected answer, as text. */
  expected: string
  /** The target model's reply. */
  output: string
}

/** Which prompt an APO meta-prompt is about (only the wording changes, not the tags). */
export type PromptKind = 'user' | 'system'

/** Longest input/expected/output text shown per example; longer text is cut with a marker. */
export const MAX_EXAMPLE_FIELD_CHARS = 2000

/**
 * The wording, as data. `@{name}` markers are filled by `fill`; the inserted values are never
 * re-scanned, so prompt text containing `@{…}`, `$&` or braces is inserted verbatim.
 */
const WORDING = {
  subject: {
    user: 'a prompt template that instructs a language model to do a task; each placeholder in double curly braces is filled from a data row before the model sees it',
    system: 'the system prompt that a language model receives before every request of a task'
  },
  conversationIntro:
    'The prompt is one message of a conversation that the model receives. The other messages are fixed: they are sent as they are and are not to be rewritten. The prompt stands where the conversation says [the prompt].',
  examplesIntro:
    'With this prompt the model got the following examples wrong. Each example shows the input the model received, the answer that was expected, and what the model actually replied.',
  critique: [
    'You are reviewing @{subject}.',
    '',
    'The prompt:',
    '@{prompt}',
    '',
    '@{examplesIntro}',
    '',
    '@{examples}',
    '',
    'Give @{count} @{critiques} of the prompt. Each critique names one specific reason why this prompt led the model to these wrong answers: something the prompt leaves unclear, gets wrong, or never says. Ground each critique in what you can see in the examples. Do not rewrite the prompt yet.',
    'Wrap each critique in <critique></critique>.'
  ],
  rewrite: [
    'You are improving @{subject}.',
    '',
    'The current prompt:',
    '@{prompt}',
    '',
    '@{examplesIntro}',
    '',
    '@{examples}',
    '',
    'A reviewer found this problem with the prompt:',
    '@{critique}',
    '',
    'Write an improved version of the prompt that fixes this problem. Keep what already works, keep the task and the required answer format, and change only what the critique calls for. @{slots}',
    'Write only the new prompt, wrapped in <improved_prompt></improved_prompt>.'
  ],
  paraphrase: [
    'Here is @{subject}:',
    '@{prompt}',
    '',
    'Write a new version of this prompt in different words that keeps its meaning and every instruction in it. @{slots}',
    'Write only the new version, wrapped in <paraphrase></paraphrase>.'
  ],
  userAnalysis: [
    'You are a prompt engineer reviewing the user prompt of one task. The user prompt is a template; each placeholder in double curly braces is filled from a data row before the model sees it.',
    '',
    'The user prompt:',
    '@{prompt}',
    '',
    '@{examplesIntro}',
    '',
    '@{examples}',
    '',
    'Analyse why the user prompt leads to these wrong answers and what it should say instead. Consider only the user prompt.',
    'Wrap your analysis in <analysis></analysis>.'
  ],
  userRewrite: [
    'You are a prompt engineer improving the user prompt of one task. The user prompt is a template; each placeholder in double curly braces is filled from a data row before the model sees it.',
    '',
    'The current user prompt:',
    '@{prompt}',
    '',
    '@{examplesIntro}',
    '',
    '@{examples}',
    '',
    'An analysis of its shortcomings:',
    '@{analysis}',
    '',
    'Write an improved user prompt that fixes the shortcomings the analysis found, keeping the task and the required answer format. @{slots}',
    'Write only the new user prompt, wrapped in <improved_prompt></improved_prompt>.'
  ],
  systemAnalysis: [
    'You are a prompt engineer reviewing a system prompt that a language model receives on many different tasks.',
    '',
    'The system prompt:',
    '@{systemPrompt}',
    '',
    'With this system prompt the model got the following examples wrong, across several tasks. Each example shows the input the model received, the answer that was expected, and what the model actually replied.',
    '',
    '@{examples}',
    '',
    'Analyse why the system prompt leads to these wrong answers and what general guidance would help on all of these tasks. Consider only the system prompt, not the task-specific instructions.',
    'Wrap your analysis in <analysis></analysis>.'
  ],
  systemRewrite: [
    'You are a prompt engineer improving a system prompt that a language model receives on many different tasks.',
    '',
    'The current system prompt:',
    '@{systemPrompt}',
    '',
    '@{examplesBlock}An analysis of its shortcomings:',
    '@{analysis}',
    '',
    'Write an improved system prompt that addresses the analysis and stays general enough to help on every task. Do not include placeholders in double curly braces.',
    'Write only the new system prompt, wrapped in <improved_system_prompt></improved_system_prompt>.'
  ]
} as const

/** Fills `@{name}` markers in one pass; values are inserted verbatim. */
export function fill(lines: readonly string[], values: Record<string, string>): string {
  return lines.join('\n').replace(/@\{(\w+)\}/g, (marker, name: string) => values[name] ?? marker)
}

export function clip(text: string): string {
  if (text.length <= MAX_EXAMPLE_FIELD_CHARS) return text
  const cut = text.length - MAX_EXAMPLE_FIELD_CHARS
  return `${text.slice(0, MAX_EXAMPLE_FIELD_CHARS)}\n[… ${cut} more characters cut]`
}

/** The <example> blocks of a meta-prompt, in the order given. */
function formatExamples(examples: readonly FailingExample[]): string {
  return examples
    .map((ex) =>
      [
        `<${T.example}>`,
        wrapTag(T.input, clip(ex.input)),
        wrapTag(T.expected, clip(ex.expected)),
        wrapTag(T.output, clip(ex.output)),
        `</${T.example}>`
      ].join('\n')
    )
    .join('\n\n')
}

/** The sentence that tells the model which {{slots}} to keep. */
export function slotsInstruction(slots: readonly string[]): string {
  if (slots.length === 0) {
    return 'The prompt has no placeholders in double curly braces; do not add any.'
  }
  const list = slots.map((s) => `{{${s}}}`).join(', ')
  return `Keep every placeholder exactly as written, each at least once: ${list}. Do not add any other placeholder in double curly braces.`
}

const user = (content: string): ChatMessage[] => [{ role: 'user', content }]

/**
 * The context of a prompt that is one message of a conversation (a chat prompt with few-shot
 * turns): the other messages, fixed, with the prompt's place marked. Empty for a plain prompt.
 */
export function conversationBlock(conversation: string | undefined): string {
  if (conversation === undefined) return ''
  return `\n\n${WORDING.conversationIntro}\n${wrapTag(T.conversation, conversation)}`
}

/** Critique ("textual gradient") request: asks for `count` <critique> items. */
export function critiqueMessages(input: {
  prompt: string
  /** The fixed messages around the prompt (see conversationBlock); undefined for a plain prompt. */
  conversation?: string | undefined
  kind: PromptKind
  examples: readonly FailingExample[]
  count: number
}): ChatMessage[] {
  return user(
    fill(WORDING.critique, {
      subject: WORDING.subject[input.kind],
      prompt: wrapTag(T.prompt, input.prompt) + conversationBlock(input.conversation),
      examplesIntro: WORDING.examplesIntro,
      examples: formatExamples(input.examples),
      count: String(input.count),
      critiques: input.count === 1 ? 'critique' : 'critiques'
    })
  )
}

/** Rewrite ("edit") request against one critique: asks for one <improved_prompt>. */
export function rewriteMessages(input: {
  prompt: string
  /** The fixed messages around the prompt (see conversationBlock); undefined for a plain prompt. */
  conversation?: string | undefined
  kind: PromptKind
  examples: readonly FailingExample[]
  critique: string
  slots: readonly string[]
}): ChatMessage[] {
  return user(
    fill(WORDING.rewrite, {
      subject: WORDING.subject[input.kind],
      prompt: wrapTag(T.prompt, input.prompt) + conversationBlock(input.conversation),
      examplesIntro: WORDING.examplesIntro,
      examples: formatExamples(input.examples),
      critique: wrapTag(T.critique, input.critique),
      slots: slotsInstruction(input.slots)
    })
  )
}

/** Paraphrase ("Monte Carlo" successor) request: asks for one <paraphrase>. */
export function paraphraseMessages(input: {
  prompt: string
  /** The fixed messages around the prompt (see conversationBlock); undefined for a plain prompt. */
  conversation?: string | undefined
  kind: PromptKind
  slots: readonly string[]
}): ChatMessage[] {
  return user(
    fill(WORDING.paraphrase, {
      subject: WORDING.subject[input.kind],
      prompt: wrapTag(T.prompt, input.prompt) + conversationBlock(input.conversation),
      slots: slotsInstruction(input.slots)
    })
  )
}

/** MetaSPO user-prompt analysis: asks for one <analysis>. */
export function userAnalysisMessages(input: {
  prompt: string
  /** The fixed messages around the prompt (see conversationBlock); undefined for a plain prompt. */
  conversation?: string | undefined
  examples: readonly FailingExample[]
}): ChatMessage[] {
  return user(
    fill(WORDING.userAnalysis, {
      prompt: wrapTag(T.prompt, input.prompt) + conversationBlock(input.conversation),
      examplesIntro: WORDING.examplesIntro,
      examples: formatExamples(input.examples)
    })
  )
}

/** MetaSPO user-prompt rewrite against an analysis: asks for one <improved_prompt>. */
export function userRewriteMessages(input: {
  prompt: string
  /** The fixed messages around the prompt (see conversationBlock); undefined for a plain prompt. */
  conversation?: string | undefined
  examples: readonly FailingExample[]
  analysis: string
  slots: readonly string[]
}): ChatMessage[] {
  return user(
    fill(WORDING.userRewrite, {
      prompt: wrapTag(T.prompt, input.prompt) + conversationBlock(input.conversation),
      examplesIntro: WORDING.examplesIntro,
      examples: formatExamples(input.examples),
      analysis: wrapTag(T.analysis, input.analysis),
      slots: slotsInstruction(input.slots)
    })
  )
}

/** MetaSPO system-prompt analysis over failures pooled from several tasks: asks for <analysis>. */
export function systemAnalysisMessages(input: {
  systemPrompt: string
  examples: readonly FailingExample[]
}): ChatMessage[] {
  return user(
    fill(WORDING.systemAnalysis, {
      systemPrompt: wrapTag(T.systemPrompt, input.systemPrompt),
      examples: formatExamples(input.examples)
    })
  )
}

/**
 * MetaSPO system-prompt rewrite: asks for one <improved_system_prompt>. The paper's rewrite sees only
 * the analysis (which pushes toward task-agnostic edits); pass `examples` to show them as well.
 */
export function systemRewriteMessages(input: {
  systemPrompt: string
  analysis: string
  examples?: readonly FailingExample[]
}): ChatMessage[] {
  const examples = input.examples ?? []
  const examplesBlock =
    examples.length === 0
      ? ''
      : `With it the model got these examples wrong:\n\n${formatExamples(examples)}\n\n`
  return user(
    fill(WORDING.systemRewrite, {
      systemPrompt: wrapTag(T.systemPrompt, input.systemPrompt),
      examplesBlock,
      analysis: wrapTag(T.analysis, input.analysis)
    })
  )
}
