import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { loadProject } from '../../src/config/load-project.js'
import { DEMO_HEADER, writeDemoRepository } from '../../src/simulate/demo-repo.js'

const dirs: string[] = []
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'pd-demo-'))
  dirs.push(dir)
  return dir
}
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

interface RawTask {
  name: string
  prompt: string
  data: string
  metric: { choices: string[] }
}

describe('writeDemoRepository', () => {
  it('writes a one-task repository on the simulated provider whose labels are among the choices', async () => {
    const dir = await tempDir()
    const demo = await writeDemoRepository(dir, { seed: 7 })
    expect(demo.files).toEqual([
      'prompt-descent.yml',
      'prompts/system.md',
      'prompts/triage.md',
      'evals/triage.jsonl',
      'prompts/triage.chat.yml',
      'prompt-descent.chat.yml',
      'prompt-descent.invoices.yml',
      'prompts/invoices.md',
      'evals/invoices.jsonl',
      'schemas/invoice.json'
    ])
    const text = await readFile(demo.configPath, 'utf8')
    expect(text.startsWith(DEMO_HEADER)).toBe(true)
    const config = parse(text) as {
      provider: { type: string }
      tasks: RawTask[]
      system_prompt: string
    }
    expect(config.provider.type).toBe('simulated')
    expect(config.system_prompt).toBe('prompts/system.md')
    const [task] = config.tasks
    expect(task?.metric.choices).toEqual(['billing', 'bug', 'account', 'other'])
    const rows = (await readFile(join(dir, task!.data), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
    expect(rows).toHaveLength(120)
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(['id', 'label', 'text'])
      expect(task!.metric.choices).toContain(row.label)
    }
    expect(await readFile(join(dir, task!.prompt), 'utf8')).toContain('{{text}}')
    expect(await readFile(join(dir, 'prompts/system.md'), 'utf8')).toBe(
      'You are a helpful assistant.\n'
    )
  })

  it('writes the triage prompt again as a chat prompt with a config that loads', async () => {
    const dir = await tempDir()
    const demo = await writeDemoRepository(dir, { seed: 7 })
    expect(demo.chat?.promptFile).toBe('prompts/triage.chat.yml')
    const project = await loadProject(demo.chat!.configPath)
    const task = project.tasks[0]!
    expect(task.prompt.messages.map((m) => [m.role, m.editable])).toEqual([
      ['system', true],
      ['user', false],
      ['assistant', false],
      ['user', true]
    ])
    expect(task.examples).toHaveLength(120)
  })

  it('writes a JSON extraction task on invoices with a schema check and field scores', async () => {
    const dir = await tempDir()
    const demo = await writeDemoRepository(dir, { seed: 7 })
    expect(demo.invoices?.promptFile).toBe('prompts/invoices.md')
    const project = await loadProject(demo.invoices!.configPath)
    const task = project.tasks[0]!
    expect(task.name).toBe('invoices')
    expect(task.config.responseFormat).toMatchObject({ type: 'json_object' })
    expect(task.examples).toHaveLength(90)
    const expected = task.examples[0]!.expected as Record<string, unknown>
    expect(Object.keys(expected)).toEqual(['vendor', 'invoice_number', 'date', 'currency', 'total'])
    const rows = (await readFile(join(dir, 'evals/invoices.jsonl'), 'utf8')).trim().split('\n')
    for (const line of rows)
      expect(Object.keys(JSON.parse(line) as object)).toEqual(['id', 'text', 'expected'])
    const schema = JSON.parse(await readFile(join(dir, 'schemas/invoice.json'), 'utf8')) as {
      required: string[]
    }
    expect(schema.required).toEqual(Object.keys(expected))
  })

  it('writes a repository the config loader accepts', async () => {
    const dir = await tempDir()
    const demo = await writeDemoRepository(dir, { seed: 7, multiTask: true, rows: 40 })
    const project = await loadProject(demo.configPath)
    expect(project.config.provider.type).toBe('simulated')
    expect(project.tasks.map((t) => t.name)).toEqual(demo.tasks)
    expect(project.config.optimize.method).toBe('metaspo')
    expect(project.config.optimize.metaspo.holdout).toEqual([
      'reviews-electronics',
      'reviews-pets',
      'reviews-sports'
    ])
    expect(project.sharedSystemPrompt?.text.trim()).toBe('You are a helpful assistant.')
    for (const task of project.tasks) {
      expect(task.examples).toHaveLength(40)
      for (const ex of task.examples) expect(['positive', 'negative']).toContain(ex.expected)
    }
  })

  it('is deterministic, overwrites its own demo and refuses a foreign config', async () => {
    const dir = await tempDir()
    const first = await writeDemoRepository(dir, { seed: 3 })
    const data = await readFile(join(dir, 'evals/triage.jsonl'), 'utf8')
    await writeDemoRepository(dir, { seed: 3 })
    expect(await readFile(join(dir, 'evals/triage.jsonl'), 'utf8')).toBe(data)
    await writeFile(first.configPath, 'tasks: []\n')
    await expect(writeDemoRepository(dir, { seed: 3 })).rejects.toThrow(/did not write/)
  })
})
