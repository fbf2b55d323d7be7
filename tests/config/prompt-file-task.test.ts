/** A config task whose `prompt:` is a GitHub Models prompt file: its testData and evaluators. */
import { afterEach, describe, expect, it } from 'vitest'
import { loadProject } from '../../src/config/load-project.js'
import { makeRepo, thrown } from './helpers.js'

const ROUTE = `name: Ticket router
model: openai/gpt-4o-mini
messages:
  - role: system
    content: Route the ticket to billing, bug or account.
  - role: user
    content: '{{input}}'
testData:
  - input: I was charged twice
    expected: billing
  - input: The app crashes on start
    expected: bug
  - input: I cannot log in
    expected: account
evaluators:
  - name: right queue
    string:
      contains: '{{expected}}'
owner: support-team
`

let cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(cleanups.map((c) => c()))
  cleanups = []
})

async function load(config: string, extra: Record<string, string> = {}) {
  const repo = await makeRepo({
    'prompt-descent.yml': config,
    'support/route.prompt.yml': ROUTE,
    ...extra
  })
  cleanups.push(repo.cleanup)
  return loadProject(`${repo.root}/prompt-descent.yml`)
}

describe('a task whose prompt is a .prompt.yml', () => {
  it('takes its rows from testData and its checks from the evaluators', async () => {
    const project = await load(
      'provider: { type: simulated }\ntasks:\n  - name: route\n    prompt: support/route.prompt.yml\n    split: { test: 1 }\n'
    )
    const task = project.tasks[0]
    expect(task?.title).toBe('Ticket router')
    expect(task?.config.data).toBe('support/route.prompt.yml')
    expect(task?.examples.map((e) => [e.id, e.line, e.fields.input])).toEqual([
      ['1', 9, 'I was charged twice'],
      ['2', 11, 'The app crashes on start'],
      ['3', 13, 'I cannot log in']
    ])
    expect(task?.config.checks).toEqual({
      pass: 'all',
      checks: [
        {
          name: 'right queue',
          weight: 1,
          not: false,
          value: undefined,
          metric: { type: 'gh-string', op: 'contains', value: '{{expected}}' }
        }
      ]
    })
    expect(task?.prompt.messages.map((m) => [m.role, m.source])).toEqual([
      ['system', { file: 'support/route.prompt.yml', index: 0 }],
      ['user', { file: 'support/route.prompt.yml', index: 1 }]
    ])
    expect(project.warnings?.map((w) => `${w.file}:${w.line} ${w.message}`)).toEqual([
      'support/route.prompt.yml:19 unknown key `owner`, ignored (a prompt file holds name, description, model, modelParameters, responseFormat, jsonSchema, messages, testData, evaluators)'
    ])
  })

  it('keeps the config’s own data and metric when it gives them', async () => {
    const project = await load(
      'provider: { type: simulated }\ntasks:\n  - name: route\n    prompt: support/route.prompt.yml\n    data: more.jsonl\n    metric: contains\n',
      { 'more.jsonl': '{"input": "refund please", "expected": "billing"}\n' }
    )
    expect(project.tasks[0]?.config.checks).toBeUndefined()
    expect(project.tasks[0]?.config.metric).toEqual({ type: 'contains', caseSensitive: false })
    expect(project.tasks[0]?.examples).toHaveLength(1)
  })

  it('still requires data for any other prompt', async () => {
    const error = await thrown(() =>
      load('provider: { type: simulated }\ntasks:\n  - name: t\n    prompt: p.md\n', {
        'p.md': 'x'
      })
    )
    expect(error.message).toContain('tasks[0].data: required: expected the dataset file')
  })

  it('a prompt file without testData and no data: says what to add', async () => {
    const error = await thrown(() =>
      load('provider: { type: simulated }\ntasks:\n  - name: t\n    prompt: bare.prompt.yml\n', {
        'bare.prompt.yml': 'messages:\n  - role: user\n    content: hi\n'
      })
    )
    expect(error.message).toContain('the prompt file has no `testData:` rows')
  })

  it('sends the file’s responseFormat and jsonSchema unless the config gives response_format', async () => {
    const json = ROUTE.replace(
      'messages:',
      `responseFormat: json_schema\njsonSchema: '{"name": "route", "strict": true, "schema": {"type": "object", "properties": {"queue": {"type": "string"}}, "required": ["queue"], "additionalProperties": false}}'\nmessages:`
    )
    const fromFile = await load(
      'provider: { type: simulated }\ntasks:\n  - name: route\n    prompt: support/route.prompt.yml\n',
      { 'support/route.prompt.yml': json }
    )
    expect(fromFile.tasks[0]?.config.responseFormat).toEqual({
      type: 'json_schema',
      name: 'route',
      strict: true,
      schema: {
        file: undefined,
        value: {
          type: 'object',
          properties: { queue: { type: 'string' } },
          required: ['queue'],
          additionalProperties: false
        }
      }
    })
    const fromConfig = await load(
      'provider: { type: simulated }\ntasks:\n  - name: route\n    prompt: support/route.prompt.yml\n    response_format: json_object\n',
      { 'support/route.prompt.yml': json }
    )
    expect(fromConfig.tasks[0]?.config.responseFormat).toEqual({ type: 'json_object' })
  })

  it('on GitHub Models runs on the file’s model unless tasks[].model names one', async () => {
    const project = await load(
      [
        'provider: { type: github-models }',
        'models: { target: { model: openai/gpt-4.1, temperature: 0.5 } }',
        'tasks:',
        '  - { name: route, prompt: support/route.prompt.yml }',
        '  - { name: pinned, prompt: support/route.prompt.yml, model: meta/llama-3.3-70b-instruct }',
        ''
      ].join('\n')
    )
    expect(
      project.tasks.map((t) => [t.name, t.config.target?.model, t.config.target?.temperature])
    ).toEqual([
      ['route', 'openai/gpt-4o-mini', 0.5],
      ['pinned', 'meta/llama-3.3-70b-instruct', 0.5]
    ])
  })

  it('with another provider, models.target answers (publisher/model ids are GitHub Models’)', async () => {
    const project = await load(
      'provider: { type: openai }\nmodels: { target: gpt-4o-mini }\ntasks:\n  - { name: route, prompt: support/route.prompt.yml }\n'
    )
    expect(project.tasks[0]?.config.target).toBeUndefined()
  })
})
