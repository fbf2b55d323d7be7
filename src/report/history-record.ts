/**
 * One history record per commit: what a run scored, per task, in a compact form that the next
 * commit's run can compare against (paired on example ids) and that charts and tables are drawn from.
 * A pure rendering of the RunReport, like every other view of it.
 */
import type { ExampleResult, TaskEvalResult } from '../eval/types.js'
import { hashString32 } from '../util/random.js'
import type {
  HistoryCost,
  HistoryExamples,
  HistoryRecord,
  HistoryTask
} from '../eval/history-types.js'
import type { RunReport } from './types.js'

export type {
  HistoryCost,
  HistoryExamples,
  HistoryRecord,
  HistoryTask
} from '../eval/history-types.js'

/**
 * At most this many per-example scores are kept per task and record. Beyond it a fixed subset is
 * kept, chosen by a hash of the example id (not by position), so consecutive commits keep the same
 * ids whatever the row order and their alerts stay paired. ~2,000 ids of ~15 characters is ~35 kB
 * per task and record; the history file holds `maxRecords` of them.
 */
export const MAX_EXAMPLES_PER_TASK = 2000

export interface RecordMeta {
  sha: string
  date: string
  ref?: string
  runUrl?: string
  threshold?: number
}

const round4 = (x: number): number => Math.round(x * 10_000) / 10_000

function scored(e: ExampleResult): boolean {
  return e.error === undefined && e.output !== null && Number.isFinite(e.score)
}

/** The scored examples, capped at `max` by a stable hash of the id, in their original order. */
function compactExamples(examples: readonly ExampleResult[], max: number): HistoryExamples {
  let kept = examples.filter(scored)
  const total = kept.length
  if (kept.length > max) {
    const chosen = new Set(
      kept
        .map((e) => ({ id: e.id, h: hashString32(e.id) }))
        .sort((a, b) => a.h - b.h || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
        .slice(0, max)
        .map((x) => x.id)
    )
    kept = kept.filter((e) => chosen.has(e.id))
  }
  return { ids: kept.map((e) => e.id), scores: kept.map((e) => round4(e.score)), total }
}

function taskCost(task: TaskEvalResult, report: RunReport): HistoryCost | undefined {
  const usage = task.usage
  if (!usage) return undefined
  const tokens = usage.inputTokens + usage.outputTokens
  const total = report.ledger.total
  const totalTokens = total.inputTokens + total.outputTokens
  let usd: number | null = null
  if (total.usd !== null) usd = totalTokens > 0 ? (total.usd * tokens) / totalTokens : 0
  return { usd, calls: usage.calls, cachedCalls: usage.cachedCalls, tokens }
}

/**
 * The history record of a run: per task the score, interval, n, hashes, cost and the per-example
 * scores (at most {@link MAX_EXAMPLES_PER_TASK} per task). Pure.
 */
export function historyRecordOf(
  report: RunReport,
  meta: RecordMeta,
  options: { maxExamples?: number } = {}
): HistoryRecord {
  const max = Math.max(0, Math.floor(options.maxExamples ?? MAX_EXAMPLES_PER_TASK))
  const total = report.ledger.total
  const record: HistoryRecord = {
    sha: meta.sha,
    date: meta.date,
    tool: report.tool.version,
    provider: report.provider.type,
    split: report.split,
    configHash: report.config.hash,
    stop: report.stop.reason,
    cost: {
      usd: total.usd,
      calls: total.calls,
      cachedCalls: total.cachedCalls,
      tokens: total.inputTokens + total.outputTokens
    },
    tasks: report.tasks.map((t) => {
      const task: HistoryTask = {
        task: t.task,
        score: t.score,
        interval: { low: t.interval.low, high: t.interval.high, level: t.interval.level },
        n: t.n,
        failed: t.failed,
        metric: t.metric,
        model: t.model ?? report.models.target,
        promptHash: t.promptHash,
        systemPromptHash: t.systemPromptHash,
        dataHash: t.dataHash
      }
      // The judge that graded it: the task's or its first judge check's own, else the run's.
      const ownJudge = t.judgeModel ?? t.checks?.find((c) => c.judgeModel !== undefined)?.judgeModel
      if (ownJudge !== undefined) task.judgeModel = ownJudge
      else if (t.metric === 'judge' || t.checks?.some((c) => c.metric === 'judge'))
        task.judgeModel = report.models.judge
      if (t.checks) task.checks = Object.fromEntries(t.checks.map((c) => [c.name, c.score]))
      const cost = taskCost(t, report)
      if (cost) task.cost = cost
      if (max > 0) task.examples = compactExamples(t.examples, max)
      return task
    })
  }
  if (meta.ref !== undefined) record.ref = meta.ref
  if (meta.runUrl !== undefined) record.runUrl = meta.runUrl
  if (meta.threshold !== undefined) record.threshold = meta.threshold
  return record
}

/** Task names over the records, in order of first appearance. */
export function taskNames(records: readonly HistoryRecord[]): string[] {
  const seen = new Set<string>()
  for (const r of records) for (const t of r.tasks) seen.add(t.task)
  return [...seen]
}

/** The records that scored `task`, each with that task's entry, oldest first. */
export function taskSeries(
  records: readonly HistoryRecord[],
  task: string
): Array<{ record: HistoryRecord; entry: HistoryTask }> {
  const out: Array<{ record: HistoryRecord; entry: HistoryTask }> = []
  for (const record of records) {
    const entry = record.tasks.find((t) => t.task === task)
    if (entry) out.push({ record, entry })
  }
  return out
}

/** A commit sha as people read it. */
export function shortSha(sha: string): string {
  return /^[0-9a-f]{40}$/i.test(sha) ? sha.slice(0, 7) : sha
}

/** The day of an ISO date ("2026-08-01"), or the text as is when it is not one. */
export function shortDate(date: string): string {
  return /^\d{4}-\d{2}-\d{2}/.test(date) ? date.slice(0, 10) : date
}
