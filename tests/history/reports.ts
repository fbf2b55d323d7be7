/** RunReports with chosen per-example scores, for history tests. */
import type { ExampleResult, TaskEvalResult } from '../../src/eval/types.js'
import type { HistoryRecord } from '../../src/report/history-record.js'
import { historyRecordOf } from '../../src/report/history-record.js'
import type { RunReport } from '../../src/report/types.js'
import { makeEvalReport } from '../report/fixtures.js'

export interface TaskSpec {
  name: string
  scores: number[]
  /** Example ids (default `<name>-<i>`). */
  ids?: string[]
  promptHash?: string
  systemPromptHash?: string | null
  dataHash?: string
  metric?: string
}

export function taskResult(spec: TaskSpec): TaskEvalResult {
  const examples: ExampleResult[] = spec.scores.map((score, i) => ({
    id: spec.ids?.[i] ?? `${spec.name}-${i + 1}`,
    split: 'test',
    expected: 'x',
    output: score === 1 ? 'x' : 'y',
    answer: score === 1 ? 'x' : 'y',
    score,
    unreadable: false
  }))
  const score = spec.scores.reduce((s, v) => s + v, 0) / Math.max(1, spec.scores.length)
  return {
    task: spec.name,
    score,
    interval: {
      value: score,
      low: Math.max(0, score - 0.06),
      high: Math.min(1, score + 0.06),
      level: 0.95
    },
    n: spec.scores.length,
    unreadable: 0,
    failed: 0,
    metric: spec.metric ?? 'accuracy',
    promptHash: spec.promptHash ?? 'prompt-1',
    systemPromptHash: spec.systemPromptHash ?? null,
    dataHash: spec.dataHash ?? 'data-1',
    usage: { calls: spec.scores.length, cachedCalls: 0, inputTokens: 300, outputTokens: 100 },
    examples
  }
}

export function reportWith(tasks: TaskSpec[], overrides: Partial<RunReport> = {}): RunReport {
  return makeEvalReport({ tasks: tasks.map(taskResult), ...overrides })
}

export function recordWith(
  sha: string,
  tasks: TaskSpec[],
  overrides: Partial<RunReport> = {}
): HistoryRecord {
  return historyRecordOf(reportWith(tasks, overrides), { sha, date: '2026-08-01T12:00:00Z' })
}

/** n scores with the first `right` equal to 1. */
export function ones(n: number, right: number): number[] {
  return Array.from({ length: n }, (_v, i) => (i < right ? 1 : 0))
}

/** `scores` with the given positions flipped (0 ↔ 1). */
export function flip(scores: number[], positions: number[]): number[] {
  const out = [...scores]
  for (const p of positions) out[p] = 1 - (out[p] ?? 0)
  return out
}

/** A 40-hex commit sha for a name. */
export function fakeSha(name: string): string {
  let hex = ''
  for (const ch of name) hex += ch.charCodeAt(0).toString(16).padStart(2, '0')
  return hex.padEnd(40, '0').slice(0, 40)
}
