/**
 * Realistic RunReport fixtures for the renderer tests: an eval of two tasks, a PR comparison with a
 * regression, and an APO optimization with rounds, candidates and lineage.
 */
import type { ExampleResult, ScoreEstimate, TaskEvalResult } from '../../src/eval/types.js'
import type { LedgerSnapshot, UsageTotals } from '../../src/llm/ledger-types.js'
import type { CandidateRecord, OptimizationReport } from '../../src/optimize/types.js'
import type { FlippedExample, RunReport, TaskComparison } from '../../src/report/types.js'
import { REPORT_SCHEMA_VERSION } from '../../src/report/types.js'
import { changedCounts } from '../../src/eval/compare.js'

export function estimate(value: number, low: number, high: number, level = 0.95): ScoreEstimate {
  return { value, low, high, level }
}

function usage(
  calls: number,
  cached: number,
  input: number,
  output: number,
  usd: number | null
): UsageTotals {
  return {
    calls,
    cachedCalls: cached,
    inputTokens: input,
    outputTokens: output,
    usd,
    retries: 0,
    rateLimited: 0,
    noContent: 0
  }
}

export function makeLedger(overrides: Partial<LedgerSnapshot> = {}): LedgerSnapshot {
  return {
    total: { ...usage(1536, 212, 1_234_567, 40_123, 1.2345), retries: 3, rateLimited: 1 },
    byRole: {
      target: usage(1400, 212, 1_100_000, 12_000, 0.21),
      optimizer: usage(136, 0, 134_567, 28_123, 1.0245),
      judge: usage(0, 0, 0, 0, 0)
    },
    elapsedMs: 245_000,
    ...overrides
  }
}

const LABELS = ['billing', 'bug', 'account', 'other']

export function makeExamples(task: string, n: number, correct: number): ExampleResult[] {
  return Array.from({ length: n }, (_v, i) => {
    const expected = LABELS[i % LABELS.length] ?? 'other'
    const ok = i < correct
    const answer = ok ? expected : i % 7 === 0 ? null : 'other'
    return {
      id: `${task}-${String(i + 1).padStart(3, '0')}`,
      split: 'test' as const,
      expected,
      output: ok
        ? `<answer>${expected}</answer>`
        : answer === null
          ? 'I cannot tell.'
          : '<answer>other</answer>',
      answer,
      score: ok ? 1 : 0,
      unreadable: answer === null
    }
  })
}

export function makeTask(
  task: string,
  n: number,
  correct: number,
  overrides: Partial<TaskEvalResult> = {}
): TaskEvalResult {
  const examples = makeExamples(task, n, correct)
  const score = correct / n
  return {
    task,
    score,
    interval: estimate(score, Math.max(0, score - 0.073), Math.min(1, score + 0.068)),
    n,
    unreadable: examples.filter((e) => e.unreadable).length,
    failed: 0,
    metric: 'choice/macro_f1',
    promptHash: 'a1b2c3d4e5f6a7b8',
    systemPromptHash: null,
    dataHash: 'ffeeddccbbaa0099',
    examples,
    ...overrides
  }
}

function baseReport(kind: RunReport['kind']): RunReport {
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    kind,
    tool: { name: 'prompt-descent', version: '0.1.0' },
    startedAt: '2026-08-01T12:00:00.000Z',
    finishedAt: '2026-08-01T12:04:05.000Z',
    provider: { type: 'openai', baseUrl: null },
    models: { target: 'gpt-4o-mini', optimizer: 'gpt-4o', judge: 'gpt-4o-mini' },
    config: {
      path: 'prompt-descent.yml',
      hash: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'
    },
    seed: 42,
    split: 'test',
    tasks: [makeTask('triage', 64, 52), makeTask('summarize', 32, 20)],
    ledger: makeLedger(),
    stop: { reason: 'completed', message: 'all tasks scored' }
  }
}

export function makeEvalReport(overrides: Partial<RunReport> = {}): RunReport {
  return {
    ...baseReport('eval'),
    gate: {
      passed: true,
      checks: [
        { task: 'triage', kind: 'min_score', passed: true, message: '81.3% ≥ min_score 80.0%' },
        { task: 'summarize', kind: 'min_score', passed: true, message: '62.5% ≥ min_score 60.0%' }
      ],
      rule: 'gate from the config: min_score 0.6; a task with no base: warn (gate.new_tasks).'
    },
    ...overrides
  }
}

export function makeFlipped(count: number, outputChars = 120): FlippedExample[] {
  return Array.from({ length: count }, (_v, i) => {
    const worse = i % 3 !== 2
    return {
      id: `triage-${String(i + 1).padStart(3, '0')}`,
      expected: LABELS[i % LABELS.length],
      baseScore: worse ? 1 : 0,
      headScore: worse ? 0 : 1,
      baseOutput: `<answer>${'b'.repeat(Math.max(0, outputChars - 17))}</answer>`,
      headOutput: i % 11 === 10 ? null : `${'h'.repeat(outputChars)}`
    }
  })
}

export function makeComparison(
  task: string,
  overrides: Partial<TaskComparison> = {}
): TaskComparison {
  const flipped = overrides.flipped ?? makeFlipped(4)
  return {
    task,
    base: estimate(0.8125, 0.74, 0.881),
    head: estimate(0.7656, 0.688, 0.84),
    n: 64,
    delta: estimate(-0.0469, -0.094, -0.01),
    pValue: 0.0313,
    test: 'mcnemar-exact',
    verdict: 'regressed',
    flipped,
    promptDiff:
      '@@ -1,2 +1,2 @@\n-Classify this ticket.\n+Classify this support ticket into one label.\n {{ticket}}',
    headOnly: 0,
    baseOnly: 0,
    ...overrides,
    changed: overrides.changed ?? changedCounts(flipped)
  }
}

export function makeCompareReport(overrides: Partial<RunReport> = {}): RunReport {
  return {
    ...baseReport('compare'),
    comparison: {
      baseRef: 'main',
      headRef: 'feature/better-triage',
      tasks: [
        makeComparison('triage'),
        makeComparison('summarize', {
          base: estimate(0.5938, 0.42, 0.76),
          head: estimate(0.625, 0.45, 0.78),
          n: 32,
          delta: estimate(0.0312, -0.06, 0.125),
          pValue: 0.6875,
          verdict: 'within-noise',
          flipped: [],
          promptDiff: ''
        })
      ],
      added: [],
      removed: []
    },
    gate: {
      passed: false,
      checks: [
        {
          task: 'triage',
          kind: 'max_drop',
          passed: false,
          message: 'dropped 4.7 pts > max_drop 2.0 pts'
        },
        { task: 'summarize', kind: 'max_drop', passed: true, message: 'rose 3.1 pts' }
      ],
      rule: 'gate from the config: max_drop 0.02 at 95% confidence; a task with no base: warn (gate.new_tasks).'
    },
    ...overrides
  }
}

function candidate(
  c: Partial<CandidateRecord> & Pick<CandidateRecord, 'id' | 'round'>
): CandidateRecord {
  return {
    parentId: null,
    origin: 'edit',
    critique: null,
    prompt: `prompt of ${c.id}`,
    devScore: 0.7,
    devEvaluations: 20,
    kept: false,
    ...c
  }
}

export const BEFORE_PROMPT = 'Classify this ticket.\n\n{{ticket}}\n\nAnswer in <answer></answer>.'
export const AFTER_PROMPT =
  'Classify this support ticket as billing, bug, account or other.\nRefunds and invoices are billing.\n\n{{ticket}}\n\nAnswer in <answer></answer>.'

export function makeOptimization(overrides: Partial<OptimizationReport> = {}): OptimizationReport {
  return {
    method: 'apo',
    simulated: false,
    seed: 42,
    prompts: [
      {
        file: 'prompts/triage.md',
        kind: 'user',
        task: 'triage',
        before: BEFORE_PROMPT,
        after: AFTER_PROMPT
      }
    ],
    testComparison: [
      makeComparison('triage', {
        base: estimate(0.7, 0.61, 0.78),
        head: estimate(0.8125, 0.74, 0.88),
        delta: estimate(0.1125, 0.05, 0.17),
        pValue: 0.0021,
        verdict: 'improved',
        flipped: makeFlipped(3),
        promptDiff: ''
      })
    ],
    rounds: [
      {
        round: 1,
        candidates: 12,
        rejected: { missingSlots: 2, unknownSlots: 0, missingTags: 0, duplicates: 1 },
        bestDev: 0.76,
        beam: ['c1', 'c4'],
        targetCalls: 320,
        optimizerCalls: 24,
        selectionEvaluations: 240
      },
      {
        round: 2,
        candidates: 10,
        rejected: { missingSlots: 0, unknownSlots: 0, missingTags: 0, duplicates: 0 },
        bestDev: 0.83,
        beam: ['c7', 'c4'],
        targetCalls: 300,
        optimizerCalls: 20,
        selectionEvaluations: 200
      }
    ],
    candidates: [
      candidate({ id: 'c0', round: 0, origin: 'initial', prompt: BEFORE_PROMPT, devScore: 0.7 }),
      candidate({
        id: 'c1',
        round: 1,
        parentId: 'c0',
        critique: 'The prompt never lists the labels, so refunds end up as "other".',
        devScore: 0.76,
        kept: true
      }),
      candidate({
        id: 'c4',
        round: 1,
        parentId: 'c0',
        origin: 'paraphrase',
        devScore: 0.74,
        kept: true
      }),
      candidate({
        id: 'c7',
        round: 2,
        parentId: 'c1',
        origin: 'edit',
        critique: 'Invoices are misread as bugs; say that billing covers invoices and refunds.',
        prompt: AFTER_PROMPT,
        devScore: 0.83,
        devEvaluations: 60,
        kept: true
      })
    ],
    details: { bandit: 'ucb', banditBudget: 440 },
    bestDev: estimate(0.83, 0.77, 0.89),
    ...overrides
  }
}

export function makeOptimizeReport(overrides: Partial<RunReport> = {}): RunReport {
  return {
    ...baseReport('optimize'),
    split: 'test',
    tasks: [makeTask('triage', 64, 52)],
    optimization: makeOptimization(),
    stop: { reason: 'budget', message: 'the $5.00 budget was reached after round 2' },
    ...overrides
  }
}
