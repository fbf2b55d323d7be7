import type { ChatModel } from '../llm/chat-model.js'

/** What the metric makes of one reply. */
export interface ExampleScore {
  /** In [0, 1]. */
  score: number
  /** The answer read out of the reply (label, number, text), or null when none could be read. */
  answer: string | null
  /** The reply had no readable answer (no tag, no label, no number): scored wrong and counted apart. */
  unreadable: boolean
  /** The judge's reasoning, for judge metrics. */
  rationale?: string
}

export interface MetricContext {
  /** The judge model, for judge metrics. */
  judge: ChatModel | undefined
  /** The rendered user message, for judge metrics. */
  input: string
  signal?: AbortSignal
}

export interface Metric {
  readonly name: string
  /** Score one reply against its expected value. */
  score(reply: string, expected: unknown, context: MetricContext): Promise<ExampleScore>
  /**
   * Aggregate per-example results into the task score. Most metrics use the mean of `score`;
   * macro-F1 uses the answers and expected labels.
   */
  aggregate(
    results: ReadonlyArray<{ score: number; answer: string | null; expected: unknown }>
  ): number
}

/** One example's outcome in an eval. */
export interface ExampleResult {
  id: string
  split: 'train' | 'dev' | 'test'
  expected: unknown
  /** The model's reply; null when the call failed (then error is set). */
  output: string | null
  answer: string | null
  score: number
  unreadable: boolean
  error?: string
  rationale?: string
}

/** Mean with an interval. */
export interface ScoreEstimate {
  value: number
  low: number
  high: number
  /** Confidence level of [low, high], e.g. 0.95. */
  level: number
}

export interface TaskEvalResult {
  task: string
  /** The metric's aggregate over the scored examples. */
  score: number
  /** Interval of the task score (bootstrap of the metric over the examples). */
  interval: ScoreEstimate
  n: number
  unreadable: number
  /** Examples whose call failed and were not scored. */
  failed: number
  metric: string
  promptHash: string
  systemPromptHash: string | null
  dataHash: string
  /** Calls and tokens this task's eval used (all roles), when measured by the run. */
  usage?: TaskUsage
  examples: ExampleResult[]
}

export interface TaskUsage {
  calls: number
  cachedCalls: number
  inputTokens: number
  outputTokens: number
}
