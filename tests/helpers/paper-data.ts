/**
 * The papers' real datasets (../shared/data, beside the repository; see its README) read where they
 * live, and written as a temporary prompt-descent repository — never copied into this repository.
 * Used by the tests that run them through the CLI against the fake server, and by the benchmarks.
 *
 * - LIAR (ProTeGi): `train.jsonl` / `test.jsonl`, rows `{label: 0|1, text}`.
 * - ETHOS (ProTeGi): `ethos_ishate_binary_shuf.csv`, `;`-separated without a header, comment text
 *   then a hate score in [0, 1]. As ProTeGi's loader: rows scored ≤ 0 or ≥ 0.7 are kept (640),
 *   label = score > 0.4, the first 200 kept rows are the test split.
 */
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { stringify } from 'yaml'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

/**
 * A path under ../shared/data, resolved from the repository root; PD_SHARED_DATA (or the
 * benchmarks' BENCH_SHARED_DATA) points elsewhere, e.g. at an empty directory to see the skip.
 */
export function sharedDataPath(path: string): string {
  const dir =
    process.env['PD_SHARED_DATA'] ??
    process.env['BENCH_SHARED_DATA'] ??
    resolve(ROOT, '../shared/data')
  return resolve(dir, path)
}

export interface BinaryRow {
  label: 0 | 1
  text: string
}

export interface PaperData {
  train: BinaryRow[]
  test: BinaryRow[]
}

/** LIAR's two files in `dir`, or undefined when they are not there. */
export async function readLiar(dir: string): Promise<PaperData | undefined> {
  const files = ['train.jsonl', 'test.jsonl'].map((f) => join(dir, f))
  if (!files.every((f) => existsSync(f))) return undefined
  const read = async (file: string): Promise<BinaryRow[]> =>
    (await readFile(file, 'utf8'))
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as BinaryRow)
  const [train, test] = await Promise.all(files.map(read))
  return { train: train ?? [], test: test ?? [] }
}

export const ETHOS_FILE = 'ethos_ishate_binary_shuf.csv'
/** ProTeGi's ETHOS test split: the first rows kept. */
export const ETHOS_TEST_ROWS = 200

/** ETHOS in `dir` with ProTeGi's filter, labels and split, or undefined when it is not there. */
export async function readEthos(dir: string): Promise<PaperData | undefined> {
  const file = join(dir, ETHOS_FILE)
  if (!existsSync(file)) return undefined
  const kept: BinaryRow[] = []
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    // The comment may hold a ';' itself: the score is after the last one.
    const at = line.lastIndexOf(';')
    const score = Number(line.slice(at + 1))
    if (at <= 0 || line.slice(at + 1).trim() === '' || !Number.isFinite(score)) continue
    if (score > 0 && score < 0.7) continue
    kept.push({ text: line.slice(0, at).trim(), label: score > 0.4 ? 1 : 0 })
  }
  return { test: kept.slice(0, ETHOS_TEST_ROWS), train: kept.slice(ETHOS_TEST_ROWS) }
}

/** Our own starting prompt for LIAR (a plain instruction, as a user would first write it). */
export const LIAR_PROMPT = [
  'Decide whether the statement below is a lie, using what is said about the speaker and the context.',
  '',
  '{{text}}',
  '',
  'Reply with 1 if the statement is a lie and 0 if it is not, inside <answer></answer> tags.'
].join('\n')

/** Our own starting prompt for ETHOS. */
export const ETHOS_PROMPT = [
  'Is the following comment hate speech?',
  '',
  'Comment: {{text}}',
  '',
  'Reply with 1 if it is hate speech and 0 if it is not, inside <answer></answer> tags.'
].join('\n')

export interface PaperRepo {
  root: string
  configPath: string
  /** The rows as written, in dataset order, with their ids and splits. */
  rows: Array<BinaryRow & { id: string; split: 'train' | 'dev' | 'test' }>
  sizes: { train: number; dev: number; test: number }
  /** Bytes of the dataset written. */
  datasetBytes: number
  remove(): Promise<void>
}

/**
 * Writes a temporary repository with one binary task `name` (labels 0/1 read from <answer>, scored
 * by accuracy) over `data`: the train rows in `devRows` form the dev split, the rest train, the test
 * rows test (an explicit `split` field). `config` adds top-level keys (provider, models, optimize…).
 */
export async function writePaperRepo(
  data: PaperData,
  options: {
    name: string
    prompt: string
    devRows: ReadonlySet<number>
    config: Record<string, unknown>
  }
): Promise<PaperRepo> {
  const root = await mkdtemp(join(tmpdir(), `pd-${options.name}-`))
  const rows = [
    ...data.train.map((r, i) => ({
      id: `train-${i + 1}`,
      ...r,
      split: options.devRows.has(i) ? ('dev' as const) : ('train' as const)
    })),
    ...data.test.map((r, i) => ({ id: `test-${i + 1}`, ...r, split: 'test' as const }))
  ]
  const dataset = rows.map((r) => JSON.stringify(r)).join('\n') + '\n'
  const config = {
    ...options.config,
    tasks: [
      {
        name: options.name,
        prompt: `prompts/${options.name}.md`,
        data: `evals/${options.name}.jsonl`,
        expected: 'label',
        extract: { type: 'tag', tag: 'answer' },
        metric: { type: 'choice', choices: ['0', '1'], score: 'accuracy' },
        split: { field: 'split' }
      }
    ]
  }
  await mkdir(join(root, 'prompts'), { recursive: true })
  await mkdir(join(root, 'evals'), { recursive: true })
  await writeFile(join(root, `prompts/${options.name}.md`), `${options.prompt}\n`, 'utf8')
  await writeFile(join(root, `evals/${options.name}.jsonl`), dataset, 'utf8')
  await writeFile(join(root, 'prompt-descent.yml'), stringify(config), 'utf8')
  const count = (split: string) => rows.filter((r) => r.split === split).length
  return {
    root,
    configPath: join(root, 'prompt-descent.yml'),
    rows,
    sizes: { train: count('train'), dev: count('dev'), test: count('test') },
    datasetBytes: Buffer.byteLength(dataset),
    remove: () => rm(root, { recursive: true, force: true })
  }
}
