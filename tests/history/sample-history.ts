/**
 * A realistic, deterministic history for the tests and for docs/history-chart.svg: 30 commits of a
 * `triage` task (240 examples, 0/1 scores) and a `summarize` task (80 judge scores in [0, 1]).
 *
 * The triage prompt improves twice, the dataset grows at commit 13, commit 20 ships a bad prompt
 * (a real drop) and commit 21 fixes it. Between prompt changes the provider's answers wobble by a
 * flip or two, as cached temperature-0 answers do when a few calls are re-made: noise, not change.
 */
import { bootstrapMeanInterval } from '../../src/eval/stats.js'
import type { HistoryRecord, HistoryTask } from '../../src/report/history-record.js'
import { sha256 } from '../../src/util/hash.js'
import { createRandom } from '../../src/util/random.js'

export const SAMPLE_COMMITS = 30
/** The commit whose prompt really made triage worse. */
export const SAMPLE_DROP_AT = 20

const TRIAGE_VERSIONS: Array<{ from: number; accuracy: number }> = [
  { from: 0, accuracy: 0.77 },
  { from: 6, accuracy: 0.82 },
  { from: 13, accuracy: 0.86 },
  { from: SAMPLE_DROP_AT, accuracy: 0.76 },
  { from: SAMPLE_DROP_AT + 1, accuracy: 0.9 }
]

export function sampleSha(i: number): string {
  return sha256(`sample commit ${i}`).slice(0, 40)
}

function versionAt(i: number): number {
  let v = 0
  TRIAGE_VERSIONS.forEach((version, k) => {
    if (version.from <= i) v = k
  })
  return v
}

function interval(scores: number[], seed: number): HistoryTask['interval'] {
  const e = bootstrapMeanInterval(scores, { level: 0.95, seed, resamples: 1000 })
  return { low: e.low, high: e.high, level: 0.95 }
}

function taskEntry(
  task: string,
  ids: string[],
  scores: number[],
  hashes: { prompt: string; data: string },
  metric: string,
  seed: number
): HistoryTask {
  const score = scores.reduce((s, v) => s + v, 0) / scores.length
  return {
    task,
    score,
    interval: interval(scores, seed),
    n: scores.length,
    failed: 0,
    metric,
    model: 'gpt-4o-mini',
    ...(metric === 'judge' ? { judgeModel: 'gpt-4o' } : {}),
    promptHash: hashes.prompt,
    systemPromptHash: 'sys-1',
    dataHash: hashes.data,
    cost: {
      usd: scores.length * 0.00011,
      calls: scores.length,
      cachedCalls: 0,
      tokens: scores.length * 620
    },
    examples: { ids, scores, total: scores.length }
  }
}

/** The sample history, oldest first. */
export function sampleHistory(): HistoryRecord[] {
  const random = createRandom(2026)
  const difficulty = Array.from({ length: 240 }, () => random.next())
  const quirks = TRIAGE_VERSIONS.map(() => new Set(random.sample([...Array(240).keys()], 7)))
  const summaryQuality = Array.from({ length: 80 }, () => 0.45 + 0.5 * random.next())
  const records: HistoryRecord[] = []
  for (let i = 0; i < SAMPLE_COMMITS; i++) {
    const v = versionAt(i)
    const size = i < 13 ? 200 : 240
    const wobble = new Set(random.sample([...Array(size).keys()], random.int(3)))
    const triageIds = Array.from(
      { length: size },
      (_, k) => `ticket-${String(k + 1).padStart(3, '0')}`
    )
    const triage = triageIds.map((_id, k) => {
      let right = (difficulty[k] ?? 1) < (TRIAGE_VERSIONS[v]?.accuracy ?? 0)
      if (quirks[v]?.has(k)) right = !right
      if (wobble.has(k)) right = !right
      return right ? 1 : 0
    })
    const summaryVersion = i < 17 ? 0 : 1
    const summaryIds = Array.from({ length: 80 }, (_, k) => `article-${k + 1}`)
    const judgeWobble = new Set(random.sample([...Array(80).keys()], random.int(3)))
    const summary = summaryIds.map((_id, k) => {
      const base = (summaryQuality[k] ?? 0.5) + summaryVersion * 0.06
      const jitter = judgeWobble.has(k) ? 0.25 : 0
      return Math.round(Math.min(1, Math.max(0, base - jitter)) * 4) / 4
    })
    const day = new Date(Date.UTC(2026, 5, 1) + i * 36 * 3600_000).toISOString()
    records.push({
      sha: sampleSha(i),
      date: day,
      ref: 'refs/heads/main',
      threshold: 0.8,
      tool: '0.1.0',
      provider: 'openai',
      split: 'all',
      configHash: 'config-1',
      stop: 'completed',
      cost: { usd: 0.035, calls: 320, cachedCalls: 0, tokens: 198_400 },
      tasks: [
        taskEntry(
          'triage',
          triageIds,
          triage,
          { prompt: `triage-v${v}`, data: i < 13 ? 'tickets-200' : 'tickets-240' },
          'accuracy',
          i * 2
        ),
        taskEntry(
          'summarize',
          summaryIds,
          summary,
          { prompt: `summarize-v${summaryVersion}`, data: 'articles-80' },
          'judge',
          i * 2 + 1
        )
      ]
    })
  }
  return records
}
