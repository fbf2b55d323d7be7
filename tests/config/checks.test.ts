import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadProject } from '../../src/config/load-project.js'
import { parseConfig } from '../../src/config/parse-config.js'
import { makeRepo, thrown } from './helpers.js'

const FILE = 'prompt-descent.yml'

function config(task: string): string {
  return `models:
  target: { model: gpt-4o-mini }
tasks:
  - name: support
    prompt: prompts/support.md
    data: evals/support.jsonl
${task}`
}

describe('tasks[].checks', () => {
  it('normalises each check with its metric, weight, negation, value and a unique name', () => {
    const parsed = parseConfig(
      config(`    pass: all
    checks:
      - contains
      - { type: contains, value: "{{vendor}}", weight: 2 }
      - { type: regex, pattern: "sorry", flags: i, not: true, name: no_apology }
      - { type: judge, rubric: Polite?, pass_at: 4, not: true }
`),
      FILE
    )
    const task = parsed.tasks[0]
    expect(task?.checks).toEqual({
      pass: 'all',
      checks: [
        {
          name: 'contains-1',
          weight: 1,
          not: false,
          value: undefined,
          metric: { type: 'contains', caseSensitive: false }
        },
        {
          name: 'contains-2',
          weight: 2,
          not: false,
          value: '{{vendor}}',
          metric: { type: 'contains', caseSensitive: false }
        },
        {
          name: 'no_apology',
          weight: 1,
          not: true,
          value: undefined,
          metric: { type: 'regex', pattern: 'sorry', flags: 'i' }
        },
        {
          name: 'judge',
          weight: 1,
          not: true,
          value: undefined,
          metric: { type: 'judge', rubric: 'Polite?', scale: 5, passAt: 4 }
        }
      ]
    })
  })

  it('leaves a task with metric: (or none) exactly as before: no checks, pass mean', () => {
    const parsed = parseConfig(config('    metric: numeric\n'), FILE)
    expect(parsed.tasks[0]?.metric).toEqual({ type: 'numeric', tolerance: 0, relative: false })
    expect(parsed.tasks[0]).not.toHaveProperty('checks')
    expect(parseConfig(config(''), FILE).tasks[0]?.metric).toEqual({ type: 'exact' })
    const meanByDefault = parseConfig(config('    checks: [exact]\n'), FILE)
    expect(meanByDefault.tasks[0]?.checks?.pass).toBe('mean')
  })
})

describe('tasks[].checks errors (file, line and key named)', () => {
  const message = (task: string) => {
    try {
      parseConfig(config(task), FILE)
    } catch (error) {
      return (error as Error).message
    }
    throw new Error('expected an error')
  }

  it('rejects an empty list', () => {
    expect(message('    checks: []\n')).toBe(
      'prompt-descent.yml: line 7, tasks[0].checks: expected a list of at least one check (or drop `checks:`), got a list of 0'
    )
  })

  it('rejects a weight of 0 or below', () => {
    expect(message('    checks:\n      - { type: exact, weight: 0 }\n')).toBe(
      'prompt-descent.yml: line 8, tasks[0].checks[0].weight: expected a weight > 0, got 0'
    )
    expect(message('    checks:\n      - { type: exact, weight: -1 }\n')).toContain(
      'tasks[0].checks[0].weight: expected a weight > 0, got -1'
    )
  })

  it('rejects not on a judge with no pass_at', () => {
    expect(message('    checks:\n      - { type: judge, rubric: Kind?, not: true }\n')).toBe(
      'prompt-descent.yml: line 8, tasks[0].checks[0].not: expected `pass_at` on a judge check with `not: true` (a judge check passes or fails only against a pass threshold)'
    )
  })

  it('rejects checks and metric together', () => {
    expect(message('    metric: exact\n    checks: [contains]\n')).toBe(
      'prompt-descent.yml: line 8, tasks[0].checks: expected either `metric:` (one check) or `checks:` (several), not both; move the metric into the checks'
    )
  })

  it('rejects unknown check keys, suggesting the one meant', () => {
    expect(message('    checks:\n      - { type: contains, wieght: 2 }\n')).toBe(
      'prompt-descent.yml: line 8, tasks[0].checks[0].wieght: unknown key; did you mean weight?'
    )
    expect(message('    checks:\n      - { type: exact, pattern: x }\n')).toContain(
      'tasks[0].checks[0].pattern: unknown key (allowed here: type, name, weight, not, value)'
    )
    expect(message('    checks:\n      - { type: nearly }\n')).toContain(
      'tasks[0].checks[0].type: expected one of exact, contains, choice, regex, numeric, json, json_schema, judge, got "nearly"'
    )
  })

  it('rejects macro-F1 with not or pass: all, a value on regex, pass without checks, twin names', () => {
    const choice = '{ type: choice, choices: [a, b], score: macro_f1'
    expect(message(`    pass: all\n    checks:\n      - ${choice} }\n`)).toContain(
      'line 9, tasks[0].checks[0].score: expected score: accuracy with `pass: all`'
    )
    expect(message(`    checks:\n      - ${choice}, not: true }\n`)).toContain(
      'line 8, tasks[0].checks[0].not: expected no `not` on a macro_f1 check'
    )
    expect(message('    checks:\n      - { type: regex, pattern: x, value: y }\n')).toContain(
      'tasks[0].checks[0].value: expected no `value` on a regex check'
    )
    expect(message('    pass: all\n')).toContain(
      'tasks[0].pass: expected `pass:` only with `checks:`'
    )
    expect(
      message(
        '    checks:\n      - { type: exact, name: a }\n      - { type: contains, name: a }\n'
      )
    ).toContain(
      `line 9, tasks[0].checks[1].name: expected a unique check name, but "a" is also checks[0]'s`
    )
  })
})

describe('check values against the data', () => {
  let cleanup: (() => Promise<void>) | undefined
  afterEach(async () => {
    await cleanup?.()
    cleanup = undefined
  })

  async function load(checks: string, rows: string[]) {
    const made = await makeRepo({
      'prompt-descent.yml': `provider: { type: simulated }
tasks:
  - name: support
    prompt: prompts/support.md
    data: evals/support.jsonl
    checks:
${checks}`,
      'prompts/support.md': 'Answer: {{question}}',
      'evals/support.jsonl': rows.join('\n')
    })
    cleanup = made.cleanup
    return loadProject(path.join(made.root, 'prompt-descent.yml'))
  }

  it('needs no expected field when every check brings its own value or ignores it', async () => {
    const project = await load(
      '      - { type: contains, value: "{{vendor}}" }\n      - { type: regex, pattern: "^Dear" }\n',
      ['{"id": "a", "question": "q1", "vendor": "Acme"}']
    )
    expect(project.tasks[0]?.examples[0]?.expected).toBeUndefined()
  })

  it('names the config key, the slot, the row and its fields when a value slot has no field', async () => {
    const error = await thrown(() =>
      load('      - exact\n      - { type: contains, value: "by {{vendor}}" }\n', [
        '{"id": "a", "question": "q1", "expected": "x", "vendor": "Acme"}',
        '{"id": "b", "question": "q2", "expected": "y"}',
        '{"id": "c", "question": "q3", "expected": "z"}'
      ])
    )
    expect(error.message).toBe(
      'prompt-descent.yml: line 8, tasks[0].checks[1].value: slot {{vendor}} has no field in row "b" (evals/support.jsonl line 2) (and 1 more row); the row\'s fields are: id, question, expected'
    )
  })

  it('still needs the expected field for a check that reads it', async () => {
    const error = await thrown(() =>
      load('      - exact\n      - { type: contains, value: "{{vendor}}" }\n', [
        '{"id": "a", "question": "q1", "vendor": "Acme"}'
      ])
    )
    expect(error.message).toContain('the expected field "expected" is missing (task support)')
  })
})
