/**
 * GEPA's reflection request for one component of a multi-task candidate. It shows the component
 * under study with its role in the whole program (the tasks sharing the system prompt; for a user
 * prompt, the system prompt it follows), every minibatch row with its task, reply and feedback, and
 * asks for the whole new text inside <new_prompt></new_prompt> (read by ./reflect.ts's guard).
 */
import type { ChatMessage } from '../../llm/chat-model.js'
import { clip, slotsInstruction } from '../meta-prompts.js'
import { META_TAGS as T } from '../meta-tags.js'
import { wrapTag } from '../tags.js'
import type { ReflectionRecord } from './reflect.js'

export interface ComponentRecord extends ReflectionRecord {
  task: string
}

function examplesBlock(records: readonly ComponentRecord[]): string {
  return records
    .map((r) =>
      wrapTag(
        T.example,
        [
          `Task: ${r.task}`,
          wrapTag(T.input, clip(r.input)),
          wrapTag(T.output, clip(r.output)),
          wrapTag(T.feedback, r.feedback)
        ].join('\n')
      )
    )
    .join('\n\n')
}

/** The reflection on the shared system prompt, over rows of every task that uses it. */
export function systemReflectionMessages(input: {
  system: string
  tasks: readonly string[]
  records: readonly ComponentRecord[]
  maxChars: number
}): ChatMessage[] {
  const content = [
    `A language model serves ${input.tasks.length} tasks (${input.tasks.join(', ')}). Every request of every task starts with this system prompt; each task then sends its own prompt template:`,
    wrapTag(T.systemPrompt, input.system),
    '',
    'Below are inputs of these tasks, the replies, and feedback on each reply (what was wrong, or "correct").',
    examplesBlock(input.records),
    '',
    'Write a new version of the system prompt that fixes the failures while keeping what made the correct replies correct.',
    'It serves every task: state general rules for the kinds of cases that trip the model, not one task’s labels, and never copy the text or the answer of a specific example.',
    'Keep every instruction that still holds.',
    `Keep the system prompt under ${input.maxChars} characters.`,
    `Answer with the whole new system prompt inside <${T.newPrompt}></${T.newPrompt}>.`
  ].join('\n')
  return [{ role: 'user', content }]
}

/** The reflection on one task's user prompt, shown after the system prompt it follows. */
export function userReflectionMessages(input: {
  system: string
  task: string
  prompt: string
  records: readonly ComponentRecord[]
  slots: readonly string[]
  maxChars: number
}): ChatMessage[] {
  const content = [
    `A language model serves several tasks that share this system prompt (context only, not to be edited here):`,
    wrapTag(T.systemPrompt, input.system),
    '',
    `Task ${input.task} then sends this prompt template; each placeholder in double curly braces is filled from a data row before the model sees it:`,
    wrapTag(T.prompt, input.prompt),
    '',
    'Below are inputs it received, its replies, and feedback on each reply (what was wrong, or "correct").',
    examplesBlock(input.records),
    '',
    'Write a new version of the prompt template that fixes the failures while keeping what made the correct replies correct.',
    'Infer from the inputs what kinds of cases trip the model and state a general rule for each; never copy the text or the answer of a specific example into the prompt.',
    'Keep the task, the answer format and every instruction that still holds.',
    slotsInstruction(input.slots),
    `Keep the prompt under ${input.maxChars} characters.`,
    `Answer with the whole new prompt template inside <${T.newPrompt}></${T.newPrompt}>.`
  ].join('\n')
  return [{ role: 'user', content }]
}
