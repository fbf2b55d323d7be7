/**
 * Writing one optimized message back into a messages file: only that message's `content` changes;
 * comments, key order, quoting and block styles of the rest stay byte-for-byte.
 */
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { replaceMessageContent } from '../../src/config/messages-edit.js'
import { asFileText } from '../../src/run/prompt-files.js'

const FILE = `# Support triage, kept as GitHub Models prompt file.
name: Triage
description: >-
  Routes a ticket to a queue.
model: openai/gpt-4o-mini
modelParameters: { temperature: 0, maxTokens: 64 }
messages:
  - role: system   # the instructions
    content: |
      You sort support tickets into billing, bug or account.

      Answer in <answer></answer> tags.
  - role: user
    content: 'Ticket: "I was charged twice"'
  - role: assistant
    content: "<answer>billing</answer>"
  - {role: user, content: "Ticket: {{text}}"}
testData:
  - text: app crashes   # a comment in the data
    expected: bug
evaluators:
  - name: label
    string: { contains: '{{expected}}' }
`

describe('replaceMessageContent', () => {
  it('rewrites a block scalar in place and leaves every other byte alone', () => {
    const next = replaceMessageContent(
      FILE,
      0,
      'Sort tickets.\nUse <answer></answer> tags.\n',
      'p.yml'
    )
    const start = FILE.indexOf('    content: |')
    const end = FILE.indexOf('  - role: user')
    expect(next.slice(0, start)).toBe(FILE.slice(0, start))
    expect(next.slice(next.indexOf('  - role: user'))).toBe(FILE.slice(end))
    expect(next.slice(start, next.indexOf('  - role: user'))).toBe(
      '    content: |\n      Sort tickets.\n      Use <answer></answer> tags.\n'
    )
    const doc = parse(next) as { messages: Array<{ content: string }> }
    expect(doc.messages[0]?.content).toBe('Sort tickets.\nUse <answer></answer> tags.\n')
  })

  it('keeps a flow mapping flow and a quoted value quoted', () => {
    const next = replaceMessageContent(FILE, 3, 'Classify the ticket.\nTicket: {{text}}', 'p.yml')
    expect(next).toContain('  - {role: user, content: "Classify the ticket.\\nTicket: {{text}}"}\n')
    expect(next.replace(/ {2}- \{role: user.*\n/, '')).toBe(
      FILE.replace(/ {2}- \{role: user.*\n/, '')
    )
    const single = replaceMessageContent(FILE, 1, "it's fine", 'p.yml')
    expect(single).toContain("    content: 'it''s fine'\n")
  })

  it('writes the same bytes when the content does not change', () => {
    const doc = parse(FILE) as { messages: Array<{ content: string }> }
    doc.messages.forEach((m, i) => {
      expect(replaceMessageContent(FILE, i, m.content, 'p.yml')).toBe(FILE)
    })
  })

  it('edits JSON files as JSON', () => {
    const json = `{\n  "messages": [\n    { "role": "system", "content": "Old." },\n    { "role": "user", "content": "{{text}}" }\n  ]\n}\n`
    const next = replaceMessageContent(json, 0, 'New, with "quotes"\nand lines.', 'p.json')
    expect(JSON.parse(next)).toEqual({
      messages: [
        { role: 'system', content: 'New, with "quotes"\nand lines.' },
        { role: 'user', content: '{{text}}' }
      ]
    })
    expect(next).toBe(json.replace('"Old."', '"New, with \\"quotes\\"\\nand lines."'))
  })

  it('asFileText keeps the old content trailing line break, as the optimizer trims it', () => {
    const next = asFileText({ file: 'p.yml', message: 0, after: 'Short now.  \n\n' }, FILE)
    expect((parse(next) as { messages: Array<{ content: string }> }).messages[0]?.content).toBe(
      'Short now.\n'
    )
    expect(next.split('\n').length).toBe(FILE.split('\n').length - 2)
  })
})
