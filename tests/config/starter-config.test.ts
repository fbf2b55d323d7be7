import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { planTasks, starterConfigText } from '../../src/config/starter-config.js'
import type { FoundDataset } from '../../src/config/starter-config.js'

function dataset(path: string, rows: Array<Record<string, unknown>>): FoundDataset {
  const fields = [...new Set(rows.flatMap((r) => Object.keys(r)))]
  const values = Object.fromEntries(fields.map((f) => [f, rows.map((r) => r[f])]))
  return { path, rows: rows.length, fields, values }
}

describe('init: planning tasks', () => {
  it('pairs a template with the dataset that fills its slots, same name first, and picks a metric', () => {
    const labels = ['yes', 'no', 'yes', 'no', 'yes', 'no']
    const plan = planTasks(
      [
        { path: 'prompts/system.md', slots: [] },
        { path: 'prompts/spam.md', slots: ['msg.text'] },
        { path: 'prompts/price.md', slots: ['item'] },
        { path: 'prompts/orphan.md', slots: ['nothing'] }
      ],
      [
        dataset(
          'evals/other.jsonl',
          labels.map((l, i) => ({ id: i, msg: {}, verdict: l }))
        ),
        dataset(
          'evals/spam.jsonl',
          labels.map((l, i) => ({ id: i, msg: {}, label: l, note: 'x' }))
        ),
        dataset('evals/prices.csv', [
          { item: 'a', price: 3 },
          { item: 'b', price: 4.5 }
        ])
      ]
    )
    expect(plan.systemPrompt).toBe('prompts/system.md')
    expect(plan.tasks.map((t) => [t.name, t.data.path, t.expected, t.metric.type])).toEqual([
      ['spam', 'evals/spam.jsonl', 'label', 'choice'],
      ['price', 'evals/prices.csv', 'price', 'numeric']
    ])
    expect(plan.unmatched).toEqual([
      'prompts/orphan.md: no dataset has the fields nothing and one more for the answer'
    ])
  })

  it('writes labels and field names from the data so the YAML means exactly them', () => {
    const hostile = ['yes: no', '#tag', 'true', 'a, b', '-1']
    const rows = [...hostile, ...hostile].map((label, i) => ({ id: i, text: 't', label }))
    const plan = planTasks(
      [{ path: 'prompts/odd name.md', slots: ['text'] }],
      [dataset('evals/odd.jsonl', rows)]
    )
    const text = starterConfigText(plan, { found: 'Found\nthings.', reportDir: 'out' })
    const config = parse(text) as {
      tasks: Array<{ name: string; prompt: string; metric: { choices: unknown[] } }>
    }
    expect(config.tasks[0]?.metric.choices).toEqual(hostile)
    expect(config.tasks[0]?.prompt).toBe('prompts/odd name.md')
    expect(config.tasks[0]?.name).toBe('odd-name')
    expect(text).toContain('# Found things.')
  })
})

describe('init: GitHub Models prompt files', () => {
  function promptFile(path: string, model: string | undefined) {
    return {
      path,
      slots: ['q'],
      data: dataset(path, [{ q: 'a', expected: 'b' }]),
      evaluators: 1,
      model
    }
  }

  it('says each file runs on its own model, not that every task shares the target', () => {
    const plan = planTasks(
      [],
      [],
      [
        promptFile('a.prompt.yml', 'openai/gpt-4o-mini'),
        promptFile('b.prompt.yml', 'openai/gpt-4o')
      ]
    )
    const text = starterConfigText(plan, { found: 'Found 2 files.', reportDir: 'out' })
    expect(text).not.toContain('all tasks run on one target')
    expect(text).toContain('# Each prompt file runs on its own model:')
    expect(text).toMatch(
      /^ {2}target: openai\/gpt-4o-mini # the first model: the prompt files name$/m
    )
    const config = parse(text) as { models: { target: string }; provider: { type: string } }
    expect(config).toMatchObject({
      provider: { type: 'github-models' },
      models: { target: 'openai/gpt-4o-mini' }
    })
  })

  it('says so when no file names a model', () => {
    const plan = planTasks([], [], [promptFile('a.prompt.yml', undefined)])
    const text = starterConfigText(plan, { found: 'Found 1 file.', reportDir: 'out' })
    expect(text).toMatch(/^ {2}target: openai\/gpt-4o-mini # no prompt file names a model:$/m)
  })
})
