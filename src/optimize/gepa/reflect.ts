/**
 * GEPA's reflection request and the guards its answer passes. One user message shows the prompt
 * under study, every minibatch row (input, reply, feedback; successes included) and asks for the
 * whole new prompt inside <new_prompt></new_prompt>. No closing tag → no candidate.
 *
 * Beyond APO's guard (slots, answer format, duplicates): a length cap, and a check that the new
 * prompt does not copy train rows — a run of COPY_WORDS words of a train input that the parent did
 * not already contain, or a long expected answer — which would score on train and mean nothing.
 */
import type { Example } from '../../config/project-types.js'
import type { ChatMessage } from '../../llm/chat-model.js'
import { checkCandidate, type GuardOutcome, type SlotRules } from '../candidate-guard.js'
import { expectedText } from '../failing-examples.js'
import { clip, conversationBlock, slotsInstruction } from '../meta-prompts.js'
import { META_TAGS as T } from '../meta-tags.js'
import { parseLastTagged, wrapTag } from '../tags.js'

/** One minibatch row as the reflection is shown it. */
export interface ReflectionRecord {
  input: string
  output: string
  feedback: string
}

/** Words in a row that count as copying the train data. */
export const COPY_WORDS = 6
/** Expected answers at least this long may not appear in a candidate. */
const COPY_ANSWER_CHARS = 24

const SUBJECT = {
  user: 'a prompt template that instructs a language model to do a task; each placeholder in double curly braces is filled from a data row before the model sees it',
  system: 'the system prompt that a language model receives before every request of a task'
} as const

export function reflectionMessages(input: {
  prompt: string
  kind: 'user' | 'system'
  conversation: string | undefined
  records: readonly ReflectionRecord[]
  slots: readonly string[]
  maxChars: number
}): ChatMessage[] {
  const examples = input.records
    .map((r) =>
      wrapTag(
        T.example,
        [
          wrapTag(T.input, clip(r.input)),
          wrapTag(T.output, clip(r.output)),
          wrapTag(T.feedback, r.feedback)
        ].join('\n')
      )
    )
    .join('\n\n')
  const content = [
    `A language model was given ${SUBJECT[input.kind]}:`,
    wrapTag(T.prompt, input.prompt) + conversationBlock(input.conversation),
    '',
    'Below are inputs it received, its replies, and feedback on each reply (what was wrong, or "correct").',
    examples,
    '',
    'Write a new version of the prompt that fixes the failures while keeping what made the correct replies correct.',
    'Infer from the inputs what kinds of cases trip the model and state a general rule for each; never copy the text or the answer of a specific example into the prompt.',
    'Keep the task, the answer format and every instruction that still holds.',
    slotsInstruction(input.slots),
    `Keep the prompt under ${input.maxChars} characters.`,
    `Answer with the whole new prompt inside ${`<${T.newPrompt}></${T.newPrompt}>`}.`
  ].join('\n')
  return [{ role: 'user', content }]
}

function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? []
}

/** Every run of COPY_WORDS words of the text, joined by spaces. */
function shingles(text: string): Set<string> {
  const w = words(text)
  const out = new Set<string>()
  for (let i = 0; i + COPY_WORDS <= w.length; i++) out.add(w.slice(i, i + COPY_WORDS).join(' '))
  return out
}

/** The train rows' texts as shingles and long expected answers, built once per run. */
export interface CopyIndex {
  shingles: Set<string>
  answers: string[]
}

export function copyIndex(train: readonly Example[]): CopyIndex {
  const index: CopyIndex = { shingles: new Set(), answers: [] }
  for (const example of train) {
    for (const value of Object.values(example.fields)) {
      if (typeof value !== 'string') continue
      for (const s of shingles(value)) index.shingles.add(s)
    }
    const answer = expectedText(example.expected).trim().toLowerCase()
    if (answer.length >= COPY_ANSWER_CHARS) index.answers.push(answer)
  }
  return index
}

/** What a copy check finds: the copied words, or undefined. */
export function copiedTrainText(
  candidate: string,
  parent: string,
  index: CopyIndex
): string | undefined {
  const known = shingles(parent)
  for (const s of shingles(candidate)) if (index.shingles.has(s) && !known.has(s)) return s
  const lower = candidate.toLowerCase()
  const parentLower = parent.toLowerCase()
  return index.answers.find((a) => lower.includes(a) && !parentLower.includes(a))
}

export type ReflectionOutcome =
  GuardOutcome | { ok: false; reason: 'tooLong' | 'copiesTrain'; detail: string }

/** Parses and guards a reflection reply. */
export function readReflection(
  reply: string,
  parent: string,
  rules: SlotRules,
  maxChars: number,
  index: CopyIndex
): ReflectionOutcome {
  const outcome = checkCandidate(parseLastTagged(reply, T.newPrompt), rules)
  if (!outcome.ok) return outcome
  if (outcome.prompt.length > maxChars) {
    return {
      ok: false,
      reason: 'tooLong',
      detail: `${outcome.prompt.length} characters, over the cap of ${maxChars}`
    }
  }
  const copied = copiedTrainText(outcome.prompt, parent, index)
  if (copied !== undefined) {
    return { ok: false, reason: 'copiesTrain', detail: `copies train text "${copied}"` }
  }
  return outcome
}
