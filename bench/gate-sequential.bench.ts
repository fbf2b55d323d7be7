/**
 * The issue-15 benchmark of the sequential gate: does stopping once the verdict is settled agree
 * with scoring every row, keep false alarms at or under α, and save at least half the calls?
 *
 * a. Statistics level (fast, ≥ 200 seeds): the simulated provider's noise model of
 *    bench/gate-noise.bench.ts drawn per row — a quarter of the rows carry a trait the prompt does
 *    not address, so the noiseless target gets a share q ≈ 0.75 right; each reply is flipped to
 *    another of c = 4 labels with probability ν (base) or ν' (head), ν' set so the expected score
 *    drops by exactly the case's drop. Per seed and case, the full evaluation's verdict comes from
 *    the product's paired comparison and gate on every row (eval/compare.ts, eval/gate.ts with
 *    gate.sequential off), and the sequential verdict from the product's own pieces: the seeded row
 *    order (run/sequential-compare.ts), the look schedule and each look's decision
 *    (eval/sequential-look.ts: the betting test, then the futility stop), falling back to the full
 *    verdict when the rows run out.
 * b. Pipeline level (a few seeds): `compare` through the CLI, the real openai SDK and the fake
 *    OpenAI-compatible server answering as the simulated target with seeded noise, with
 *    gate.sequential on and off: same verdicts, and the calls each made.
 *
 * Cases: no change, a drop just under max_drop (read two ways: half and three quarters of it), a
 * drop exactly at max_drop (where the full evaluation fails about half the time: the hardest case
 * for agreement) and twice max_drop;
 * datasets of 500 and 2,000 rows; max_drop 0.1, confidence 0.95, the defaults first_look 50 and
 * look_every 25. Printed: agreement with the full evaluation, the gate's failure rate (on no change,
 * its false alarms) with a 95% Wilson interval, the calls used as a ratio to the full evaluation,
 * and how many seeds each rule stopped.
 *
 * Run: `npm run bench:gate-sequential` (BENCH_SEEDS, default 200; BENCH_PIPELINE_SEEDS, default 3;
 * BENCH_NOISE, default 0.1; BENCH_STRICT=1 fails on a missed target).
 */
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parse, stringify } from 'yaml'
import type { GateConfig } from '../src/config/types.js'
import { compareTaskResults } from '../src/eval/compare.js'
import { applyGate } from '../src/eval/gate.js'
import { FUTILITY_CHANCE } from '../src/eval/futility.js'
import { sequentialLook } from '../src/eval/sequential-look.js'
import type { SequentialRule } from '../src/eval/sequential-look.js'
import { lookSchedule } from '../src/eval/sequential-test.js'
import { wilsonInterval } from '../src/eval/stats.js'
import type { ExampleResult, TaskEvalResult } from '../src/eval/types.js'
import type { RunReport } from '../src/report/types.js'
import { sequentialOrder } from '../src/run/sequential-compare.js'
import { decideAsTarget } from '../src/simulate/index.js'
import { createRandom } from '../src/util/random.js'
import {
  createFixtureRepo,
  promptAddressing,
  TASK_TRAITS,
  triageTask
} from '../tests/action/fixture-repo.js'
import { SECRET_API_KEY } from '../tests/action/simulated-server.js'
import { runCli } from '../tests/cli/fixture.js'
import { startFakeOpenAI } from '../tests/helpers/fake-openai-server.js'
import type { FakeChatBody } from '../tests/helpers/fake-openai-server.js'
import type { ChatMessage } from '../src/llm/chat-model.js'
import { pct, table } from './helpers/format.js'

const SEEDS = Number(process.env['BENCH_SEEDS'] ?? 200)
const PIPELINE_SEEDS = Number(process.env['BENCH_PIPELINE_SEEDS'] ?? 3)
const NOISE = Number(process.env['BENCH_NOISE'] ?? 0.1)
const STRICT = process.env['BENCH_STRICT'] === '1'
const MAX_DROP = 0.1
const CONFIDENCE = 0.95
const FIRST_LOOK = 50
const LOOK_EVERY = 25
const Q = 0.75
const LABELS = 4
const GATE: GateConfig = {
  source: 'config',
  minScore: undefined,
  maxDrop: MAX_DROP,
  confidence: CONFIDENCE,
  newTasks: 'warn',
  sequential: false,
  firstLook: FIRST_LOOK,
  lookEvery: LOOK_EVERY
}
/**
 * "Just under max_drop" read two ways (half and three quarters of it), a drop exactly at max_drop
 * (the hardest case for agreement: the full evaluation fails on about half the seeds) and twice it.
 */
const CASES = [
  { name: 'no change', drop: 0 },
  { name: 'drop ½ × max_drop', drop: 0.5 * MAX_DROP },
  { name: 'drop ¾ × max_drop', drop: 0.75 * MAX_DROP },
  { name: 'drop = max_drop', drop: MAX_DROP },
  { name: 'drop 2 × max_drop', drop: 2 * MAX_DROP }
]
const PIPELINE_CASES = CASES.filter((c) => c.drop !== 0.5 * MAX_DROP && c.drop !== MAX_DROP)

/** Reply noise that lowers the expected score by `drop`: q(1 − ν) + (1 − q)ν/(c − 1) is linear in ν. */
function noiseFor(drop: number, q = Q): number {
  return NOISE + drop / (q - (1 - q) / (LABELS - 1))
}

function result(scores: readonly number[]): TaskEvalResult {
  const examples: ExampleResult[] = scores.map((score, i) => ({
    id: `row-${i}`,
    split: 'test',
    expected: 'x',
    output: String(score),
    answer: String(score),
    score,
    unreadable: false
  }))
  const mean = scores.reduce((s, x) => s + x, 0) / scores.length
  return {
    task: 'triage',
    score: mean,
    interval: { value: mean, low: mean, high: mean, level: CONFIDENCE },
    n: scores.length,
    unreadable: 0,
    failed: 0,
    metric: 'accuracy',
    promptHash: 'p',
    systemPromptHash: null,
    dataHash: 'd',
    examples
  }
}

interface Verdicts {
  full: boolean
  sequential: boolean
  /** Rows the sequential gate scored, as a share of all rows. */
  ratio: number
  /** The rule that stopped it early, if one did. */
  rule?: SequentialRule
}

function trial(seed: number, rows: number, drop: number): Verdicts {
  const random = createRandom(`gate-sequential:${seed}:${rows}:${drop}`)
  const head = noiseFor(drop)
  const base: number[] = []
  const headScores: number[] = []
  for (let i = 0; i < rows; i++) {
    const right = random.next() < Q
    const p = (nu: number): number => (right ? 1 - nu : nu / (LABELS - 1))
    base.push(random.next() < p(NOISE) ? 1 : 0)
    headScores.push(random.next() < p(head) ? 1 : 0)
  }
  const comparison = compareTaskResults(result(base), result(headScores), {
    level: CONFIDENCE,
    seed
  })
  const full = !applyGate([result(headScores)], [comparison], GATE).passed
  const order = sequentialOrder(
    Array.from({ length: rows }, (_, i) => i),
    seed,
    'triage'
  )
  const differences = order.map((i) => (headScores[i] as number) - (base[i] as number))
  for (const look of lookSchedule(rows, FIRST_LOOK, LOOK_EVERY)) {
    if (look === rows) break
    const settled = sequentialLook({
      differences: differences.slice(0, look),
      remaining: rows - look,
      maxDrop: MAX_DROP,
      confidence: CONFIDENCE
    })
    if (settled.decision !== 'undecided') {
      return {
        full,
        sequential: settled.decision === 'regressed',
        ratio: look / rows,
        rule: settled.rule
      }
    }
  }
  return { full, sequential: full, ratio: 1 }
}

function rate(hits: number, n: number): string {
  const w = wilsonInterval(hits, n, 0.95)
  return `${pct(hits / n)} [${pct(w.low)}, ${pct(w.high)}]`
}

describe('the sequential gate', () => {
  it(`a. agreement, false alarms and calls, ${SEEDS} seeds (statistics level)`, () => {
    const lines: string[][] = []
    const ratios = new Map<number, number[]>()
    const agreements: number[] = []
    let falseAlarms = 0
    let noChangeTrials = 0
    for (const rows of [500, 2000]) {
      for (const c of CASES) {
        let agree = 0
        let failedSeq = 0
        let failedFull = 0
        let ratio = 0
        const stops = { 'confidence-sequence': 0, futility: 0, curtailment: 0, none: 0 }
        for (let seed = 1; seed <= SEEDS; seed++) {
          const t = trial(seed, rows, c.drop)
          stops[t.rule ?? 'none']++
          if (t.full === t.sequential) agree++
          if (t.sequential) failedSeq++
          if (t.full) failedFull++
          ratio += t.ratio / SEEDS
        }
        if (c.drop === 0) {
          falseAlarms += failedSeq
          noChangeTrials += SEEDS
        }
        ratios.set(c.drop, [...(ratios.get(c.drop) ?? []), ratio])
        agreements.push(agree / SEEDS)
        lines.push([
          `${rows} rows, ${c.name}`,
          pct(agree / SEEDS),
          rate(failedSeq, SEEDS),
          pct(failedFull / SEEDS),
          ratio.toFixed(2),
          `${stops['confidence-sequence']} / ${stops.futility} / ${stops.curtailment} / ${stops.none}`
        ])
      }
    }
    /** Mean calls ratio over the three cases × two sizes, with "just under" = `under`. */
    const meanRatio = (under: number): number => {
      const all = [0, under, 2 * MAX_DROP].flatMap((d) => ratios.get(d) ?? [])
      return all.reduce((s, r) => s + r, 0) / all.length
    }
    const half = meanRatio(0.5 * MAX_DROP)
    const threeQuarters = meanRatio(0.75 * MAX_DROP)
    console.log(
      `\nSequential gate vs scoring every row (${SEEDS} seeds per line; noise ν = ${NOISE}, noiseless target right on ${pct(Q)}, ${LABELS} labels; max_drop ${MAX_DROP}, confidence ${CONFIDENCE}, first_look ${FIRST_LOOK}, look_every ${LOOK_EVERY}, futility γ ${FUTILITY_CHANCE}; [95% Wilson interval]):\n` +
        table(
          [
            'dataset, case',
            'agreement',
            'sequential fails',
            'full fails',
            'calls ratio',
            'stopped by test / futility / curtailment / all rows'
          ],
          lines
        ) +
        `\nmean calls ratio over no change, just under and 2 × max_drop at both sizes: ${half.toFixed(3)} with just under = ½ × max_drop, ${threeQuarters.toFixed(3)} with ¾ × max_drop` +
        `\nfalse alarms on no change: ${rate(falseAlarms, noChangeTrials)}`
    )
    if (STRICT) {
      for (const a of agreements) expect(a).toBeGreaterThanOrEqual(0.98)
      expect(wilsonInterval(falseAlarms, noChangeTrials, 0.95).low).toBeLessThanOrEqual(
        1 - CONFIDENCE
      )
      expect(half).toBeLessThanOrEqual(0.5)
      expect(threeQuarters).toBeLessThanOrEqual(0.5)
    }
  })

  it(`b. compare through the CLI and the fake server, ${PIPELINE_SEEDS} seeds × 3 cases, 500 rows`, async () => {
    const task = triageTask(500)
    const prompt = promptAddressing(task, TASK_TRAITS.slice(0, 4))
    const marker = (drop: number): string => `Case ${Math.round(drop * 1000)}.`
    let modelSeed = 1
    const respond = (body: FakeChatBody): string => {
      const user = body.messages.at(-1)?.content ?? ''
      const c = PIPELINE_CASES.find((x) => x.drop > 0 && user.includes(marker(x.drop)))
      return decideAsTarget(body.messages as ChatMessage[], {
        seed: modelSeed + (c === undefined ? 0 : 1000),
        noise: c === undefined ? NOISE : noiseFor(c.drop, 0.9)
      }).reply
    }
    const ai = await startFakeOpenAI({ apiKey: SECRET_API_KEY, respond })
    const lines: string[][] = []
    try {
      for (const c of PIPELINE_CASES) {
        let agree = 0
        let calls = 0
        let fullCalls = 0
        for (let seed = 1; seed <= PIPELINE_SEEDS; seed++) {
          modelSeed = seed
          const verdicts: boolean[] = []
          for (const sequential of [true, false]) {
            const head =
              c.drop === 0 ? prompt : prompt.replace('Rules:', `Rules:\n${marker(c.drop)}`)
            const repo = await createFixtureRepo({
              baseUrl: ai.url,
              basePrompt: prompt,
              headPrompt: head,
              task,
              seed,
              gate: { max_drop: MAX_DROP, confidence: CONFIDENCE }
            })
            try {
              const path = join(repo.dir, 'prompt-descent.yml')
              const config = parse(await readFile(path, 'utf8')) as Record<string, unknown>
              ;(config['gate'] as Record<string, unknown>)['sequential'] = sequential
              await writeFile(path, stringify(config))
              const before = ai.stats.requests
              await runCli(['compare', '--base', repo.baseSha, '--no-cache', '--json', 'r.json'], {
                cwd: repo.dir,
                env: { OPENAI_API_KEY: SECRET_API_KEY }
              })
              const report = JSON.parse(
                await readFile(join(repo.dir, 'r.json'), 'utf8')
              ) as RunReport
              verdicts.push(report.gate?.passed === true)
              if (sequential) calls += ai.stats.requests - before
              else fullCalls += ai.stats.requests - before
            } finally {
              await repo.cleanup()
            }
          }
          if (verdicts[0] === verdicts[1]) agree++
        }
        lines.push([
          c.name,
          `${agree}/${PIPELINE_SEEDS}`,
          String(calls),
          String(fullCalls),
          (calls / fullCalls).toFixed(2)
        ])
      }
    } finally {
      await ai.close()
    }
    console.log(
      `\ncompare through the CLI, the openai SDK and the fake server (simulated target, noise ${NOISE}; 500 rows, --no-cache):\n` +
        table(['case', 'same verdict', 'calls, sequential', 'calls, every row', 'ratio'], lines)
    )
  })
})
