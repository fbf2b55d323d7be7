import type { FlippedExample, TaskComparison, Verdict } from './types.js'
import { hashString32 } from '../util/random.js'
import { compareChecks } from './check-compare.js'
import { lineDiff } from './line-diff.js'
import { pairedTest } from './paired-test.js'
import { detectableDrop } from './detectable-drop.js'
import { bootstrapMeanInterval, pairedBootstrapDeltaInterval, sampleVariance } from './stats.js'
import type { ExampleResult, TaskEvalResult } from './types.js'

export interface CompareOptions {
  /** Confidence level, e.g. 0.95: a change is significant when p < 1 − level. */
  level: number
  seed: number
  /** User prompt texts, for the diff. */
  basePrompt?: string
  headPrompt?: string
  /** System prompt texts, diffed ahead of the user prompt when given. */
  baseSystemPrompt?: string
  headSystemPrompt?: string
  /** How many changed examples to list (default 10). */
  maxFlipped?: number
}

function scored(result: ExampleResult): boolean {
  return result.error === undefined && result.output !== null
}

/** Worse and better among every changed example (before the list is cut). */
export function changedCounts(flips: readonly FlippedExample[]): { worse: number; better: number } {
  const worse = flips.filter((e) => e.headScore < e.baseScore).length
  return { worse, better: flips.length - worse }
}

/** The scores of an example's scored samples (its one score without samples). */
function sampleScores(result: ExampleResult): number[] {
  if (result.samples === undefined) return [result.score]
  return result.samples.filter((s) => s.error === undefined).map((s) => s.score)
}

/**
 * What the paired test can see on these pairs: the smallest drop it catches with power 0.8, from
 * n, the samples per example, the variance of the paired differences and the samples' own noise.
 */
function smallestDetectableDrop(
  pairs: ReadonlyArray<readonly [ExampleResult, ExampleResult]>,
  differences: readonly number[],
  level: number
): { drop: number; samples: number } {
  const sides = pairs.flatMap(([b, h]) => [sampleScores(b), sampleScores(h)])
  const samples = Math.max(1, ...sides.map((s) => s.length))
  const within = sides.length === 0 ? 0 : sides.reduce((sum, s) => sum + sampleVariance(s), 0)
  const drop = detectableDrop({
    n: pairs.length,
    samples,
    differenceVariance: sampleVariance(differences),
    withinVariance: sides.length === 0 ? 0 : within / sides.length,
    binary: sides.every((s) => s.every((v) => v === 0 || v === 1)),
    confidence: level
  })
  return { drop, samples }
}

/** Worst regressions first, then the largest gains; ties keep the examples' order. */
function flipOrder(a: FlippedExample, b: FlippedExample): number {
  const da = a.headScore - a.baseScore
  const db = b.headScore - b.baseScore
  if (da < 0 && db < 0) return da - db
  if (da > 0 && db > 0) return db - da
  return da < 0 ? -1 : db < 0 ? 1 : 0
}

/**
 * The system prompt's diff (when either text is given) above the user prompt's. A lone user-prompt
 * diff has no header, to stay small; once the system prompt changed, each part is labelled.
 */
function promptDiff(options: CompareOptions): string {
  const { baseSystemPrompt: bs, headSystemPrompt: hs, basePrompt: bu, headPrompt: hu } = options
  const system =
    bs !== undefined || hs !== undefined
      ? lineDiff(bs ?? '', hs ?? '', {
          fromLabel: 'base system prompt',
          toLabel: 'head system prompt'
        })
      : ''
  const userLabels =
    system === '' ? {} : { fromLabel: 'base user prompt', toLabel: 'head user prompt' }
  const user = bu !== undefined && hu !== undefined ? lineDiff(bu, hu, userLabels) : ''
  return [system, user].filter((part) => part !== '').join('\n')
}

/**
 * Paired comparison of one task between two evals (base → head) on the example ids scored in
 * both (failed calls on either side are left out). Rows only one side has are counted apart:
 * `headOnly` new rows scored on head, `baseOnly` rows the head removed.
 *
 * base, head and delta are means of the per-example scores on those paired examples, with
 * bootstrap intervals; for macro-F1 this is per-example accuracy, not the task's F1 score, because
 * F1 is not a mean and has no paired per-example form. The p-value comes from McNemar's exact test
 * when every paired score is 0 or 1, else from a paired sign-flip permutation test.
 *
 * Verdict: `unchanged` when every paired score is equal (or nothing is paired); otherwise the
 * p-value alone decides significance (p < 1 − level) and the sign of the delta its direction:
 * `improved` / `regressed`, else `within-noise`. The delta's bootstrap interval is reported for
 * its size; at the margin it can touch 0 while p is just below the threshold, and the test wins.
 *
 * With `samples: k`, each example's score is already the aggregate of its k replies, so the tests
 * and intervals above resample and permute whole examples with their samples (a cluster bootstrap
 * and a cluster permutation test; see stats.ts and paired-test.ts): the example stays the unit.
 */
export function compareTaskResults(
  base: TaskEvalResult,
  head: TaskEvalResult,
  options: CompareOptions
): TaskComparison {
  const { level, seed } = options
  const baseById = new Map<string, ExampleResult>()
  for (const r of base.examples) if (scored(r)) baseById.set(r.id, r)
  const pairs: Array<[ExampleResult, ExampleResult]> = []
  for (const h of head.examples) {
    const b = baseById.get(h.id)
    if (b !== undefined && scored(h)) pairs.push([b, h])
  }
  // Rows one side's dataset has and the other's lacks (failed calls are not rows gone missing).
  const baseIds = new Set(base.examples.map((r) => r.id))
  const headIds = new Set(head.examples.map((r) => r.id))
  const headOnly = head.examples.filter((r) => !baseIds.has(r.id) && scored(r)).length
  const baseOnly = base.examples.filter((r) => !headIds.has(r.id)).length
  const baseScores = pairs.map(([b]) => b.score)
  const headScores = pairs.map(([, h]) => h.score)
  const seedFor = (label: string): number => hashString32(`${seed}:${head.task}:${label}`)
  const interval = { level }

  const { test, pValue } = pairedTest(baseScores, headScores, seedFor('permutation'))
  const same = test === 'none'

  const delta = pairedBootstrapDeltaInterval(baseScores, headScores, {
    ...interval,
    seed: seedFor('delta')
  })
  let verdict: Verdict
  if (same) verdict = 'unchanged'
  else if (pValue < 1 - level && delta.value > 0) verdict = 'improved'
  else if (pValue < 1 - level && delta.value < 0) verdict = 'regressed'
  else verdict = 'within-noise'

  const flips: FlippedExample[] = pairs
    .filter(([b, h]) => b.score !== h.score)
    .map(([b, h]) => ({
      id: h.id,
      expected: h.expected,
      baseScore: b.score,
      headScore: h.score,
      baseOutput: b.output,
      headOutput: h.output
    }))
  flips.sort(flipOrder)

  const checks = compareChecks(pairs, level, seedFor)
  const detectable = smallestDetectableDrop(
    pairs,
    headScores.map((h, i) => h - (baseScores[i] as number)),
    level
  )
  return {
    task: head.task,
    base: bootstrapMeanInterval(baseScores, { ...interval, seed: seedFor('base') }),
    head: bootstrapMeanInterval(headScores, { ...interval, seed: seedFor('head') }),
    n: pairs.length,
    delta,
    pValue,
    test,
    verdict,
    flipped: flips.slice(0, Math.max(0, options.maxFlipped ?? 10)),
    changed: changedCounts(flips),
    promptDiff: promptDiff(options),
    headOnly,
    baseOnly,
    ...(checks.length > 0 && { checks }),
    detectableDrop: detectable.drop,
    ...(detectable.samples > 1 && { samples: detectable.samples })
  }
}
