/**
 * The LIAR data (ProTeGi's benchmark, ../shared/data/protegi/liar) as a temporary prompt-descent
 * repository pointed at the fake server, and a deterministic stand-in for the target model.
 *
 * The data is read where it lives and written only to a temp directory, as one JSONL dataset with
 * an explicit `split` field: train.jsonl minus a seeded dev sample → train, the dev sample → dev,
 * test.jsonl → test. Rows keep their fields (`text`, `label` 0|1) and gain an id and the split.
 */
import type { ChatMessage } from '../../src/llm/chat-model.js'
import { traitsAddressedBy } from '../../src/simulate/index.js'
import { createRandom } from '../../src/util/random.js'
import { lastUser, systemOf, wordingFlip, type BenchProvider } from './fake-provider.js'
import {
  LIAR_PROMPT,
  readLiar,
  writePaperRepo,
  type BinaryRow,
  type PaperData,
  type PaperRepo
} from '../../tests/helpers/paper-data.js'
import { sharedData } from './paths.js'

export const LIAR_DIR = sharedData('protegi/liar')

export type LiarRow = BinaryRow

/** The two files, or undefined when the shared data is not there. */
export function loadLiar(): Promise<PaperData | undefined> {
  return readLiar(LIAR_DIR)
}

export { LIAR_PROMPT }

export type LiarRepo = Omit<PaperRepo, 'rows'>

/** Writes the temp repository; `apo` goes under optimize.apo (snake_case keys). */
export function writeLiarRepo(
  data: PaperData,
  provider: BenchProvider,
  options: { dev: number; seed: number; apo: Record<string, unknown> }
): Promise<LiarRepo> {
  const devRows = new Set(
    createRandom(`liar-dev:${options.seed}`).sample(
      data.train.map((_, i) => i),
      options.dev
    )
  )
  return writePaperRepo(data, {
    name: 'liar',
    prompt: LIAR_PROMPT,
    devRows,
    config: {
      ...provider.config,
      seed: options.seed,
      optimize: { method: 'apo', apo: options.apo },
      cache: { enabled: false }
    }
  })
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
