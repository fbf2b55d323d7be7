import { describe, expect, it } from 'vitest'
import { InputError } from '../../src/errors.js'
import { InputIssuesError } from '../../src/config/issues.js'
import { loadConfigText, parseConfig } from '../../src/config/parse-config.js'
import { thrown } from './helpers.js'

const FILE = 'prompt-descent.yml'
const minimal = `models:
  target: { model: gpt-4o-mini }
tasks:
  - name: triage
    prompt: prompts/triage.md
    data: evals/triage.jsonl
`

describe('parseConfig defaults', () => {
  it('fills every default for a minimal file', () => {
    const config = parseConfig(minimal, FILE)
    expect(config.provider).toEqual({
      type: 'openai',
      baseUrl: undefined,
      apiKeyEnv: 'OPENAI_API_KEY',
      concurrency: 8,
      requestsPerMinute: undefined,
      tokensPerMinute: undefined,
      timeoutMs: 60000,
      maxResponseBytes: 4194304,
      maxRetries: 4,
      prices: {},
      headers: {},
      apiVersion: undefined
    })
    expect(config.models).toEqual({
      target: { model: 'gpt-4o-mini', temperature: 0, maxTokens: undefined },
      optimizer: { model: 'gpt-4o-mini', temperature: 1, maxTokens: undefined },
      judge: { model: 'gpt-4o-mini', temperature: 0, maxTokens: undefined }
    })
    expect(config.tasks[0]).toEqual({
      name: 'triage',
      prompt: 'prompts/triage.md',
      data: 'evals/triage.jsonl',
      expected: 'expected',
      idField: 'id',
      extract: { type: 'raw' },
      metric: { type: 'exact' },
      split: { train: 0.5, dev: 0.25, test: 0.25, seed: 0, field: undefined },
      systemPrompt: undefined,
      limit: undefined
    })
    // No gate: section → the default gate: fail on a drop significant at 95%.
    expect(config.gate).toEqual({
      source: 'default',
      minScore: undefined,
      maxDrop: 0,
      confidence: 0.95,
      newTasks: 'warn',
      sequential: true,
      firstLook: 50,
      lookEvery: 25
    })
    expect(config.budget).toEqual({
      usd: undefined,
      tokens: undefined,
      calls: undefined,
      minutes: undefined
    })
    expect(config.optimize.method).toBe('apo')
    expect(config.optimize.seed).toBe(0)
    expect(config.optimize.apo).toEqual({
      rounds: 6,
      beam: 4,
      minibatch: 64,
      errorGroups: 4,
      errorsPerGroup: 4,
      paraphrases: 2,
      successorsPerParent: 8,
      bandit: 'ucb',
      selectionBudget: 1024,
      explorationC: 2,
      pullSize: 4,
      settle: 0.5,
      target: 'user'
    })
    expect(config.optimize.metaspo).toEqual({
      iterations: 3,
      userCandidates: 3,
      userTopK: 3,
      systemCandidates: 9,
      examplesPerTask: 2,
      holdout: [],
      racing: true
    })
    expect(config.cache).toEqual({ enabled: true, dir: '.prompt-descent/cache' })
    expect(config.seed).toBe(0)
    expect(config.systemPrompt).toBeUndefined()
  })

  it('chains model defaults: judge ← optimizer ← target', () => {
    const config = parseConfig(
      minimal.replace(
        'target: { model: gpt-4o-mini }',
        'target: { model: a }\n  optimizer: { model: b, temperature: 0.7 }'
      ),
      FILE
    )
    expect(config.models.optimizer).toEqual({ model: 'b', temperature: 0.7, maxTokens: undefined })
    expect(config.models.judge.model).toBe('b')
  })

  it('accepts a bare model name for a role', () => {
    const config = parseConfig(
      minimal.replace('target: { model: gpt-4o-mini }', 'target: gpt-4o-mini\n  judge: gpt-4o'),
      FILE
    )
    expect(config.models.target).toEqual({
      model: 'gpt-4o-mini',
      temperature: 0,
      maxTokens: undefined
    })
    expect(config.models.judge.model).toBe('gpt-4o')
  })

  it('needs no model names for the simulated provider', () => {
    const config = parseConfig(
      'provider: { type: simulated }\ntasks: [{ name: t, prompt: p.md, data: d.csv }]\n',
      FILE
    )
    expect(config.models.target.model).toBe('sim-target')
    expect(config.models.optimizer.model).toBe('sim-optimizer')
    expect(config.models.judge.model).toBe('sim-judge')
  })

  it('maps snake_case to camelCase and takes seeds from the top-level seed', () => {
    const config = parseConfig(
      `seed: 7
provider: { base_url: "http://127.0.0.1:8080/v1", api_key_env: MY_KEY, concurrency: 2, requests_per_minute: 60, tokens_per_minute: 1000, timeout_ms: 500, max_response_bytes: 65536, max_retries: 0, prices: { m: { input: 0.15, output: 0.6 } }, headers: { X-Title: demo }, api_version: "2024-10-21" }
models: { target: { model: m, max_tokens: 100 } }
system_prompt: prompts/system.md
tasks:
  - name: t
    prompt: p.md
    data: d.yaml
    expected: label
    id_field: key
    extract: { type: tag, tag: label }
    metric: { type: choice, choices: [a, b], score: macro_f1 }
    split: { train: 0.6, dev: 0.2, test: 0.2 }
    limit: 10
    system_prompt: prompts/t-system.md
budget: { usd: 5, tokens: 100000, calls: 500, minutes: 30 }
gate: { min_score: 0.8, max_drop: 0.02, confidence: 0.9 }
optimize: { method: metaspo, apo: { bandit: successive-halving, target: system }, metaspo: { holdout: [] , racing: false } }
cache: { enabled: false, dir: tmp/cache }
`,
      FILE
    )
    expect(config.seed).toBe(7)
    expect(config.optimize.seed).toBe(7)
    expect(config.tasks[0]?.split.seed).toBe(7)
    expect(config.provider).toMatchObject({
      baseUrl: 'http://127.0.0.1:8080/v1',
      apiKeyEnv: 'MY_KEY',
      requestsPerMinute: 60,
      tokensPerMinute: 1000,
      timeoutMs: 500,
      maxResponseBytes: 65536,
      maxRetries: 0,
      prices: { m: { input: 0.15, output: 0.6 } },
      headers: { 'X-Title': 'demo' },
      apiVersion: '2024-10-21'
    })
    expect(config.models.target.maxTokens).toBe(100)
    expect(config.tasks[0]).toMatchObject({
      expected: 'label',
      idField: 'key',
      extract: { type: 'tag', tag: 'label' },
      metric: { type: 'choice', choices: ['a', 'b'], score: 'macro_f1' },
      split: { train: 0.6, dev: 0.2, test: 0.2 },
      limit: 10,
      systemPrompt: 'prompts/t-system.md'
    })
    expect(config.budget).toEqual({ usd: 5, tokens: 100000, calls: 500, minutes: 30 })
    expect(config.gate).toEqual({
      source: 'config',
      minScore: 0.8,
      maxDrop: 0.02,
      confidence: 0.9,
      newTasks: 'warn',
      sequential: true,
      firstLook: 50,
      lookEvery: 25
    })
    expect(config.optimize.method).toBe('metaspo')
    expect(config.optimize.apo.bandit).toBe('successive-halving')
    expect(config.optimize.apo.target).toBe('system')
    expect(config.optimize.metaspo.racing).toBe(false)
    expect(config.cache).toEqual({ enabled: false, dir: 'tmp/cache' })
  })

  it('accepts `metric: exact` and `extract: last-line` shorthands and fills per-type defaults', () => {
    const config = parseConfig(
      `provider: { type: simulated }
tasks:
  - { name: a, prompt: p.md, data: d.jsonl, metric: contains, extract: last-line }
  - { name: b, prompt: p.md, data: d.jsonl, metric: { type: numeric }, extract: { type: regex, pattern: "answer: (\\\\d+)" } }
  - { name: c, prompt: p.md, data: d.jsonl, metric: { type: judge, rubric: "Is it polite?" }, extract: tag }
  - { name: d, prompt: p.md, data: d.jsonl, metric: { type: regex, pattern: "^ok" }, extract: { type: regex, pattern: "\\\\d+" } }
`,
      FILE
    )
    const [a, b, c, d] = config.tasks
    expect(a?.metric).toEqual({ type: 'contains', caseSensitive: false })
    expect(a?.extract).toEqual({ type: 'last-line' })
    expect(b?.metric).toEqual({ type: 'numeric', tolerance: 0, relative: false })
    expect(b?.extract).toEqual({ type: 'regex', pattern: 'answer: (\\d+)', group: 1 })
    expect(c?.metric).toEqual({
      type: 'judge',
      rubric: 'Is it polite?',
      scale: 5,
      passAt: undefined
    })
    expect(c?.extract).toEqual({ type: 'tag', tag: 'answer' })
    expect(d?.metric).toEqual({ type: 'regex', pattern: '^ok', flags: '' })
    expect(d?.extract).toEqual({ type: 'regex', pattern: '\\d+', group: 0 })
  })

  it('reads numeric labels as strings', () => {
    const config = parseConfig(
      minimal.replace(
        'data: evals/triage.jsonl',
        'data: evals/triage.jsonl\n    metric: { type: choice, choices: [0, 1, true] }'
      ),
      FILE
    )
    expect(config.tasks[0]?.metric).toEqual({
      type: 'choice',
      choices: ['0', '1', 'true'],
      score: 'accuracy'
    })
  })

  it('ignores a byte-order mark but hashes the text as read', () => {
    const parsed = loadConfigText(`\uFEFF${minimal}`, FILE)
    expect(parsed.config.tasks[0]?.name).toBe('triage')
    expect(parsed.configHash).not.toBe(loadConfigText(minimal, FILE).configHash)
  })

  it('reads omitted split fractions as 0 once one is given', () => {
    const config = parseConfig(
      minimal.replace(
        'data: evals/triage.jsonl',
        'data: evals/triage.jsonl\n    split: { test: 1 }'
      ),
      FILE
    )
    expect(config.tasks[0]?.split).toMatchObject({ train: 0, dev: 0, test: 1 })
  })
})

describe('parseConfig errors', () => {
  it('reports malformed YAML with its line and column', async () => {
    const error = await thrown(() =>
      parseConfig('tasks:\n  - name: a\n    prompt: [x, y\nseed: 1\n', FILE)
    )
    expect(error).toBeInstanceOf(InputError)
    expect(error.message).toMatch(/^prompt-descent\.yml: line 4, column 1: invalid YAML: /)
  })

  it('reports a duplicate key as malformed YAML', async () => {
    const error = await thrown(() => parseConfig(`${minimal}seed: 1\nseed: 2\n`, FILE))
    expect(error.message).toMatch(/line 8, column 1: invalid YAML: Map keys must be unique/)
  })

  it('names an unknown key with its path, line and a suggestion', async () => {
    const text = minimal.replace(
      'target: { model: gpt-4o-mini }',
      'target: { model: gpt-4o-mini }\n  optimiser: { model: x }'
    )
    const error = await thrown(() => parseConfig(text, FILE))
    expect(error.message).toBe(
      'prompt-descent.yml: line 3, models.optimiser: unknown key; did you mean optimizer?'
    )
  })

  it('lists allowed keys when it has no guess, and points a misplaced key to its home', async () => {
    const error = await thrown(() =>
      parseConfig(
        `${minimal.replace('{ model: gpt-4o-mini }', '{ model: m, temprature: 0 }')}optimize:\n  rounds: 3\ngate:\n  zzz: 1\n`,
        FILE
      )
    )
    expect(error.message).toContain(
      'line 2, models.target.temprature: unknown key; did you mean temperature?'
    )
    expect(error.message).toContain(
      'line 8, optimize.rounds: unknown key; did you mean apo.rounds?'
    )
    expect(error.message).toContain(
      'line 10, gate.zzz: unknown key (allowed here: min_score, max_drop, confidence, new_tasks, sequential, first_look, look_every)'
    )
  })

  it('collects every problem, one per line, in file order', async () => {
    const text = `provider:
  type: azure
  concurrency: 0
models:
  target: { model: m, temperature: 3 }
tasks:
  - name: a
    prompt: p.md
    data: d.txt
  - name: b
    prompt: p.md
    data: d.jsonl
    metric: { type: choice, choices: [only] }
gate: { confidence: 1 }
`
    const error = await thrown(() => parseConfig(text, FILE))
    expect(error).toBeInstanceOf(InputIssuesError)
    expect(error.message.split('\n')).toEqual([
      'prompt-descent.yml: 6 problems:',
      '  line 2, provider.type: expected one of openai, github-models, simulated, got "azure"',
      '  line 3, provider.concurrency: expected a number >= 1, got 0',
      '  line 5, models.target.temperature: expected a number <= 2, got 3',
      '  line 9, tasks[0].data: expected a dataset file ending in .jsonl, .json, .csv, .yaml, .yml',
      '  line 13, tasks[1].metric.choices: expected a list of at least 2 labels, got a list of 1',
      '  line 14, gate.confidence: expected a number < 1, got 1'
    ])
    const issues = (error as InputIssuesError).issues
    expect(issues.map((i) => i.line)).toEqual([2, 3, 5, 9, 13, 14])
    expect(issues[4]?.path).toBe('tasks[1].metric.choices')
  })

  it('checks the selection settings of APO: pull size and settle share', async () => {
    const text = `${minimal}optimize:\n  apo: { pull_size: 0, settle: 1.5 }\n`
    const error = await thrown(() => parseConfig(text, FILE))
    expect(error.message.split('\n')).toEqual([
      'prompt-descent.yml: 2 problems:',
      '  line 8, optimize.apo.pull_size: expected a number >= 1, got 0',
      '  line 8, optimize.apo.settle: expected a number <= 1, got 1.5'
    ])
    const ok = parseConfig(`${minimal}optimize:\n  apo: { pull_size: 8, settle: 0 }\n`, FILE)
    expect(ok.optimize.apo).toMatchObject({ pullSize: 8, settle: 0 })
  })

  it('names a missing required key with the line of its mapping', async () => {
    const error = await thrown(() => parseConfig('tasks:\n  - name: a\n    data: d.csv\n', FILE))
    expect(error.message).toBe(
      'prompt-descent.yml: line 2, tasks[0].prompt: required: expected a string'
    )
  })

  it('requires a target model for the openai provider', async () => {
    const error = await thrown(() =>
      parseConfig('tasks: [{ name: a, prompt: p.md, data: d.csv }]\n', FILE)
    )
    expect(error.message).toBe(
      'prompt-descent.yml: models.target.model: required: expected the name of the model your application uses (e.g. gpt-4o-mini)'
    )
  })

  it('checks keys that span the file: unique names, split sums, holdout, labels, regex groups', async () => {
    const text = `provider: { type: simulated }
tasks:
  - name: a
    prompt: p.md
    data: d.jsonl
    split: { train: 0.5, dev: 0.3 }
  - name: a
    prompt: p.md
    data: d.jsonl
    metric: { type: choice, choices: [Yes, " yes", no] }
    extract: { type: regex, pattern: "(a)(b)", group: 3 }
optimize:
  method: metaspo
  metaspo: { holdout: [zzz] }
`
    const error = await thrown(() => parseConfig(text, FILE))
    const lines = error.message.split('\n')
    expect(lines[0]).toBe('prompt-descent.yml: 5 problems:')
    expect(lines).toContain(
      '  line 6, tasks[0].split: expected train + dev + test to sum to 1, got 0.8 (omitted fractions count as 0)'
    )
    expect(lines).toContain(
      '  line 7, tasks[1].name: duplicate task name "a" (also tasks[0].name); names must be unique'
    )
    expect(lines).toContain(
      '  line 10, tasks[1].metric.choices[1]: duplicate label " yes" (same as choices[0] ignoring case and spaces)'
    )
    expect(lines).toContain(
      '  line 11, tasks[1].extract.group: expected a group number <= 2 (the pattern has 2 capture group(s)), got 3'
    )
    expect(lines).toContain(
      '  line 14, optimize.metaspo.holdout[0]: no task is named "zzz" (tasks: a)'
    )
  })

  it('keeps at least one task out of the MetaSPO holdout', async () => {
    const text = `provider: { type: simulated }
tasks: [{ name: a, prompt: p.md, data: d.jsonl }]
optimize: { method: metaspo, metaspo: { holdout: [a] } }
`
    expect((await thrown(() => parseConfig(text, FILE))).message).toBe(
      'prompt-descent.yml: line 3, optimize.metaspo.holdout: expected at least one task left for meta-training, but every task is held out'
    )
  })

  it('names an unknown metric type written as shorthand', async () => {
    const error = await thrown(() =>
      parseConfig(
        minimal.replace('data: evals/triage.jsonl', 'data: evals/triage.jsonl\n    metric: f1'),
        FILE
      )
    )
    expect(error.message).toBe(
      'prompt-descent.yml: line 7, tasks[0].metric.type: expected one of exact, contains, choice, regex, numeric, json, json_schema, judge, got "f1"'
    )
  })

  it('rejects an invalid regular expression', async () => {
    const error = await thrown(() =>
      parseConfig(
        minimal.replace(
          'data: evals/triage.jsonl',
          'data: evals/triage.jsonl\n    metric: { type: regex, pattern: "(" }'
        ),
        FILE
      )
    )
    expect(error.message).toContain(
      'line 7, tasks[0].metric.pattern: expected a valid regular expression (JavaScript syntax)'
    )
  })

  it('never repeats a value written under api_key_env', async () => {
    const secret = 'sk-proj-abcdefghijklmnop'
    const error = await thrown(() =>
      parseConfig(`provider: { api_key_env: ${secret} }\n${minimal}`, FILE)
    )
    expect(error.message).toContain(
      'line 1, provider.api_key_env: expected the NAME of an environment variable'
    )
    expect(error.message).not.toContain(secret)
  })

  it('rejects a file that is not a mapping, and an empty task list', async () => {
    expect((await thrown(() => parseConfig('- a\n', FILE))).message).toBe(
      'prompt-descent.yml: line 1: expected a mapping of settings at the top of the file (provider, models, tasks…)'
    )
    expect(
      (await thrown(() => parseConfig('provider: { type: simulated }\ntasks: []\n', FILE))).message
    ).toBe(
      'prompt-descent.yml: line 2, tasks: expected a list of at least one task, got a list of 0'
    )
  })

  it('hashes the text and maps key paths to lines', () => {
    const parsed = loadConfigText(minimal, FILE)
    expect(parsed.configHash).toMatch(/^[0-9a-f]{64}$/)
    expect(parsed.lineOf(['tasks', 0, 'data'])).toBe(6)
    expect(parsed.lineOf(['tasks', 0, 'metric'])).toBe(4)
    expect(parsed.lineOf(['nothing'])).toBeUndefined()
  })
})
