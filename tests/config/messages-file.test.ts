/**
 * Messages files (`prompt: x.yml` with a `messages:` list): loading, the shared system prompt, the
 * frozen few-shot turns, `optimize.edit`, and every kind of bad input named by file and message.
 */
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadProject } from '../../src/config/load-project.js'
import { parseMessagesFile } from '../../src/config/messages-file.js'
import { partMessage, partsOf } from '../../src/config/prompt.js'
import { buildMessages } from '../../src/eval/evaluate.js'
import { makeRepo, thrown } from './helpers.js'

const CHAT = `# triage as a conversation
messages:
  - role: user
    content: "Ticket: I was charged twice"
  - role: assistant
    content: <answer>billing</answer>
  - role: user
    content: |
      Ticket: {{text}}
`
const DATA =
  '{"id":"a","text":"the app crashes","label":"bug"}\n{"id":"b","text":"refund please","label":"billing"}\n'

function config(prompt: string, extra = ''): string {
  return `provider: { type: simulated }
system_prompt: prompts/system.md
tasks:
  - name: triage
    prompt: ${prompt}
    data: evals/t.jsonl
    expected: label
    metric: { type: choice, choices: [billing, bug] }
${extra}`
}

let cleanup: (() => Promise<void>) | undefined
afterEach(async () => {
  await cleanup?.()
  cleanup = undefined
})

async function load(files: Record<string, string>) {
  const repo = await makeRepo({
    'prompts/system.md': 'Sort tickets.',
    'evals/t.jsonl': DATA,
    ...files
  })
  cleanup = repo.cleanup
  return loadProject(path.join(repo.root, 'prompt-descent.yml'))
}

describe('messages files', () => {
  it('puts the shared system prompt first, keeps the turns in order and fills every slot', async () => {
    const project = await load({
      'prompt-descent.yml': config('prompts/chat.yml'),
      'prompts/chat.yml': CHAT
    })
    const task = project.tasks[0]!
    expect(task.prompt.messages.map((m) => [m.role, m.editable, m.source])).toEqual([
      ['system', true, { file: 'prompts/system.md', index: undefined }],
      ['user', false, { file: 'prompts/chat.yml', index: 0 }],
      ['assistant', false, { file: 'prompts/chat.yml', index: 1 }],
      ['user', true, { file: 'prompts/chat.yml', index: 2 }]
    ])
    expect(partsOf(task.prompt)).toEqual({ system: 'Sort tickets.', user: 'Ticket: {{text}}\n' })
    const example = task.examples.find((e) => e.id === 'a')!
    expect(buildMessages(task.prompt, example)).toEqual([
      { role: 'system', content: 'Sort tickets.' },
      { role: 'user', content: 'Ticket: I was charged twice' },
      { role: 'assistant', content: '<answer>billing</answer>' },
      { role: 'user', content: 'Ticket: the app crashes\n' }
    ])
  })

  it('reads JSON messages files, and keeps their own system message over the shared one', async () => {
    const json = JSON.stringify({
      messages: [
        { role: 'system', content: 'Own system.' },
        { role: 'user', content: '{{text}}' }
      ]
    })
    const project = await load({
      'prompt-descent.yml': config('prompts/chat.json'),
      'prompts/chat.json': json
    })
    expect(partsOf(project.tasks[0]!.prompt)).toEqual({ system: 'Own system.', user: '{{text}}' })
    expect(partMessage(project.tasks[0]!.prompt, 'system')?.source).toEqual({
      file: 'prompts/chat.json',
      index: 0
    })
  })

  it('optimize.edit makes listed messages editable and freezes the rest', async () => {
    const project = await load({
      'prompt-descent.yml': config('prompts/chat.yml', 'optimize: { edit: [1, user] }'),
      'prompts/chat.yml': CHAT
    })
    expect(project.tasks[0]!.prompt.messages.map((m) => m.editable)).toEqual([
      false,
      true,
      true,
      true
    ])
  })

  it.each([
    [
      'an unknown role',
      'messages:\n  - role: tool\n    content: x\n',
      /line 2, messages\[0\]\.role: expected one of system, user, assistant, got "tool"/
    ],
    ['an empty list', 'messages: []\n', /messages: expected a non-empty list/],
    ['no messages key', 'prompt: hi\n', /prompt: unknown key[\s\S]*missing `messages:`/],
    [
      'a message without content',
      'messages:\n  - role: user\n',
      /messages\[0\]\.content: the message has no `content`/
    ],
    [
      'an empty message',
      'messages:\n  - role: user\n    content: "  "\n',
      /messages\[0\]\.content: the message is empty/
    ],
    [
      'no user message',
      'messages:\n  - role: system\n    content: hi\n',
      /the messages have no user message/
    ],
    [
      'an unknown message key',
      'messages:\n  - role: user\n    content: x\n    name: bob\n',
      /messages\[0\]\.name: unknown key/
    ],
    ['not a mapping', '- role: user\n', /expected a mapping with a `messages:` list/]
  ])('rejects %s, naming the file and the message', (_what, text, pattern) => {
    let error: unknown
    try {
      parseMessagesFile(text, 'prompts/chat.yml')
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(Error)
    expect((error as Error).message).toMatch(pattern)
    expect((error as { file?: string }).file).toBe('prompts/chat.yml')
  })

  it('names the file, the message and the row fields for a slot with no field', async () => {
    const error = await thrown(() =>
      load({
        'prompt-descent.yml': config('prompts/chat.yml'),
        'prompts/chat.yml': CHAT.replace('{{text}}', '{{ticket}}')
      })
    )
    expect(error.message).toMatch(
      /slot \{\{ticket\}\} \(messages\[2\]\) has no field in row "a".*fields are: id, text, label/
    )
    expect((error as { file?: string }).file).toBe('prompts/chat.yml')
  })

  it('rejects an optimize.edit index past the file, and a second system prompt for the task', async () => {
    const past = await thrown(() =>
      load({
        'prompt-descent.yml': config('prompts/chat.yml', 'optimize: { edit: [7] }'),
        'prompts/chat.yml': CHAT
      })
    )
    expect(past.message).toMatch(
      /optimize\.edit\[0\]: prompts\/chat\.yml has 3 messages \(indices 0–2\); there is no message 7/
    )
    const both = await thrown(() =>
      load({
        'prompt-descent.yml': config(
          'prompts/chat.json',
          '    system_prompt: prompts/system.md'
        ).replace(
          '    metric: { type: choice, choices: [billing, bug] }\n    system_prompt',
          '    metric: { type: choice, choices: [billing, bug] }\n    system_prompt'
        ),
        'prompts/chat.json':
          '{"messages":[{"role":"system","content":"S"},{"role":"user","content":"{{text}}"}]}'
      })
    )
    expect(both.message).toMatch(
      /tasks\[0\]\.system_prompt: prompts\/chat\.json already has a system message/
    )
  })

  it('rejects an optimize.edit entry that is neither a role nor an index', async () => {
    const error = await thrown(() =>
      load({
        'prompt-descent.yml': config('prompts/chat.yml', 'optimize: { edit: [tool] }'),
        'prompts/chat.yml': CHAT
      })
    )
    expect(error.message).toMatch(
      /optimize\.edit\[0\]: expected a role \(system, user, assistant\) or a message index/
    )
  })
})
