/**
 * The LIAR data (ProTeGi's benchmark, ../shared/data/protegi/liar) as a temporary prompt-descent
 * repository pointed at the fake server, and a deterministic stand-in for the target model.
 *
 * The data is read where it lives and written only to a temp directory, as one JSONL dataset with
 * an explicit `split` field: train.jsonl minus a seeded dev sample → train, the dev sample → dev,
 * test.jsonl → test. Rows keep their fields (`text`, `label` 0|1) and gain an id and the split.
 */
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { stringify } from 'yaml'
import type { ChatMessage } from '../../src/llm/chat-model.js'
import { traitsAddressedBy } from '../../src/simulate/index.js'
import { createRandom } from '../../src/util/random.js'
import { lastUser, systemOf, wordingFlip, type BenchProvider } from './fake-provider.js'
import { sharedData } from './paths.js'

export const LIAR_DIR = sharedData('protegi/liar')

export interface LiarRow {
  label: 0 | 1
  text: string
}

/** The two files, or undefined when the shared data is not there. */
export async function loadLiar(): Promise<{ train: LiarRow[]; test: LiarRow[] } | undefined> {
  const files = ['train.jsonl', 'test.jsonl'].map((f) => join(LIAR_DIR, f))
  if (!files.every((f) => existsSync(f))) return undefined
  const read = async (file: string): Promise<LiarRow[]> =>
    (await readFile(file, 'utf8'))
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as LiarRow)
  const [train, test] = await Promise.all(files.map(read))
  return { train: train ?? [], test: test ?? [] }
}

/** Our own starting prompt for the task (a plain instruction, as a user would first write it). */
export const LIAR_PROMPT = [
  'Decide whether the statement below is a lie, using what is said about the speaker and the context.',
  '',
  '{{text}}',
  '',
  'Reply with 1 if the statement is a lie and 0 if it is not, inside <answer></answer> tags.'
].join('\n')

export interface LiarRepo {
  root: string
  configPath: string
  sizes: { train: number; dev: number; test: number }
  /** Bytes of the dataset written. */
  datasetBytes: number
  remove(): Promise<void>
}

/** Writes the temp repository; `apo` goes under optimize.apo (snake_case keys). */
export async function writeLiarRepo(
  data: { train: LiarRow[]; test: LiarRow[] },
  provider: BenchProvider,
  options: { dev: number; seed: number; apo: Record<string, unknown> }
): Promise<LiarRepo> {
  const root = await mkdtemp(join(tmpdir(), 'pd-bench-liar-'))
  const devRows = new Set(
    createRandom(`liar-dev:${options.seed}`).sample(
      data.train.map((_, i) => i),
      options.dev
    )
  )
  const rows = [
    ...data.train.map((r, i) => ({
      id: `train-${i + 1}`,
      ...r,
      split: devRows.has(i) ? 'dev' : 'train'
    })),
    ...data.test.map((r, i) => ({ id: `test-${i + 1}`, ...r, split: 'test' }))
  ]
  const dataset = rows.map((r) => JSON.stringify(r)).join('\n') + '\n'
  const config = {
    ...provider.config,
    seed: options.seed,
    tasks: [
      {
        name: 'liar',
        prompt: 'prompts/liar.md',
        data: 'evals/liar.jsonl',
        expected: 'label',
        extract: { type: 'tag', tag: 'answer' },
        metric: { type: 'choice', choices: ['0', '1'], score: 'accuracy' },
        split: { field: 'split' }
      }
    ],
    optimize: { method: 'apo', apo: options.apo },
    cache: { enabled: false }
  }
  await mkdir(join(root, 'prompts'), { recursive: true })
  await mkdir(join(root, 'evals'), { recursive: true })
  await writeFile(join(root, 'prompts/liar.md'), `${LIAR_PROMPT}\n`, 'utf8')
  await writeFile(join(root, 'evals/liar.jsonl'), dataset, 'utf8')
  await writeFile(join(root, 'prompt-descent.yml'), stringify(config), 'utf8')
  return {
    root,
    configPath: join(root, 'prompt-descent.yml'),
    sizes: {
      train: data.train.length - devRows.size,
      dev: devRows.size,
      test: data.test.length
    },
    datasetBytes: Buffer.byteLength(dataset),
    remove: () => rm(root, { recursive: true, force: true })
  }
}

const EXAMPLE_LINE = /^(Statement|Job title|State|Party|Context):/

/**
 * A keyword reader of LIAR statements standing in for the target model. It always counts sweeping
 * absolutes as a sign of a lie; the instructions it is given (system prompt and the user prompt's
 * own lines) switch on further cues, as an instruction would steer a model: numbers, comparisons,
 * negation, claims reported as "Says …"; asking for caution about hedged wording raises the bar.
 * Like a model, it is also sensitive to wording: for a seeded 10% of (instructions, statement) pairs
 * it gives the other answer, so two prompts that say the same thing still score a little apart.
 * No claim about LIAR accuracy: it only makes a real-size run behave like one, deterministically.
 */
export function liarTarget(messages: readonly ChatMessage[]): string {
  const user = lastUser(messages)
  const lines = user.split('\n')
  const statement = (lines.find((l) => l.startsWith('Statement:')) ?? user).slice(10).trim()
  const instructions = [systemOf(messages), ...lines.filter((l) => !EXAMPLE_LINE.test(l))].join(
    '\n'
  )
  const on = new Set(traitsAddressedBy(instructions))
  const cues: string[] = []
  if (/\b(all|every|never|always|nobody|no one|none|entire|only)\b/i.test(statement))
    cues.push('a sweeping absolute')
  if (on.has('numeric') && /\d/.test(statement)) cues.push('a precise figure')
  if (on.has('comparative') && /\b(more|less|fewer|most|highest|lowest|than)\b/i.test(statement))
    cues.push('a comparison')
  if (on.has('negation') && /\b(not|no)\b|n't\b/i.test(statement)) cues.push('a negation')
  if (on.has('reported') && /^says\b/i.test(statement)) cues.push('a reported claim')
  const bar = on.has('hedging') ? 2 : 1
  const lie = cues.length >= bar !== wordingFlip(instructions, statement)
  const why =
    cues.length === 0
      ? 'The statement makes no sweeping or checkable claim.'
      : `The statement contains ${cues.join(', ')}.`
  const label = lie ? '1' : '0'
  return /<answer>/i.test(instructions) ? `${why}\n<answer>${label}</answer>` : `${why} ${label}`
}
