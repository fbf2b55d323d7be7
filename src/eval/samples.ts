/**
 * An example's k replies → one result: the aggregate score (mean, pass@k, pass^k, majority), each
 * check aggregated the same way, and how much the samples disagree (flakiness).
 */
import type { Aggregation } from '../config/types.js'
import type { CheckScore, ExampleResult, SampleResult, SamplesSummary } from './types.js'

/** What the aggregate makes of an example's scored samples. */
export interface AggregatedSamples {
  score: number
  /** The representative reply: the majority's first for `majority`, else the first sample's. */
  output: string
  /** That reply's full length, when it was cut. */
  outputLength?: number
  answer: string | null
  unreadable: boolean
  checks?: CheckScore[]
  flakiness: number
}

function combine(scores: readonly number[], aggregate: 'mean' | 'pass@k' | 'pass^k'): number {
  switch (aggregate) {
    case 'mean':
      return scores.reduce((s, v) => s + v, 0) / scores.length
    case 'pass@k':
      return Math.max(...scores)
    case 'pass^k':
      return Math.min(...scores)
  }
}

/** The most frequent value (ties: the one seen first); undefined for an empty list. */
export function modeOf<T>(values: readonly T[]): T | undefined {
  const counts = new Map<T, number>()
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1)
  let best: T | undefined
  let bestCount = 0
  // Map keeps first-insertion order, so a strict > leaves a tie with the value seen first.
  for (const [v, count] of counts) {
    if (count > bestCount) {
      best = v
      bestCount = count
    }
  }
  return best
}

/**
 * The share of samples whose score differs from the most common score: 0 when all agree, up to
 * (k − 1)/k. For 0/1 scores it is the minority's share.
 */
export function flakinessOf(scores: readonly number[]): number {
  if (scores.length < 2) return 0
  const mode = modeOf(scores) as number
  return scores.filter((s) => s !== mode).length / scores.length
}

/**
 * Aggregates an example's samples (all scored: the caller fails the example when any call failed).
 * mean / pass@k / pass^k combine the sample scores, and each check's scores, with mean / max / min;
 * the combined score is aggregated from the samples' combined scores, not rebuilt from the
 * aggregated checks (pass@k of "all checks pass" is not "each check passes in some sample").
 * majority takes the sample whose extracted answer most samples gave (unreadable replies do not
 * vote; ties go to the answer seen first) and reports that sample's score and checks.
 */
export function aggregateSamples(
  samples: readonly SampleResult[],
  aggregate: Aggregation
): AggregatedSamples {
  const first = samples[0]
  if (first === undefined) throw new Error('aggregateSamples needs at least one sample')
  const scores = samples.map((s) => s.score)
  const flakiness = flakinessOf(scores)
  const answers = samples.map((s) => s.answer).filter((a): a is string => a !== null)
  const commonAnswer = modeOf(answers)
  if (aggregate === 'majority') {
    const chosen = samples.find((s) => s.answer === commonAnswer && !s.unreadable) ?? first
    return {
      score: chosen.score,
      output: chosen.output ?? '',
      ...(chosen.outputLength !== undefined && { outputLength: chosen.outputLength }),
      answer: chosen.answer,
      unreadable: chosen.unreadable,
      ...(chosen.checks !== undefined && { checks: chosen.checks }),
      flakiness
    }
  }
  const result: AggregatedSamples = {
    score: combine(scores, aggregate),
    output: first.output ?? '',
    ...(first.outputLength !== undefined && { outputLength: first.outputLength }),
    answer: commonAnswer ?? null,
    unreadable: samples.every((s) => s.unreadable),
    flakiness
  }
  const names = first.checks
  if (names !== undefined) {
    result.checks = names.map((check, i): CheckScore => {
      const own = samples.map((s) => s.checks?.[i])
      const checkAnswers = own.map((c) => c?.answer ?? null).filter((a): a is string => a !== null)
      const out: CheckScore = {
        name: check.name,
        score: combine(
          own.map((c) => c?.score ?? 0),
          aggregate
        ),
        answer: modeOf(checkAnswers) ?? null,
        unreadable: own.every((c) => c?.unreadable === true)
      }
      if (check.expected !== undefined) out.expected = check.expected
      return out
    })
  }
  return result
}

/** How many of the flakiest examples a report lists. */
const FLAKIEST = 5

/**
 * The task's sample noise over its scored examples: how many are flaky (samples disagree), the
 * mean standard deviation of the sample scores, and the flakiest few (ties keep the data's order).
 */
export function summarizeSamples(
  results: readonly ExampleResult[],
  k: number,
  aggregate: Aggregation
): SamplesSummary {
  const sampled = results.filter((r) => r.error === undefined && r.samples !== undefined)
  let spread = 0
  for (const r of sampled) {
    const scores = (r.samples ?? []).map((s) => s.score)
    const m = scores.reduce((a, b) => a + b, 0) / scores.length
    spread += Math.sqrt(scores.reduce((a, v) => a + (v - m) * (v - m), 0) / scores.length)
  }
  const flaky = sampled.filter((r) => (r.flakiness ?? 0) > 0)
  const flakiest = flaky
    .map((r, i) => ({ r, i }))
    .sort((a, b) => (b.r.flakiness ?? 0) - (a.r.flakiness ?? 0) || a.i - b.i)
    .slice(0, FLAKIEST)
    .map(({ r }) => ({
      id: r.id,
      flakiness: r.flakiness ?? 0,
      scores: (r.samples ?? []).map((s) => s.score)
    }))
  return {
    k,
    aggregate,
    flaky: flaky.length,
    spread: sampled.length === 0 ? 0 : spread / sampled.length,
    flakiest
  }
}
