/**
 * Did this commit's scores drop below the previous record's by more than noise?
 *
 * Per task present in both records:
 * - **paired** when the two records share example ids (at least 2, and at least half of the smaller
 *   record's kept ids): on the common ids, McNemar's exact test when every score is 0 or 1, else a
 *   paired sign-flip permutation test (seeded from the two shas and the task). The delta is the mean
 *   per-example score difference on those ids (for macro-F1 that is accuracy, as in the PR gate).
 * - **unpaired** otherwise (the dataset was replaced, or a record kept no examples): with per-example
 *   scores on both sides, a two-sample z-test on the means (pooled two-proportion test for 0/1
 *   scores, Welch's otherwise); without them, a z-test on the two scores with standard errors read
 *   back from their intervals (half-width / z of the interval's level).
 *
 * Significance is two-sided at `level` (p < 1 − level), as in the gate; a regression is a significant
 * change with a negative delta, and, when `maxDrop` is given, a drop of more than `maxDrop`.
 * The history views in src/report render these trends; nothing here is rendered.
 */
import type { HistoryRecord, HistoryTask } from './history-types.js'
import { outcomeFor } from './trend-tests.js'

export type TrendTest =
  'mcnemar-exact' | 'paired-permutation' | 'two-proportion-z' | 'welch-z' | 'interval-z' | 'none'

/** What differs between the two records for a task: the likely cause of a change. */
export type ChangeCause =
  | 'prompt'
  | 'system prompt'
  | 'data'
  | 'model'
  | 'judge model'
  | 'metric'
  | 'split'
  | 'provider'
  | 'config'

export interface TrendSide {
  sha: string
  date: string
  score: number
  interval: { low: number; high: number; level: number }
  n: number
}

/** One task, previous record → current record. */
export interface TaskTrend {
  task: string
  previous: TrendSide
  current: TrendSide
  paired: boolean
  /** Examples compared: the common ids when paired, else the current record's n. */
  n: number
  /** current − previous of what the test compared (paired or unpaired means, or the two scores). */
  delta: number
  pValue: number
  test: TrendTest
  level: number
  verdict: 'regressed' | 'improved' | 'within-noise' | 'unchanged'
  /** Empty when nothing the record tracks changed (then the provider's answers did). */
  changed: ChangeCause[]
  /** Paired only: ids that lost score, worst first (at most 10). */
  worsened: string[]
  /** Paired only: how many ids lost score. */
  worsenedCount: number
}

/** A task whose score dropped significantly (and beyond maxDrop when given). */
export type RegressionAlert = TaskTrend

export interface TrendOptions {
  /** Confidence level, e.g. 0.95: significant when p < 1 − level. */
  level: number
  /** Alert only on drops larger than this (a score difference, e.g. 0.02). */
  maxDrop?: number
}

function side(record: HistoryRecord, task: HistoryTask): TrendSide {
  return {
    sha: record.sha,
    date: record.date,
    score: task.score,
    interval: task.interval,
    n: task.n
  }
}

function causes(
  prevRecord: HistoryRecord,
  curRecord: HistoryRecord,
  prev: HistoryTask,
  cur: HistoryTask
): ChangeCause[] {
  const out: ChangeCause[] = []
  if (prev.promptHash !== cur.promptHash) out.push('prompt')
  if (prev.systemPromptHash !== cur.systemPromptHash) out.push('system prompt')
  if (prev.dataHash !== cur.dataHash) out.push('data')
  if (prev.model !== cur.model) out.push('model')
  if ((prev.judgeModel ?? null) !== (cur.judgeModel ?? null)) out.push('judge model')
  if (prev.metric !== cur.metric) out.push('metric')
  if (prevRecord.split !== curRecord.split) out.push('split')
  if (prevRecord.provider !== curRecord.provider) out.push('provider')
  // The config hash moves with many settings; it is named only when nothing more precise did.
  if (out.length === 0 && prevRecord.configHash !== curRecord.configHash) out.push('config')
  return out
}

/** Every task scored in both records, previous → current, with its test and likely causes. */
export function compareRecords(
  previous: HistoryRecord,
  current: HistoryRecord,
  options: TrendOptions
): TaskTrend[] {
  const trends: TaskTrend[] = []
  for (const cur of current.tasks) {
    const prev = previous.tasks.find((t) => t.task === cur.task)
    if (!prev) continue
    const outcome = outcomeFor(previous, current, prev, cur)
    const significant = outcome.pValue < 1 - options.level
    let verdict: TaskTrend['verdict'] = 'within-noise'
    if (outcome.test === 'none' || (outcome.delta === 0 && !significant)) verdict = 'unchanged'
    else if (significant && outcome.delta < 0) verdict = 'regressed'
    else if (significant && outcome.delta > 0) verdict = 'improved'
    trends.push({
      task: cur.task,
      previous: side(previous, prev),
      current: side(current, cur),
      ...outcome,
      level: options.level,
      verdict,
      changed: causes(previous, current, prev, cur)
    })
  }
  return trends
}

/** The trends that are alerts: significant drops, beyond `maxDrop` when given. */
export function regressionsOf(
  trends: readonly TaskTrend[],
  maxDrop: number | undefined
): RegressionAlert[] {
  return trends.filter(
    (t) =>
      t.verdict === 'regressed' &&
      // A hair of slack, as in the gate, so a drop of exactly maxDrop is not "beyond" it.
      (maxDrop === undefined || -t.delta > maxDrop + 1e-12)
  )
}

/**
 * The tasks whose score dropped significantly below the previous record's (beyond `maxDrop` when
 * given). No previous record, no alerts.
 */
export function detectRegressions(
  previous: HistoryRecord | undefined,
  current: HistoryRecord,
  options: TrendOptions
): RegressionAlert[] {
  if (!previous) return []
  return regressionsOf(compareRecords(previous, current, options), options.maxDrop)
}
