/**
 * The issue-15 benchmark: is the gate neither trigger-happy nor blind once replies are noisy?
 *
 * Seeded sampling noise: each seed draws a dataset of ROWS examples, each with its own chance p_i
 * that one reply is right (a mix of easy, middling and hard rows: 60 % at 0.95, 25 % at 0.6, 15 % at
 * 0.2, so about 75 %), and every reply is a seeded Bernoulli(p_i) draw — what a model at
 * temperature > 0 does. Base and head are scored with k replies per example, independently, and go
 * through the product's own code: the per-example aggregation (eval/samples.ts), the paired
 * comparison (eval/compare.ts: cluster bootstrap, McNemar or the cluster permutation test, the
 * smallest detectable drop) and the gate (eval/gate.ts).
 *
 *   - unchanged prompt: head's p_i equal base's; the gate fails only by a false alarm;
 *   - a true 10-point drop: head's p_i = p_i · (1 − 0.10 / mean p), so the expected score falls by
 *     exactly 10 points.
 *
 * Printed per k: the false-alarm rate of the gate (max_drop 0.02, confidence 0.95) and of the bare
 * two-sided test (p < α either way, which must be ≤ α = 5 % within Monte-Carlo error), with a 95 %
 * Wilson interval, the detection rate of the 10-point drop, and the mean smallest detectable drop.
 *
 * Run: `npm run bench:gate` (BENCH_SEEDS=N for N seeds, default 300; BENCH_ROWS, default 200;
 * BENCH_STRICT=1 fails on a missed target).
 */
import { describe, expect, it } from 'vitest'
import { compareTaskResults } from '../src/eval/compare.js'
import { applyGate } from '../src/eval/gate.js'
import { aggregateSamples } from '../src/eval/samples.js'
import { wilsonInterval } from '../src/eval/stats.js'
import type { ExampleResult, SampleResult, TaskEvalResult } from '../src/eval/types.js'
import { createRandom } from '../src/util/random.js'
import type { Random } from '../src/util/random.js'
import { pct, table } from './helpers/format.js'

const SEEDS = Number(process.env['BENCH_SEEDS'] ?? 300)
const ROWS = Number(process.env['BENCH_ROWS'] ?? 200)
const STRICT = process.env['BENCH_STRICT'] === '1'
const ALPHA = 0.05
const GATE = { minScore: undefined, maxDrop: 0.02, confidence: 1 - ALPHA }
const DROP = 0.1

/** Each row's chance that one reply is right. */
function passRates(random: Random): number[] {
  return Array.from({ length: ROWS }, () => {
    const u = random.next()
    return u < 0.6 ? 0.95 : u < 0.85 ? 0.6 : 0.2
  })
}

/** One side's eval: k seeded replies per row, aggregated by the product's code (mean). */
function side(rates: readonly number[], k: number, random: Random, task: string): TaskEvalResult {
  const examples: ExampleResult[] = rates.map((p, i) => {
    const samples: SampleResult[] = Array.from({ length: k }, () => {
      const right = random.next() < p
      return {
        output: right ? 'right' : 'wrong',
        answer: right ? 'a' : 'b',
        score: right ? 1 : 0,
        unreadable: false
      }
    })
    const aggregated = aggregateSamples(samples, 'mean')
    return {
      id: `r${i}`,
      split: 'test',
      expected: 'a',
      output: aggregated.output,
      answer: aggregated.answer,
      score: aggregated.score,
      unreadable: false,
      ...(k > 1 && { samples, flakiness: aggregated.flakiness })
    }
  })
  const score = examples.reduce((s, e) => s + e.score, 0) / examples.length
  return {
    task,
    score,
    interval: { value: score, low: score, high: score, level: 1 - ALPHA },
    n: examples.length,
    unreadable: 0,
    failed: 0,
    metric: 'exact',
    promptHash: task,
    systemPromptHash: null,
    dataHash: 'd',
    examples
  }
}

interface Outcome {
  gateFailed: boolean
  significant: boolean
  detectable: number
}

function trial(seed: number, k: number, drop: number): Outcome {
  const random = createRandom(`gate-noise:${seed}`)
  const rates = passRates(random.fork('rates'))
  const meanRate = rates.reduce((s, p) => s + p, 0) / rates.length
  const headRates = rates.map((p) => p * (1 - drop / meanRate))
  const base = side(rates, k, random.fork(`base:${k}`), 'triage')
  const head = side(headRates, k, random.fork(`head:${k}:${drop}`), 'triage')
  const c = compareTaskResults(base, head, { level: 1 - ALPHA, seed })
  const gate = applyGate([head], [c], GATE)
  return {
    gateFailed: !gate.passed,
    significant: c.pValue < ALPHA,
    detectable: c.detectableDrop ?? 1
  }
}

function rate(hits: number): string {
  const w = wilsonInterval(hits, SEEDS, 0.95)
  return `${pct(hits / SEEDS)} [${pct(w.low)}, ${pct(w.high)}]`
}

describe('the gate under sampling noise', () => {
  it(`false alarms on an unchanged prompt and detection of a ${DROP * 100}-point drop, ${SEEDS} seeds × ${ROWS} rows`, () => {
    const rows: string[][] = []
    const detection: number[] = []
    const falseAlarms: Array<{ k: number; gate: number; test: number }> = []
    for (const k of [1, 3, 5]) {
      let gate = 0
      let test = 0
      let detected = 0
      let detectable = 0
      for (let seed = 1; seed <= SEEDS; seed++) {
        const same = trial(seed, k, 0)
        if (same.gateFailed) gate++
        if (same.significant) test++
        const drop = trial(seed, k, DROP)
        if (drop.gateFailed) detected++
        detectable += drop.detectable
      }
      falseAlarms.push({ k, gate, test })
      detection.push(detected / SEEDS)
      rows.push([
        `k = ${k}`,
        rate(gate),
        rate(test),
        rate(detected),
        `${((detectable / SEEDS) * 100).toFixed(1)} pts`
      ])
    }
    console.log(
      `\nGate under seeded sampling noise (${SEEDS} seeds, ${ROWS} rows, α = ${ALPHA}, max_drop ${GATE.maxDrop}; [95% Wilson interval]):\n` +
        table(
          [
            'samples',
            'gate false alarms',
            'two-sided test p<α',
            `detects −${DROP * 100} pts`,
            'detectable drop'
          ],
          rows
        )
    )
    if (STRICT) {
      for (const f of falseAlarms) {
        // At or under α within Monte-Carlo error: the Wilson interval's low end is at most α.
        expect(wilsonInterval(f.gate, SEEDS, 0.95).low).toBeLessThanOrEqual(ALPHA)
        expect(wilsonInterval(f.test, SEEDS, 0.95).low).toBeLessThanOrEqual(ALPHA)
      }
      expect(detection[1]).toBeGreaterThan(detection[0] as number)
      expect(detection[2]).toBeGreaterThan(detection[1] as number)
    }
  })
})
