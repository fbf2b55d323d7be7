import { symlink } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { InputError } from '../../src/errors.js'
import { loadProject } from '../../src/config/load-project.js'
import { sha256 } from '../../src/util/hash.js'
import { makeRepo, thrown } from './helpers.js'

const CONFIG = `provider: { type: simulated }
system_prompt: prompts/system.md
tasks:
  - name: triage
    prompt: prompts/triage.md
    data: evals/triage.jsonl
    expected: label
    metric: { type: choice, choices: [billing, bug, other] }
  - name: math
    prompt: prompts/math.md
    data: evals/math.csv
    metric: numeric
    split: { train: 0.5, dev: 0.5, test: 0 }
  - name: facts
    prompt: prompts/facts.md
    data: evals/facts.json
    system_prompt: prompts/facts-system.md
  - name: tone
    prompt: prompts/facts.md
    data: evals/tone.yaml
    metric: { type: judge, rubric: "Polite?" }
`

const TRIAGE = [
  '{"id": "t1", "ticket": "charged twice", "label": "billing"}',
  '',
  '{"id": "t2", "ticket": "app crashes", "label": " Bug"}',
  '{"id": "t3", "ticket": "hello", "label": "other"}',
  '{"id": "t4", "ticket": "refund", "label": "billing"}'
].join('\n')

const FILES: Record<string, string> = {
  'prompt-descent.yml': CONFIG,
  'prompts/system.md': 'You are helpful.',
  'prompts/triage.md': 'Classify: {{ ticket }}',
  'prompts/math.md': 'Solve: {{question}}',
  'prompts/facts.md': 'Q: {{q.text}}',
  'prompts/facts-system.md': 'Be brief.',
  'evals/triage.jsonl': TRIAGE,
  'evals/math.csv': 'question,expected\n"1 + 1, then double",4\n"3\nover lines",3\n2*2,4\n9-1,8\n',
  'evals/facts.json':
    '[\n {"q": {"text": "capital of France"}, "expected": "Paris"},\n {"q": {"text": "2+2"}, "expected": "4"},\n {"q": {"text": "sky"}, "expected": "blue"}\n]',
  'evals/tone.yaml':
    '- q: { text: hi }\n- q: { text: bye }\n  expected: polite\n- q: { text: yo }\n'
}

let cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  await Promise.all(cleanups.map((c) => c()))
  cleanups = []
})

async function repo(overrides: Record<string, string | undefined> = {}): Promise<string> {
  const files: Record<string, string> = {}
  for (const [name, text] of Object.entries({ ...FILES, ...overrides }))
    if (text !== undefined) files[name] = text
  const made = await makeRepo(files)
  cleanups.push(made.cleanup)
  return made.root
}

const load = async (root: string) => loadProject(path.join(root, 'prompt-descent.yml'))

describe('loadProject', () => {
  it('loads every format, prompt and system prompt into examples', async () => {
    const root = await repo()
    const project = await load(root)
    expect(project.root).toBe(root)
    expect(project.configPath).toBe('prompt-descent.yml')
    expect(project.configHash).toBe(sha256(CONFIG))
    expect(project.sharedSystemPrompt).toEqual({
      path: 'prompts/system.md',
      text: 'You are helpful.'
    })
    const [triage, math, facts, tone] = project.tasks
    expect(triage?.prompt.messages.map((m) => [m.role, m.content, m.source.file])).toEqual([
      ['system', 'You are helpful.', 'prompts/system.md'],
      ['user', 'Classify: {{ ticket }}', 'prompts/triage.md']
    ])
    expect(triage?.dataHash).toBe(sha256(TRIAGE))
    expect(triage?.examples.map((e) => [e.id, e.line, e.expected])).toEqual([
      ['t1', 1, 'billing'],
      ['t2', 3, 'bug'],
      ['t3', 4, 'other'],
      ['t4', 5, 'billing']
    ])
    expect(triage?.examples.map((e) => e.split).sort()).toEqual(['dev', 'test', 'train', 'train'])
    expect(math?.examples.map((e) => [e.id, e.line, e.fields.question, e.expected])).toEqual([
      ['1', 2, '1 + 1, then double', '4'],
      ['2', 3, '3\nover lines', '3'],
      ['3', 5, '2*2', '4'],
      ['4', 6, '9-1', '8']
    ])
    expect(math?.examples.filter((e) => e.split === 'test')).toEqual([])
    expect(facts?.prompt.messages[0]).toMatchObject({
      role: 'system',
      content: 'Be brief.',
      source: { file: 'prompts/facts-system.md' }
    })
    expect(facts?.examples.map((e) => e.line)).toEqual([2, 3, 4])
    // A judge metric may go without a reference answer.
    expect(tone?.examples.map((e) => e.expected)).toEqual([undefined, 'polite', undefined])
  })

  it('loads the same project the same way twice', async () => {
    const root = await repo()
    const a = await load(root)
    const b = await load(root)
    expect(b.tasks.map((t) => t.examples)).toEqual(a.tasks.map((t) => t.examples))
  })

  it('reads every file through an injected reader, with root-relative paths', async () => {
    const seen: string[] = []
    const project = await loadProject('/virtual/repo/prompt-descent.yml', {
      readFile: async (p) => {
        seen.push(p)
        const text = FILES[p]
        if (text === undefined) throw Object.assign(new Error('gone'), { code: 'ENOENT' })
        return text
      }
    })
    expect(project.root).toBe(path.resolve('/virtual/repo'))
    expect(new Set(seen)).toEqual(new Set(Object.keys(FILES)))
    expect(seen.filter((p) => p === 'prompts/facts.md')).toHaveLength(1)
  })

  it('applies limit before the split', async () => {
    const rows = Array.from({ length: 30 }, (_, i) => `{"id": ${i}, "ticket": "x", "label": "bug"}`)
    const root = await repo({
      'evals/triage.jsonl': rows.join('\n'),
      'prompt-descent.yml': CONFIG.replace('expected: label', 'expected: label\n    limit: 8')
    })
    const triage = (await load(root)).tasks[0]
    expect(triage?.examples).toHaveLength(8)
    expect(triage?.examples.map((e) => e.split).sort()).toEqual([
      'dev',
      'dev',
      'test',
      'test',
      'train',
      'train',
      'train',
      'train'
    ])
  })
})

describe('loadProject errors', () => {
  it('names the key and path of missing prompt and data files, all at once', async () => {
    const root = await repo({ 'prompts/math.md': undefined, 'evals/facts.json': undefined })
    const error = await thrown(() => load(root))
    expect(error).toBeInstanceOf(InputError)
    expect(error.message).toBe(
      'prompt-descent.yml: 2 problems:\n' +
        '  line 10, tasks[1].prompt: cannot read prompts/math.md: no such file\n' +
        '  line 16, tasks[2].data: cannot read evals/facts.json: no such file'
    )
  })

  it('refuses paths outside the repository, naming the key', async () => {
    const root = await repo({
      'prompt-descent.yml': CONFIG.replace('data: evals/math.csv', 'data: ../../etc/math.csv')
    })
    expect((await thrown(() => load(root))).message).toBe(
      `prompt-descent.yml: line 11, tasks[1].data: "../../etc/math.csv" is outside the repository; expected a path inside ${root}`
    )
  })

  it('refuses a symbolic link that leads outside the repository', async () => {
    const outside = await repo({})
    const root = await repo({ 'prompts/system.md': undefined })
    await symlink(
      path.join(outside, 'prompts', 'system.md'),
      path.join(root, 'prompts', 'system.md')
    )
    expect((await thrown(() => load(root))).message).toBe(
      'prompt-descent.yml: line 2, system_prompt: cannot read prompts/system.md: a symbolic link leads outside the repository; expected a file inside it'
    )
  })

  it('reports an empty dataset', async () => {
    const root = await repo({ 'evals/math.csv': 'question,expected\n' })
    expect((await thrown(() => load(root))).message).toBe(
      'evals/math.csv: the dataset has no rows; expected at least one'
    )
  })

  it('names the prompt, the slot, the row and its fields for a slot with no field', async () => {
    const root = await repo({ 'prompts/triage.md': 'Classify {{ticket}} from {{customer}}' })
    expect((await thrown(() => load(root))).message).toBe(
      'prompts/triage.md: slot {{customer}} has no field in row "t1" (evals/triage.jsonl line 1) (and 3 more rows); the row\'s fields are: id, ticket, label'
    )
  })

  it('rejects a prompt with no slot at all', async () => {
    const root = await repo({ 'prompts/math.md': 'Solve it.' })
    expect((await thrown(() => load(root))).message).toBe(
      "prompts/math.md: the prompt has no {{field}} slot, so every example would send the same text; add one such as {{question}} (the rows' fields: question, expected)"
    )
  })

  it('names the line of a CSV row with the wrong number of columns', async () => {
    const root = await repo({ 'evals/math.csv': 'question,expected\n"a, b",1\nc,2,3\n' })
    expect((await thrown(() => load(root))).message).toBe(
      'evals/math.csv: line 3: expected 2 columns, got 3 (quote a field that contains a comma)'
    )
  })

  it('names a label that is not among the choices, with its line and the choices', async () => {
    const root = await repo({
      'evals/triage.jsonl': TRIAGE.replace('"label": "other"', '"label": "account"')
    })
    expect((await thrown(() => load(root))).message).toBe(
      'evals/triage.jsonl: line 4: label "account" is not among the choices of task triage (billing, bug, other)'
    )
  })

  it('names both lines of a duplicate id', async () => {
    const root = await repo({ 'evals/triage.jsonl': TRIAGE.replace('"id": "t4"', '"id": "t2"') })
    expect((await thrown(() => load(root))).message).toBe(
      'evals/triage.jsonl: line 5: duplicate id "t2" (also on line 3); ids must be unique (field "id", or the row\'s position when it has none)'
    )
  })

  it('names the line of a row without the expected field', async () => {
    const root = await repo({
      'evals/facts.json': '[\n {"q": {"text": "a"}, "expected": "x"},\n {"q": {"text": "b"}}\n]'
    })
    expect((await thrown(() => load(root))).message).toBe(
      'evals/facts.json: line 3: the expected field "expected" is missing (task facts); the row\'s fields are: q'
    )
  })

  it('reports a missing config file and malformed YAML in it', async () => {
    const root = await repo({ 'prompt-descent.yml': 'tasks:\n  - name: [\n' })
    expect((await thrown(() => load(root))).message).toMatch(
      /^prompt-descent\.yml: line \d+, column \d+: invalid YAML: /
    )
    expect((await thrown(() => loadProject(path.join(root, 'other.yml')))).message).toBe(
      'other.yml: cannot read the config file: no such file'
    )
  })
})
