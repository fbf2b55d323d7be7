/**
 * MetaSPO's Amazon review domain (../shared/data/metaspo/amazon) as a temporary multi-task
 * prompt-descent repository pointed at the fake server, and a deterministic stand-in target.
 *
 * Each task's file is `{"train": [...], "test": [...]}` with items `{"question": "title: …\ntext: …",
 * "answer": 1..5}`; split_indices.json lists the 50 train and 500 test indices MetaSPO's seeded
 * shuffle picks, used here as they are. The rows are written (only to the temp directory) as one
 * JSONL dataset per task with an explicit `split` field.
 */
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'
import type { ChatMessage } from '../../src/llm/chat-model.js'
import { DEFAULT_META_SYSTEM_PROMPT } from '../../src/optimize/metaspo/types.js'
import { traitsAddressedBy } from '../../src/simulate/index.js'
import { lastUser, systemOf, wordingFlip, type BenchProvider } from './fake-provider.js'
import { sharedData } from './paths.js'

export const AMAZON_DIR = sharedData('metaspo/amazon')
export const AMAZON_SOURCE = ['beauty', 'game', 'baby', 'office'] as const
export const AMAZON_UNSEEN = ['electronics', 'pet', 'sports'] as const

interface AmazonItem {
  question: string
  answer: number
}

export interface AmazonTaskData {
  name: string
  train: AmazonItem[]
  test: AmazonItem[]
  /** Rows in the file before the split indices picked from it. */
  available: { train: number; test: number }
}

/** The seven tasks with MetaSPO's split applied, or undefined when the shared data is absent. */
export async function loadAmazon(): Promise<AmazonTaskData[] | undefined> {
  const names = [...AMAZON_SOURCE, ...AMAZON_UNSEEN]
  const indexFile = join(AMAZON_DIR, 'split_indices.json')
  if (!existsSync(indexFile) || !names.every((n) => existsSync(join(AMAZON_DIR, `${n}.json`))))
    return undefined
  const indices = JSON.parse(await readFile(indexFile, 'utf8')) as {
    tasks: Record<string, { train50: number[]; test500: number[] }>
  }
  return Promise.all(
    names.map(async (name) => {
      const file = JSON.parse(await readFile(join(AMAZON_DIR, `${name}.json`), 'utf8')) as {
        train: AmazonItem[]
        test: AmazonItem[]
      }
      const picks = indices.tasks[name]
      if (!picks) throw new Error(`split_indices.json has no entry for ${name}`)
      const pick = (items: AmazonItem[], at: number[]): AmazonItem[] =>
        at.map((i) => {
          const item = items[i]
          if (!item) throw new Error(`${name}: index ${i} is out of range`)
          return item
        })
      return {
        name,
        train: pick(file.train, picks.train50),
        test: pick(file.test, picks.test500),
        available: { train: file.train.length, test: file.test.length }
      }
    })
  )
}

const DOMAIN: Record<string, string> = {
  beauty: 'beauty',
  game: 'video game',
  baby: 'baby',
  office: 'office',
  electronics: 'electronics',
  pet: 'pet supplies',
  sports: 'sports and outdoors'
}

/** Our own starting user prompt for a task. */
export function amazonPrompt(task: string): string {
  return [
    `Predict the star rating (1 to 5) that the writer of this ${DOMAIN[task] ?? task} product review gave.`,
    '',
    '{{question}}',
    '',
    'Give the rating as a single digit inside <answer></answer> tags.'
  ].join('\n')
}

export interface AmazonRepo {
  root: string
  configPath: string
  /** Rows written per task and split. */
  sizes: Record<string, { train: number; test: number }>
  datasetBytes: number
  remove(): Promise<void>
}

/**
 * Writes the repository: a shared system prompt file (MetaSPO's default), one prompt and one JSONL
 * dataset per task, the unseen tasks held out. `testLimit` keeps the first N of the 500 test rows.
 */
export async function writeAmazonRepo(
  tasks: readonly AmazonTaskData[],
  provider: BenchProvider,
  options: { seed: number; testLimit?: number; metaspo?: Record<string, unknown> }
): Promise<AmazonRepo> {
  const root = await mkdtemp(join(tmpdir(), 'pd-bench-amazon-'))
  await mkdir(join(root, 'prompts'), { recursive: true })
  await mkdir(join(root, 'evals'), { recursive: true })
  await writeFile(join(root, 'prompts/system.md'), `${DEFAULT_META_SYSTEM_PROMPT}\n`, 'utf8')
  const sizes: AmazonRepo['sizes'] = {}
  let datasetBytes = 0
  for (const task of tasks) {
    const test = task.test.slice(0, options.testLimit ?? task.test.length)
    const rows = [
      ...task.train.map((r, i) => ({ id: `train-${i + 1}`, ...r, split: 'train' })),
      ...test.map((r, i) => ({ id: `test-${i + 1}`, ...r, split: 'test' }))
    ]
    const text = rows.map((r) => JSON.stringify(r)).join('\n') + '\n'
    datasetBytes += Buffer.byteLength(text)
    sizes[task.name] = { train: task.train.length, test: test.length }
    await writeFile(join(root, `prompts/${task.name}.md`), `${amazonPrompt(task.name)}\n`, 'utf8')
    await writeFile(join(root, `evals/${task.name}.jsonl`), text, 'utf8')
  }
  const config = {
    ...provider.config,
    system_prompt: 'prompts/system.md',
    seed: options.seed,
    tasks: tasks.map((t) => ({
      name: t.name,
      prompt: `prompts/${t.name}.md`,
      data: `evals/${t.name}.jsonl`,
      expected: 'answer',
      extract: { type: 'tag', tag: 'answer' },
      metric: { type: 'choice', choices: ['1', '2', '3', '4', '5'], score: 'accuracy' },
      split: { field: 'split' }
    })),
    optimize: {
      method: 'metaspo',
      metaspo: { holdout: [...AMAZON_UNSEEN], ...options.metaspo }
    },
    cache: { enabled: false }
  }
  await writeFile(join(root, 'prompt-descent.yml'), stringify(config), 'utf8')
  return {
    root,
    configPath: join(root, 'prompt-descent.yml'),
    sizes,
    datasetBytes,
    remove: () => rm(root, { recursive: true, force: true })
  }
}

const POSITIVE =
  /\b(great|love[sd]?|excellent|perfect|awesome|good|nice|happy|best|recommend(ed)?|works?|easy|fantastic|amazing|wonderful|favorite|sturdy|beautiful)\b/gi
const NEGATIVE =
  /\b(bad|poor|broke|broken|terrible|waste|return(ed)?|disappoint(ed|ing)?|cheap|worst|awful|junk|useless|horrible|stopped|refund|flimsy|defective)\b/gi
const NEGATED_POSITIVE =
  /\b(not|never|no|hardly)\s+(very\s+)?(great|good|happy|worth|easy|sturdy)\b|n't\s+(work|recommend|like|love)\b/gi
const MIXED = /\b(but|however|although|okay|ok|decent|fine|average)\b/i

/**
 * A keyword reader of reviews standing in for the target model: positive minus negative words,
 * mapped to 1–5 stars. By default it reads the title and the first sentence of the text; the
 * instructions it is given (system and user prompt, not the review) switch on more: reading the
 * whole review, treating negated praise as criticism, weighing words in capitals twice, and pulling
 * mixed reviews toward the middle. Sensitive to wording like a model: for a seeded 10% of
 * (instructions, review) pairs it is one star off. No claim about accuracy on the data.
 */
export function amazonTarget(messages: readonly ChatMessage[]): string {
  const user = lastUser(messages)
  const lines = user.split('\n')
  const isReview = (l: string) => /^(title|text):/i.test(l)
  const title = (lines.find((l) => /^title:/i.test(l)) ?? '').slice(6)
  const body = (lines.find((l) => /^text:/i.test(l)) ?? user).slice(5)
  const instructions = [systemOf(messages), ...lines.filter((l) => !isReview(l))].join('\n')
  const on = new Set(traitsAddressedBy(instructions))
  const read = on.has('update') ? body : (body.split(/(?<=[.!?])\s/)[0] ?? body)
  const text = `${title}. ${read}`
  const count = (re: RegExp, t: string) => t.match(re)?.length ?? 0
  let score = count(POSITIVE, text) - count(NEGATIVE, text)
  if (on.has('negation')) score -= 2 * count(NEGATED_POSITIVE, text)
  if (on.has('caps')) {
    const loud = text
      .split(/\s+/)
      .filter((w) => w.length > 2 && w === w.toUpperCase() && /[A-Z]/.test(w))
    score += loud.reduce((s, w) => s + count(POSITIVE, w) - count(NEGATIVE, w), 0)
  }
  if (on.has('hedging') && MIXED.test(text)) score = Math.max(-1, Math.min(1, score))
  let stars = score >= 2 ? 5 : score === 1 ? 4 : score === 0 ? 3 : score === -1 ? 2 : 1
  if (wordingFlip(instructions, text)) stars += stars === 5 ? -1 : 1
  const answer = `<answer>${stars}</answer>`
  return /<answer>/i.test(instructions)
    ? `Reading the review: score ${score}.\n${answer}`
    : `${stars} stars`
}
