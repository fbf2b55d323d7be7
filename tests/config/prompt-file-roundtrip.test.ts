/**
 * The byte-for-byte round trip of GitHub Models prompt files shaped like real ones: comments
 * between keys, `|-` and `>` block scalars, single- and double-quoted strings with escapes, flow
 * `modelParameters`, long testData, CRLF line endings and a BOM. Loading a file and writing it back
 * unchanged gives the same bytes; an optimized write changes only the rewritten content's bytes.
 */
import { describe, expect, it } from 'vitest'
import { isMap, isSeq, parse, parseDocument } from 'yaml'
import type { Node } from 'yaml'
import { parseGithubPromptFile } from '../../src/config/github-prompt-file.js'
import { replaceMessageContent } from '../../src/config/messages-edit.js'
import { asFileText } from '../../src/run/prompt-files.js'

const ROWS = Array.from(
  { length: 150 },
  (_, i) =>
    `  - ticket: "Row ${i}: \\"quoted\\" text, tab\\there, caf\\u00e9"\n    expected: '${i % 3 === 0 ? "it''s billing" : 'bug'}'`
).join('\n')

/** An LF file with every style a hand-edited prompt file has. */
const LF = `# Support routing: edited in the GitHub Models prompt editor and by hand.
name: 'Ticket router: the ''main'' one'
description: >
  Routes a support ticket to its queue,
  folded over two lines.

# Model and parameters (flow style, as the editor writes them).
model: openai/gpt-4o-mini
modelParameters: {temperature: 0.2, maxTokens: 200, topP: 1}

messages:
  # The instructions first.
  - role: system
    content: >-
      You route support tickets.
      Answer with one queue name.
  - role: user # a few-shot example
    content: 'Ticket: "I can''t log in"'
  - role: assistant
    content: "account\\t(reason: \\"login\\")"
  - role: user
    content: |-
      Ticket: {{ticket}}

      Reply with billing, bug or account.
# The rows: long, quoted, escaped.
testData:
${ROWS}

evaluators:
  # gh models eval checks the same.
  - name: right queue
    string: {contains: '{{expected}}'}
  - name: polite
    llm:
      modelId: openai/gpt-4o
      prompt: >-
        Is this reply polite? {{completion}}
      choices:
        - {choice: 'yes', score: 1}
        - {choice: "no", score: 0}
`

const VARIANTS: Array<[string, string]> = [
  ['LF', LF],
  ['CRLF', LF.replace(/\n/g, '\r\n')],
  ['BOM', `\uFEFF${LF}`],
  ['BOM + CRLF', `\uFEFF${LF.replace(/\n/g, '\r\n')}`]
]

const FILE = 'support/route.prompt.yml'

/** [start, end) of messages[i].content's bytes in `text` (BOM included in the offsets). */
function contentRange(text: string, index: number): [number, number] {
  const bom = text.startsWith('\uFEFF') ? 1 : 0
  const root = parseDocument(text.slice(bom)).contents as Node
  if (!isMap(root)) throw new Error('not a mapping')
  const messages = root.get('messages', true)
  if (!isSeq(messages)) throw new Error('no messages')
  const item = messages.items[index]
  if (!isMap(item)) throw new Error('no message')
  const range = (item.get('content', true) as Node).range
  if (!range) throw new Error('no range')
  return [range[0] + bom, range[1] + bom]
}

describe.each(VARIANTS)('a real-world-shaped prompt file (%s)', (_name, text) => {
  const file = parseGithubPromptFile(text, FILE)

  it('reads every key, every row and every message', () => {
    expect(file.name).toBe("Ticket router: the 'main' one")
    expect(file.modelParameters).toEqual({
      temperature: 0.2,
      maxTokens: 200,
      maxCompletionTokens: undefined,
      topP: 1
    })
    expect(file.testData).toHaveLength(150)
    expect(file.evaluators.map((e) => e.name)).toEqual(['right queue', 'polite'])
    expect(file.messages.map((m) => m.content)).toEqual([
      'You route support tickets. Answer with one queue name.',
      'Ticket: "I can\'t log in"',
      'account\t(reason: "login")',
      'Ticket: {{ticket}}\n\nReply with billing, bug or account.'
    ])
  })

  it('loading and writing back unchanged gives identical bytes', () => {
    file.messages.forEach((message, i) => {
      expect(replaceMessageContent(text, i, message.content, FILE)).toBe(text)
      expect(asFileText({ file: FILE, message: i, after: message.content }, text)).toBe(text)
    })
  })

  it.each([0, 1, 2, 3])('an optimized messages[%i] changes only that content', (index) => {
    const rewritten = 'Route the ticket: {{ticket}}\nThink first, then answer with one queue.'
    const next = asFileText({ file: FILE, message: index, after: rewritten }, text)
    // Every byte before and after the old content's bytes is the file's own.
    const [start, end] = contentRange(text, index)
    expect(contentRange(next, index)[0]).toBe(start)
    expect(next.slice(0, start)).toBe(text.slice(0, start))
    expect(next.endsWith(text.slice(end))).toBe(true)
    expect(next.length - (text.length - end)).toBeGreaterThan(start)
    // The file keeps its line endings: no bare LF in a CRLF file.
    if (text.includes('\r\n')) expect(next.replace(/\r\n/g, '')).not.toContain('\n')
    const before = parse(text.replace(/^\uFEFF/, '')) as { messages: Array<{ content: string }> }
    const after = parse(next.replace(/^\uFEFF/, '')) as typeof before
    expect(after.messages[index]?.content).toBe(rewritten)
    before.messages[index] = { ...before.messages[index], content: rewritten } as never
    expect(after).toEqual(before)
  })
})
