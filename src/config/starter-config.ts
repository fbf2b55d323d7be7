/**
 * What `prompt-descent init` writes: tasks matched from the prompt files and datasets found in a
 * repository (or a starter task), as a commented prompt-descent.yml. Pure: the caller finds the
 * files and writes the result.
 */

/** A prompt template found in the repository. */
export interface FoundPrompt {
  /** Path relative to the config's folder, with `/`. */
  path: string
  /** Its `{{slot}}` names (empty for a system prompt). */
  slots: string[]
  /** `messages`: a YAML/JSON chat-messages file (`messages:`); else one user template. */
  kind?: 'template' | 'messages'
}

/** A GitHub Models prompt file (`*.prompt.yml`) found in the repository. */
export interface FoundPromptFile {
  path: string
  /** The `{{slot}}` names of its messages. */
  slots: string[]
  /** Its `testData` as a dataset (rows, fields, values); 0 rows when it has none. */
  data: FoundDataset
  /** How many `evaluators:` it has (they become the task's checks). */
  evaluators: number
  /** Its `model:`, when it names one. */
  model: string | undefined
}

/** A task over a prompt file: its rows are the file's testData, its checks its evaluators. */
export interface PlannedPromptFileTask {
  name: string
  file: FoundPromptFile
  /** With no evaluators: the testData field the reply is compared with, and how. */
  check: { expected: string; metric: PlannedMetric } | undefined
}

/** A dataset found in the repository. */
export interface FoundDataset {
  path: string
  rows: number
  /** Field names over its first rows, in order of first appearance. */
  fields: string[]
  /** Values of each field over those rows. */
  values: Record<string, unknown[]>
}

export interface PlannedTask {
  name: string
  prompt: FoundPrompt
  data: FoundDataset
  expected: string
  metric: PlannedMetric
}

export type PlannedMetric =
  { type: 'choice'; choices: string[] } | { type: 'numeric' } | { type: 'exact' }

export interface InitPlan {
  tasks: PlannedTask[]
  /** Tasks over GitHub Models prompt files (written after `tasks`). */
  promptFileTasks: PlannedPromptFileTask[]
  /**
   * `github-models` when the repository has only prompt files (they are written for it, and a
   * workflow reaches it with its own token); else an OpenAI-compatible endpoint.
   */
  provider: 'openai' | 'github-models'
  /** The target model: the prompt files' `model:` under GitHub Models. */
  targetModel: string
  systemPrompt: string | undefined
  /** Prompt files no dataset could fill, with why. */
  unmatched: string[]
}

/** The field that holds the answer when one of these names is present, in this order. */
const EXPECTED_NAMES = [
  'expected',
  'label',
  'answer',
  'output',
  'target',
  'gold',
  'category',
  'class'
]
const NOT_EXPECTED = new Set(['id', 'split'])
const SYSTEM_NAMES = /^(system|system[_-]prompt|system\.prompt)\.(md|txt|prompt)$/i

const stem = (path: string): string =>
  (path.split('/').pop() ?? path).replace(/\.(prompt\.)?[^.]+$/i, '').toLowerCase()

const topField = (slot: string): string => slot.split('.')[0] ?? slot

function expectedField(data: FoundDataset, slots: readonly string[]): string | undefined {
  const used = new Set(slots.map(topField))
  const free = data.fields.filter((f) => !used.has(f) && !NOT_EXPECTED.has(f))
  for (const name of EXPECTED_NAMES) {
    const hit = free.find((f) => f.toLowerCase() === name)
    if (hit !== undefined) return hit
  }
  return free[0]
}

/** choice for a few distinct labels, numeric for numbers, else exact. */
function metricFor(values: readonly unknown[]): PlannedMetric {
  const present = values.filter((v) => v !== undefined && v !== null && v !== '')
  if (present.length > 0 && present.every((v) => typeof v === 'number')) return { type: 'numeric' }
  if (present.every((v) => typeof v === 'string')) {
    const labels = [...new Set(present as string[])]
    const fewOfMany = labels.length <= Math.max(2, Math.floor(present.length / 2))
    if (labels.length >= 2 && labels.length <= 12 && fewOfMany && labels.every(isLabel)) {
      return { type: 'choice', choices: labels }
    }
  }
  return { type: 'exact' }
}

const isLabel = (text: string): boolean => text.length <= 40 && !/[\r\n]/.test(text)

function taskName(prompt: FoundPrompt, taken: Set<string>): string {
  const base = stem(prompt.path)
    .replace(/[^A-Za-z0-9_.-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
  let name = base === '' ? 'task' : base
  for (let i = 2; taken.has(name); i++) name = `${base || 'task'}-${i}`
  taken.add(name)
  return name
}

/** The model the config names when no prompt file says one. */
export const STARTER_MODEL = 'gpt-4o-mini'
/** The model GitHub Models runs a prompt file without `model:` on (as discovered-config does). */
const PROMPT_FILE_MODEL = 'openai/gpt-4o-mini'

/**
 * Pairs each prompt template (or messages file) with a dataset whose fields fill every slot and
 * leave one to compare the reply with (a dataset of the same name first). A slot-less file named
 * like `system.md` is the shared system prompt. Each GitHub Models prompt file with `testData` is a
 * task as it stands (its evaluators, or a check planned from its rows when it has none).
 */
export function planTasks(
  prompts: readonly FoundPrompt[],
  datasets: readonly FoundDataset[],
  promptFiles: readonly FoundPromptFile[] = []
): InitPlan {
  const tasks: PlannedTask[] = []
  const unmatched: string[] = []
  const taken = new Set<string>()
  const system = prompts.find(
    (p) => p.slots.length === 0 && SYSTEM_NAMES.test(p.path.split('/').pop() ?? '')
  )
  for (const prompt of prompts) {
    if (prompt.slots.length === 0) continue
    const fits = datasets.filter((d) => {
      const fields = new Set(d.fields)
      return (
        prompt.slots.every((s) => fields.has(topField(s))) &&
        expectedField(d, prompt.slots) !== undefined
      )
    })
    const data = fits.find((d) => stem(d.path) === stem(prompt.path)) ?? fits[0]
    if (!data) {
      unmatched.push(
        `${prompt.path}: no dataset has the fields ${prompt.slots.map(topField).join(', ')} and one more for the answer`
      )
      continue
    }
    const expected = expectedField(data, prompt.slots) as string
    tasks.push({
      name: taskName(prompt, taken),
      prompt,
      data,
      expected,
      metric: metricFor(data.values[expected] ?? [])
    })
  }
  const promptFileTasks: PlannedPromptFileTask[] = []
  for (const file of promptFiles) {
    if (file.data.rows === 0) {
      unmatched.push(
        `${file.path}: has no testData rows to score; add some, or give it a task with a data: file`
      )
      continue
    }
    let check: PlannedPromptFileTask['check']
    if (file.evaluators === 0) {
      const expected = expectedField(file.data, file.slots)
      if (expected === undefined) {
        unmatched.push(
          `${file.path}: has no evaluators, and its testData has no field besides ${file.slots.map(topField).join(', ')} to compare the reply with`
        )
        continue
      }
      check = { expected, metric: metricFor(file.data.values[expected] ?? []) }
    }
    promptFileTasks.push({ name: taskName({ path: file.path, slots: [] }, taken), file, check })
  }
  const onlyPromptFiles = tasks.length === 0 && promptFileTasks.length > 0
  const named = promptFileTasks.find((t) => t.file.model !== undefined)?.file.model
  return {
    tasks,
    promptFileTasks,
    provider: onlyPromptFiles ? 'github-models' : 'openai',
    targetModel: onlyPromptFiles ? (named ?? PROMPT_FILE_MODEL) : STARTER_MODEL,
    systemPrompt: system?.path,
    unmatched
  }
}

/** The starter task's files, written when the repository has no prompt and dataset that fit. */
export const STARTER_FILES = {
  prompt: {
    path: 'prompts/sentiment.md',
    text: `Is the sentiment of this review positive or negative?
Answer with one word inside <answer></answer>.

Review: {{text}}
`
  },
  data: {
    path: 'evals/sentiment.jsonl',
    text:
      [
        {
          id: 'r1',
          text: 'Arrived quickly and works perfectly. Would buy again.',
          label: 'positive'
        },
        {
          id: 'r2',
          text: 'Stopped working after two days and support never answered.',
          label: 'negative'
        },
        { id: 'r3', text: 'Great value for the price, my kids love it.', label: 'positive' }
      ]
        .map((row) => JSON.stringify(row))
        .join('\n') + '\n'
  }
} as const

/** The starter plan: one sentiment task over {@link STARTER_FILES}. */
export function starterPlan(): InitPlan {
  const prompt: FoundPrompt = { path: STARTER_FILES.prompt.path, slots: ['text'] }
  const data: FoundDataset = {
    path: STARTER_FILES.data.path,
    rows: 3,
    fields: ['id', 'text', 'label'],
    values: {}
  }
  return {
    tasks: [
      {
        name: 'sentiment',
        prompt,
        data,
        expected: 'label',
        metric: { type: 'choice', choices: ['positive', 'negative'] }
      }
    ],
    promptFileTasks: [],
    provider: 'openai',
    targetModel: STARTER_MODEL,
    systemPrompt: undefined,
    unmatched: []
  }
}

const RESERVED = /^(true|false|yes|no|on|off|null|~|y|n)$/i

/** A YAML scalar: bare when safe, else double-quoted (JSON strings are valid YAML). */
export function yamlScalar(text: string): string {
  const bare =
    /^[A-Za-z_][A-Za-z0-9_./ -]*$/.test(text) && !RESERVED.test(text) && !/ $|: | #/.test(text)
  return bare ? text : JSON.stringify(text)
}

/** Text safe inside a YAML comment: no line breaks, no control characters. */
function commentText(text: string, max = 100): string {
  const clean = text.replace(/[\p{Cc}\u0085\u2028\u2029]+/gu, ' ').trim()
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean
}

function metricLines(task: { metric: PlannedMetric }): string[] {
  const m = task.metric
  switch (m.type) {
    case 'choice':
      return [
        `    metric: { type: choice, choices: [${m.choices.map(yamlScalar).join(', ')}], score: accuracy }`,
        '    # the label is read from <answer>…</answer>, else the last label the reply names'
      ]
    case 'numeric':
      return [
        '    metric: { type: numeric, tolerance: 0 } # relative: true for a relative tolerance'
      ]
    case 'exact':
      return [
        '    metric: exact # normalised case, spaces and punctuation; also contains, regex, json, judge'
      ]
  }
}

function providerLines(plan: InitPlan): string[] {
  const model = yamlScalar(plan.targetModel)
  switch (plan.provider) {
    case 'github-models':
      return [
        '# Only GitHub Models prompt files (*.prompt.yml) were found, so they run on GitHub Models,',
        '# the service they are written for. A workflow reaches it with its own token (the action,',
        '# with `permissions: models: read`); elsewhere set GITHUB_TOKEN to a token with models',
        '# access (e.g. `gh auth token`). For another endpoint, use type: openai with base_url.',
        'provider:',
        '  type: github-models',
        '# Each prompt file runs on its own model: (with its modelParameters); target is the model',
        '# for a file that names none, and the optimizer and judge by default.',
        'models:',
        `  target: ${model} # ${plan.promptFileTasks.some((t) => t.file.model !== undefined) ? 'the first model: the prompt files name' : 'no prompt file names a model:'}`
      ]
    case 'openai':
      return [
        'provider:',
        '  # Any OpenAI-compatible endpoint: set base_url (or OPENAI_BASE_URL), e.g.',
        '  # http://localhost:11434/v1 for Ollama. `type: simulated` is an offline stand-in (no key).',
        '  api_key_env: OPENAI_API_KEY # the variable that holds the key (never the key itself)',
        'models:',
        `  target: ${model} # the model your application uses`
      ]
  }
}

function promptFileTaskLines(task: PlannedPromptFileTask): string[] {
  const { file } = task
  const rows = `${file.data.rows} testData row(s)`
  const lines = [
    `  - name: ${yamlScalar(task.name)}`,
    `    prompt: ${yamlScalar(file.path)} # a GitHub Models prompt file: its messages, model parameters and response format`,
    `    # no data: key — the file's ${rows} are the dataset`
  ]
  if (task.check === undefined) {
    lines.push(
      `    # no metric: key — the file's ${file.evaluators} evaluator(s) are the checks, scored as gh models eval does`
    )
    return lines
  }
  lines.push(
    `    expected: ${yamlScalar(task.check.expected)} # the file has no evaluators: the testData field the reply is scored against`,
    ...metricLines(task.check)
  )
  return lines
}

/** The commented config for a plan. `found` says what the scan saw, for the header. */
export function starterConfigText(
  plan: InitPlan,
  options: { found: string; reportDir: string }
): string {
  const lines = [
    '# prompt-descent.yml — written by `prompt-descent init`. Every key is described in the README',
    '# (Configuration); paths are relative to this file.',
    `# ${commentText(options.found, 200)}`,
    ...providerLines(plan)
  ]
  if (plan.systemPrompt !== undefined) {
    lines.push(`system_prompt: ${yamlScalar(plan.systemPrompt)} # sent as the system message`)
  }
  lines.push('tasks:')
  for (const task of plan.tasks) {
    const fields = commentText(task.data.fields.join(', '))
    lines.push(
      `  - name: ${yamlScalar(task.name)}`,
      `    prompt: ${yamlScalar(task.prompt.path)} # slots: ${commentText(task.prompt.slots.join(', '))}`,
      `    data: ${yamlScalar(task.data.path)} # ${task.data.rows} row(s); fields: ${fields}`,
      `    expected: ${yamlScalar(task.expected)} # the field the reply is scored against`,
      ...metricLines(task)
    )
  }
  for (const task of plan.promptFileTasks) lines.push(...promptFileTaskLines(task))
  lines.push(
    '# A hard cap per run (also --max-usd); a dollar cap needs a price for every model used',
    '# (provider.prices for models the built-in table does not know).',
    'budget: { usd: 2 }',
    '# With no gate: section, compare and the action fail on a drop that is significant at 95%',
    '# confidence. Set thresholds instead, or `gate: {}` to never fail:',
    '# gate: { min_score: 0.8, max_drop: 0.02, confidence: 0.95, new_tasks: warn }',
    `# Reports: prompt-descent eval --markdown ${options.reportDir}/report.md --json ${options.reportDir}/report.json`
  )
  return `${lines.join('\n')}\n`
}
