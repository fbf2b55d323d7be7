/**
 * Messages files: a YAML or JSON file whose `messages:` list holds the prompt as chat messages —
 * the shape of the `messages` of GitHub Models prompt files, so one file can serve both tools.
 *
 * ```yaml
 * messages:
 *   - role: system
 *     content: You sort support tickets…
 *   - role: user            # few-shot turns: frozen unless optimize.edit says otherwise
 *     content: "My card was charged twice"
 *   - role: assistant
 *     content: <answer>billing</answer>
 *   - role: user
 *     content: "{{subject}}\n\n{{body}}"
 * ```
 */
import { throwIssues } from './issues.js'
import type { Issue } from './issues.js'
import { MESSAGE_ROLES } from './prompt.js'
import type { MessageRole } from './prompt.js'
import { formatKeyPath, parseYamlSource } from './yaml-source.js'
import type { KeyPath } from './yaml-source.js'

/** File extensions read as messages files (anything else is one user template). */
const MESSAGES_EXTENSIONS = ['.yml', '.yaml', '.json'] as const

/** Top-level keys of a GitHub Models prompt file, accepted beside `messages` (not used here). */
const GITHUB_PROMPT_KEYS = [
  'name',
  'description',
  'model',
  'modelParameters',
  'responseFormat',
  'jsonSchema',
  'testData',
  'evaluators'
] as const

const MESSAGE_KEYS = ['role', 'content'] as const

/** True when a prompt path names a messages file. */
export function isMessagesFile(file: string): boolean {
  const lower = file.toLowerCase()
  return MESSAGES_EXTENSIONS.some((ext) => lower.endsWith(ext))
}

export interface FileMessage {
  role: MessageRole
  content: string
}

/**
 * Parses a messages file. Every problem (an unknown role, a message without content, no user
 * message, an unknown key…) is reported at once, each with its line and key path, in one error.
 */
export function parseMessagesFile(
  text: string,
  file: string,
  /** `ignore`: other top-level keys are the caller's (a GitHub Models prompt file's reader). */
  otherKeys: 'check' | 'ignore' = 'check'
): FileMessage[] {
  const source = parseYamlSource(text, file)
  const issues: Issue[] = []
  const problem = (path: KeyPath, message: string): void => {
    issues.push({
      file,
      line: source.lineOf(path) ?? 1,
      path: formatKeyPath(path) || undefined,
      message
    })
  }
  const top = source.value
  if (top === null || typeof top !== 'object' || Array.isArray(top)) {
    problem([], 'expected a mapping with a `messages:` list of {role, content} entries')
    throwIssues(issues)
  }
  const doc = top as Record<string, unknown>
  for (const key of otherKeys === 'ignore' ? [] : Object.keys(doc)) {
    if (key !== 'messages' && !(GITHUB_PROMPT_KEYS as readonly string[]).includes(key))
      problem(
        [key],
        `unknown key; a messages file holds \`messages:\` (and may hold the other keys of a GitHub Models prompt file: ${GITHUB_PROMPT_KEYS.join(', ')})`
      )
  }
  const list = doc.messages
  if (!Array.isArray(list) || list.length === 0) {
    problem(
      ['messages'],
      list === undefined
        ? 'missing `messages:`; expected a list of {role, content} entries'
        : 'expected a non-empty list of {role, content} entries'
    )
    throwIssues(issues)
  }
  const messages: FileMessage[] = []
  ;(list as unknown[]).forEach((item, i) => {
    const at: KeyPath = ['messages', i]
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      problem(at, 'expected a mapping with `role` and `content`')
      return
    }
    const entry = item as Record<string, unknown>
    for (const key of Object.keys(entry)) {
      if (!(MESSAGE_KEYS as readonly string[]).includes(key))
        problem([...at, key], 'unknown key; a message has `role` and `content`')
    }
    const role = entry.role
    if (typeof role !== 'string' || !(MESSAGE_ROLES as readonly string[]).includes(role)) {
      problem(
        [...at, 'role'],
        `expected one of ${MESSAGE_ROLES.join(', ')}, got ${role === undefined ? 'nothing' : JSON.stringify(role)}`
      )
      return
    }
    const content = entry.content
    if (typeof content !== 'string' || content.trim() === '') {
      problem(
        [...at, 'content'],
        content === undefined
          ? 'the message has no `content`; expected its text'
          : typeof content === 'string'
            ? 'the message is empty; expected its text'
            : `expected text, got ${Array.isArray(content) ? 'a list' : typeof content}`
      )
      return
    }
    messages.push({ role: role as MessageRole, content })
  })
  if (issues.length === 0 && !messages.some((m) => m.role === 'user'))
    problem(['messages'], 'the messages have no user message; expected at least one')
  throwIssues(issues)
  return messages
}
