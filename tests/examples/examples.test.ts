/**
 * The example configs in examples/ load and validate as a user would run them, and `--estimate`
 * works on them without a key (the README tells users to try both).
 */
import { partMessage } from '../../src/config/prompt.js'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'
import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { loadProject } from '../../src/config/load-project.js'
import { main } from '../../src/cli/main.js'
import { openProject } from '../../src/run/discover-prompts.js'
import { parse } from 'yaml'
import { readFileSync } from 'node:fs'

const EXAMPLES = fileURLToPath(new URL('../../examples', import.meta.url))

async function run(argv: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = ''
  const code = await main(argv, { stdout: (t) => (stdout += t), env: {}, cwd: EXAMPLES })
  return { code, stdout }
}

describe('examples/', () => {
  it('the triage example loads: one task, its rows split, labels among the choices', async () => {
    const project = await loadProject(join(EXAMPLES, 'prompt-descent.yml'))
    expect(project.tasks.map((t) => t.name)).toEqual(['triage'])
    const triage = project.tasks[0]!
    expect(triage.examples.length).toBeGreaterThanOrEqual(40)
    expect(new Set(triage.examples.map((e) => e.split))).toEqual(new Set(['train', 'dev', 'test']))
    expect(project.sharedSystemPrompt?.path).toBe('prompts/system.md')
  })

  it('the chat example sends its system message, two frozen few-shot turns and the ticket', async () => {
    const project = await loadProject(join(EXAMPLES, 'prompt-descent.chat.yml'))
    const task = project.tasks[0]!
    expect(task.prompt.messages.map((m) => [m.role, m.editable])).toEqual([
      ['system', true],
      ['user', false],
      ['assistant', false],
      ['user', false],
      ['assistant', false],
      ['user', true]
    ])
    const estimate = await run(['optimize', '--config', 'prompt-descent.chat.yml', '--estimate'])
    expect(estimate.code).toBe(0)
    expect(estimate.stdout).toMatch(/calls/)
  })

  it('the invoice example asks for JSON in its schema and checks each reply three ways', async () => {
    const project = await loadProject(join(EXAMPLES, 'prompt-descent.invoices.yml'))
    const task = project.tasks[0]!
    expect(task.name).toBe('invoices')
    expect(task.examples).toHaveLength(30)
    expect(new Set(task.examples.map((e) => e.split))).toEqual(new Set(['train', 'dev', 'test']))
    expect(task.config.responseFormat).toMatchObject({ type: 'json_schema', strict: true })
    expect(task.config.checks?.checks.map((c) => [c.name, c.metric.type])).toEqual([
      ['valid', 'json_schema'],
      ['fields', 'json'],
      ['names_vendor', 'contains']
    ])
    // every expected object is valid under the schema the target is held to
    const schema = JSON.parse(await readFile(join(EXAMPLES, 'schemas/invoice.json'), 'utf8')) as {
      required: string[]
    }
    for (const example of task.examples) {
      const expected = example.expected as Record<string, unknown>
      expect(Object.keys(expected)).toEqual(schema.required)
      expect(expected['date']).toMatch(/^\d{4}-\d{2}-\d{2}$/)
      expect(String(example.fields['text'])).toContain(String(expected['vendor']))
    }
    const evalEstimate = await run([
      'eval',
      '--config',
      'prompt-descent.invoices.yml',
      '--estimate'
    ])
    expect(evalEstimate.code).toBe(0)
    expect(evalEstimate.stdout).toMatch(
      /invoices: 30 calls, [\d.]+k input \+ [\d.]+k output tokens/
    )
    const apo = await run(['optimize', '--config', 'prompt-descent.invoices.yml', '--estimate'])
    expect(apo.code).toBe(0)
    expect(apo.stdout).toContain('APO on invoices')
  })

  it('the multi-task example shares one system prompt across three tasks, one held out', async () => {
    const project = await loadProject(join(EXAMPLES, 'prompt-descent.multitask.yml'))
    expect(project.tasks.map((t) => t.name)).toEqual(['triage', 'urgency', 'tone'])
    expect(
      project.tasks.every(
        (t) => partMessage(t.prompt, 'system')?.source.file === 'prompts/system.md'
      )
    ).toBe(true)
    expect(project.config.optimize.method).toBe('metaspo')
    expect(project.config.optimize.metaspo.holdout).toEqual(['tone'])
    // The CSV dataset keeps its quoted commas and its ids.
    const tone = project.tasks[2]!
    expect(tone.examples.length).toBe(30)
    expect(tone.examples.some((e) => String(e.fields['message']).includes(','))).toBe(true)
  })

  it('estimates eval and optimize on the examples without a key and without a call', async () => {
    const evalEstimate = await run(['eval', '--estimate'])
    expect(evalEstimate.code).toBe(0)
    expect(evalEstimate.stdout).toMatch(
      /triage: 40 calls, [\d.]+k input \+ [\d.]+k output tokens, ≈ \$/
    )
    const apo = await run(['optimize', '--estimate'])
    expect(apo.code).toBe(0)
    expect(apo.stdout).toContain('APO on triage')
    const meta = await run(['optimize', '--config', 'prompt-descent.multitask.yml', '--estimate'])
    expect(meta.code).toBe(0)
    expect(meta.stdout).toContain('MetaSPO on 2 tasks (1 held out)')
  })

  it('the GitHub Models example is two .prompt.yml files and no config', async () => {
    const dir = join(EXAMPLES, 'github-models')
    const project = await openProject(join(dir, 'prompt-descent.yml'))
    expect(project.discovered).toBe(true)
    expect(project.config.provider.type).toBe('github-models')
    expect(project.tasks.map((t) => [t.name, t.title, t.config.checks?.checks.length])).toEqual([
      ['route', 'Support ticket router', 2],
      ['summarize', 'Release note summarizer', 3]
    ])
    let stdout = ''
    const code = await main(['eval', '--estimate'], {
      stdout: (t) => (stdout += t),
      env: {},
      cwd: dir
    })
    expect(code).toBe(0)
    expect(stdout).toMatch(/route: 24 calls/)
  })

  it('the GitHub Models workflow grants models: read and needs no secret', () => {
    const text = readFileSync(join(EXAMPLES, 'workflows/prompt-gate-github-models.yml'), 'utf8')
    const workflow = parse(text) as { permissions: Record<string, string> }
    expect(workflow.permissions).toEqual({
      contents: 'read',
      'pull-requests': 'write',
      models: 'read'
    })
    expect(text).not.toMatch(/secrets\./)
  })
})
