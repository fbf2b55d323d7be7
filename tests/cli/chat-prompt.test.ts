/**
 * Chat prompts end to end: a messages file with few-shot turns is sent as those messages (slots
 * filled, roles and order kept) through the real openai SDK, scored as the server's replies say,
 * and `optimize --write` improves it offline while leaving every frozen turn byte-identical.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse, stringify } from 'yaml'
import { parseReport } from '../../src/report/json.js'
import type { FakeOpenAI } from '../helpers/fake-openai-server.js'
import { makeRepo, runCli, startSimulatedServer } from './fixture.js'
import type { TestRepo } from './fixture.js'

const CHAT = `# Triage as a conversation: instructions, one worked example, the question.
messages:
  - role: system
    content: |
      Classify the support ticket as one of: billing, bug, account, other.
      Put your answer inside <answer></answer> tags.
  - role: user # a worked example
    content: "Ticket: This is not about a refund: the export fails every time."
  - role: assistant
    content: <answer>bug</answer>
  - role: user
    content: 'Ticket: {{text}}'
`

/** Points the repository's task at the messages file (and drops the shared system prompt). */
async function useChat(repo: TestRepo, provider?: Record<string, unknown>): Promise<void> {
  await writeFile(join(repo.root, 'prompts/chat.yml'), CHAT)
  const config = parse(await readFile(repo.configPath, 'utf8')) as Record<string, unknown>
  delete config['system_prompt']
  const tasks = config['tasks'] as Array<Record<string, unknown>>
  tasks[0]!['prompt'] = 'prompts/chat.yml'
  if (provider) config['provider'] = provider
  await writeFile(repo.configPath, stringify(config))
}

describe('a chat prompt through the SDK', () => {
  let server: FakeOpenAI
  let repo: TestRepo
  beforeAll(async () => {
    server = await startSimulatedServer()
    repo = await makeRepo(server.url, { rows: 24 })
    await useChat(repo)
  })
  afterAll(async () => {
    await server.close()
    await repo.remove()
  })

  it('sends the file messages in order with the slots filled, and scores the recorded replies', async () => {
    const result = await runCli(['eval', '--json', 'out/report.json'], { cwd: repo.root })
    expect(result.code, result.stderr).toBe(0)
    expect(server.record).toHaveLength(repo.rows.length)
    const byText = new Map(repo.rows.map((r) => [`Ticket: ${r.text}`, r]))
    let correct = 0
    for (const entry of server.record) {
      expect(entry.messages.slice(0, 3)).toEqual([
        {
          role: 'system',
          content:
            'Classify the support ticket as one of: billing, bug, account, other.\nPut your answer inside <answer></answer> tags.\n'
        },
        {
          role: 'user',
          content: 'Ticket: This is not about a refund: the export fails every time.'
        },
        { role: 'assistant', content: '<answer>bug</answer>' }
      ])
      expect(entry.messages).toHaveLength(4)
      const row = byText.get(entry.messages[3]?.content ?? '')
      expect(row, entry.messages[3]?.content).toBeDefined()
      const label = /<answer>\s*(\w+)\s*<\/answer>/.exec(entry.reply ?? '')?.[1]
      if (label === row?.label) correct++
    }
    const report = parseReport(await readFile(join(repo.root, 'out/report.json'), 'utf8'))
    expect(report.tasks[0]?.score).toBeCloseTo(correct / repo.rows.length, 12)
  })
})

describe('optimize --write on a chat prompt (simulated provider)', () => {
  let repo: TestRepo
  beforeAll(async () => {
    repo = await makeRepo('http://127.0.0.1:9', { rows: 120 })
    await useChat(repo, { type: 'simulated' })
  })
  afterAll(async () => {
    await repo.remove()
  })

  it('refuses to rewrite a message that optimize.edit freezes, naming the message', async () => {
    const config = await readFile(repo.configPath, 'utf8')
    await writeFile(
      repo.configPath,
      `${config}optimize: { edit: [user] }\n`.replace(/^optimize:\n.*\n/m, '')
    )
    try {
      const result = await runCli(['optimize', '--prompt', 'system'], { cwd: repo.root })
      expect(result.code).toBe(2)
      expect(result.stderr).toMatch(
        /edits the system message of task triage \(prompts\/chat\.yml messages\[0\]\), but optimize\.edit leaves it frozen/
      )
      expect(result.stderr).not.toMatch(/\n\s+at /)
    } finally {
      await writeFile(repo.configPath, config)
    }
  })

  it('improves the question message on test and leaves the frozen turns byte-identical', async () => {
    const result = await runCli(['optimize', '--write', '--json', 'out/opt.json'], {
      cwd: repo.root
    })
    expect(result.code, result.stderr).toBe(0)
    const after = await readFile(join(repo.root, 'prompts/chat.yml'), 'utf8')
    expect(after).not.toBe(CHAT)
    const cut = CHAT.indexOf("  - role: user\n    content: 'Ticket")
    expect(after.slice(0, cut)).toBe(CHAT.slice(0, cut))
    const messages = (parse(after) as { messages: Array<{ role: string; content: string }> })
      .messages
    expect(messages).toHaveLength(4)
    expect(messages[3]?.content).toContain('{{text}}')
    const report = parseReport(await readFile(join(repo.root, 'out/opt.json'), 'utf8'))
    const outcome = report.optimization?.prompts[0]
    expect(outcome).toMatchObject({ file: 'prompts/chat.yml', message: 3, kind: 'user' })
    const test = report.optimization?.testComparison[0]
    expect(test?.delta.value ?? 0).toBeGreaterThan(0.1)
  })
})
