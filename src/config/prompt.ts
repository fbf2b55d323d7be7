/**
 * A task's prompt: an ordered list of chat messages, each a `{{field}}` template, as the config
 * loader builds it from the prompt files (the two-file form — a system file and a user template —
 * or a messages file). Every message remembers where it came from, so an optimized message can be
 * written back into its own file, and whether the optimizers may rewrite it.
 *
 * The optimizers never hold the whole list: they edit two parts of it (`PromptParts`), the system
 * message and the editable user message, and `withParts` puts them back. Frozen messages (few-shot
 * turns, by default) are therefore byte-for-byte what the file holds, by construction.
 */

export const MESSAGE_ROLES = ['system', 'user', 'assistant'] as const
export type MessageRole = (typeof MESSAGE_ROLES)[number]

/** Where a message's text lives in the repository. */
export interface MessageSource {
  /** Root-relative path, forward slashes. */
  file: string
  /** Position in the file's `messages:` list; undefined when the whole file is the message. */
  index: number | undefined
}

export interface PromptMessage {
  role: MessageRole
  /** Template text with `{{field}}` slots. */
  content: string
  /** The optimizers may rewrite this message (see `optimize.edit`). */
  editable: boolean
  source: MessageSource
}

export interface ChatPrompt {
  messages: readonly PromptMessage[]
}

/** The two texts an optimizer edits: the system message and the editable user message. */
export interface PromptParts {
  /** System message text; undefined → no system message is sent. */
  system: string | undefined
  /** The editable user message (a template with {{field}} slots). */
  user: string
}

/** Which part of a prompt an optimizer rewrites. */
export type PromptPart = 'system' | 'user'

/** Index of the system message an optimizer edits: the first one; -1 when there is none. */
export function systemIndex(prompt: ChatPrompt): number {
  return prompt.messages.findIndex((m) => m.role === 'system')
}

/**
 * Index of the user message an optimizer edits: the last editable user message, else the last user
 * message (then frozen: `editablePart` says so); -1 when there is none.
 */
export function userIndex(prompt: ChatPrompt): number {
  const { messages } = prompt
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i] as PromptMessage
    if (m.role === 'user' && m.editable) return i
  }
  for (let i = messages.length - 1; i >= 0; i--) {
    if ((messages[i] as PromptMessage).role === 'user') return i
  }
  return -1
}

/** The index of a part's message, or -1. */
export function partIndex(prompt: ChatPrompt, part: PromptPart): number {
  switch (part) {
    case 'system':
      return systemIndex(prompt)
    case 'user':
      return userIndex(prompt)
  }
}

/** The message holding a part, if any. */
export function partMessage(prompt: ChatPrompt, part: PromptPart): PromptMessage | undefined {
  return prompt.messages[partIndex(prompt, part)]
}

/** The two editable texts of a prompt. */
export function partsOf(prompt: ChatPrompt): PromptParts {
  return {
    system: partMessage(prompt, 'system')?.content,
    user: partMessage(prompt, 'user')?.content ?? ''
  }
}

/**
 * The prompt with its parts replaced. A system text where the prompt has none is inserted first
 * (its source is `systemSource`, e.g. the shared system file); an empty or undefined system text
 * removes the system message. Every other message is kept as it is.
 */
export function withParts(
  prompt: ChatPrompt,
  parts: PromptParts,
  systemSource: MessageSource = { file: '', index: undefined }
): ChatPrompt {
  const messages = [...prompt.messages]
  const u = userIndex(prompt)
  const user = messages[u]
  if (user !== undefined && user.content !== parts.user)
    messages[u] = { ...user, content: parts.user }
  const s = systemIndex(prompt)
  const system = messages[s]
  const wanted = parts.system === undefined || parts.system.trim() === '' ? undefined : parts.system
  if (system === undefined) {
    if (wanted !== undefined)
      messages.unshift({ role: 'system', content: wanted, editable: true, source: systemSource })
  } else if (wanted === undefined) {
    messages.splice(s, 1)
  } else if (system.content !== wanted) {
    messages[s] = { ...system, content: wanted }
  }
  return { messages }
}

/** The two-file form: an optional system text and one user template. */
export function plainPrompt(
  system: { text: string; path: string } | undefined,
  user: { text: string; path: string }
): ChatPrompt {
  const messages: PromptMessage[] = []
  if (system !== undefined && system.text.trim() !== '')
    messages.push({
      role: 'system',
      content: system.text,
      editable: true,
      source: { file: system.path, index: undefined }
    })
  messages.push({
    role: 'user',
    content: user.text,
    editable: true,
    source: { file: user.path, index: undefined }
  })
  return { messages }
}

/**
 * True when the prompt is the two-file form's shape: at most a system message and one user message.
 * Reports show such a prompt as its user text, as they always have.
 */
export function isPlainPrompt(prompt: ChatPrompt): boolean {
  const nonSystem = prompt.messages.filter((m) => m.role !== 'system')
  return nonSystem.length === 1 && nonSystem[0]?.role === 'user'
}

/**
 * The conversation without its system message, as one readable text: for a plain prompt the user
 * template itself; otherwise each message under a `[role]` line. Used for hashes and diffs.
 */
export function conversationText(prompt: ChatPrompt): string {
  if (isPlainPrompt(prompt)) return partsOf(prompt).user
  return prompt.messages
    .filter((m) => m.role !== 'system')
    .map((m) => `[${m.role}]\n${m.content}`)
    .join('\n\n')
}

/** The few-shot turns: every user/assistant message before the editable user message. */
export function fewShotTurns(prompt: ChatPrompt): PromptMessage[] {
  const u = userIndex(prompt)
  return prompt.messages.slice(0, Math.max(0, u)).filter((m) => m.role !== 'system')
}

/** Where a part is written back: its file and, in a messages file, the message's index. */
export function partLocation(
  prompt: ChatPrompt,
  part: PromptPart
): { file: string; message?: number } | undefined {
  const source = partMessage(prompt, part)?.source
  if (source === undefined) return undefined
  return source.index === undefined
    ? { file: source.file }
    : { file: source.file, message: source.index }
}
