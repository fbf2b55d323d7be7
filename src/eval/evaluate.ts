import type { Example } from '../config/project-types.js'
import { conversationText, partsOf } from '../config/prompt.js'
import type { ChatPrompt } from '../config/prompt.js'
import type { Sampling } from '../config/samples.js'
import { renderTemplate } from '../config/template.js'
import {
  BudgetExceededError,
  CancelledError,
  InputError,
  ProviderError,
  errorMessage
} from '../errors.js'
import type { ChatMessage, ChatModel, ResponseFormat } from '../llm/chat-model.js'
import { sha256 } from '../util/hash.js'
import { fieldFailures } from './field-failures.js'
import { failureCauses } from './failures.js'
import { meanOfScores } from './metrics/shared.js'
import { bootstrapMeanInterval, bootstrapStatistic } from './stats.js'
import { aggregateSamples, summarizeSamples } from './samples.js'
import {
  OUTPUT_KEEP_CHARS,
  type ExampleResult,
  type Metric,
  type SampleResult,
  type TaskEvalResult
} from './types.js'

export interface ScoreExamplesInput {
  prompt: ChatPrompt
  examples: readonly Example[]
  /** The dataset's file, named when an expected value is unusable. */
  dataFile: string
  target: ChatModel
  judge: ChatModel | undefined
  metric: Metric
  /** The task's output format, sent with every request (see toResponseFormat). */
  responseFormat?: ResponseFormat | undefined
  /** How many examples are in flight at once (the limiter below may allow fewer). */
  concurrency: number
  signal?: AbortSignal
  onExampleDone?: (done: number, total: number) => void
  /** Replies per example and how they combine (default: one reply). */
  sampling?: Sampling
}

const DEFAULT_SAMPLING: Sampling = {
  samples: 1,
  aggregate: 'mean',
  judge: { samples: 1, aggregate: 'mean' }
}

/**
 * Result of scoring a set of examples; `stopped` is set when a budget stop or cancel cut it short,
 * `fatal` when the provider refused in a way every further call would repeat (401, 403, 404).
 * Either way, the examples scored before are kept.
 */
export interface ScoredExamples {
  results: ExampleResult[]
  /** Examples not scored because the run stopped (budget, cancel, a fatal provider error). */
  notScored: number
  stopped: BudgetExceededError | CancelledError | undefined
  fatal: ProviderError | undefined
}

/** Status codes that mean every further call would fail the same way: stop instead of marking rows. */
const FATAL_STATUS = new Set([401, 403, 404])

/**
 * The chat messages for one example: every message of the prompt with its slots filled, in order
 * (an empty system message is not sent).
 */
export function buildMessages(prompt: ChatPrompt, example: Example): ChatMessage[] {
  const messages: ChatMessage[] = []
  for (const message of prompt.messages) {
    if (message.role === 'system' && message.content.trim() === '') continue
    const content = renderTemplate(message.content, example.fields, {
      file: message.source.file,
      ...(message.source.index === undefined ? {} : { message: message.source.index }),
      rowId: example.id,
      line: example.line
    })
    messages.push({ role: message.role, content })
  }
  return messages
}

/**
 * Scores every example with the target model, a bounded number at a time. With `samples: k` > 1
 * each example gets k replies (sample indices 0..k−1, each cached under its own index, so raising k
 * later pays only for the new ones), scored one by one and aggregated (see samples.ts). A failed
 * call (of any sample) marks its example as failed and the run goes on; a budget stop or a cancel ends the run with what was scored.
 * Results keep the examples' order; unscored examples are left out.
 */
export async function scoreExamples(input: ScoreExamplesInput): Promise<ScoredExamples> {
  const { examples, metric } = input
  const slots: Array<ExampleResult | undefined> = new Array<ExampleResult | undefined>(
    examples.length
  )
  let next = 0
  let done = 0
  let stopped: BudgetExceededError | CancelledError | undefined
  let fatal: ProviderError | undefined
  let thrown: unknown

  const sampling = input.sampling ?? DEFAULT_SAMPLING
  const k = Math.max(1, sampling.samples)

  /** One reply (sample `index`) scored by the metric; a provider failure becomes `error`. */
  const scoreSample = async (
    example: Example,
    messages: ChatMessage[],
    index: number
  ): Promise<SampleResult> => {
    let output: string
    try {
      const request = {
        messages,
        responseFormat: input.responseFormat,
        ...(k > 1 && { sampleIndex: index })
      }
      const reply = await input.target.complete(request, { signal: input.signal })
      output = reply.text
    } catch (error) {
      if (error instanceof ProviderError && !(error.status && FATAL_STATUS.has(error.status))) {
        return { output: null, answer: null, score: 0, unreadable: false, error: error.message }
      }
      throw error
    }
    const lastUser = messages.findLast((m) => m.role === 'user')?.content ?? ''
    let scored
    try {
      scored = await metric.score(output, example.expected, {
        judge: input.judge,
        input: lastUser,
        fields: example.fields,
        row: { id: example.id, line: example.line },
        signal: input.signal,
        ...(sampling.judge.samples > 1 && { judgeSampling: sampling.judge })
      })
    } catch (error) {
      if (error instanceof InputError && error.file === undefined) {
        throw new InputError(error.message, {
          file: input.dataFile,
          location: `line ${example.line} (id ${example.id})`
        })
      }
      throw error
    }
    const result: SampleResult = {
      output: keepOutput(output),
      answer: scored.answer,
      score: scored.score,
      unreadable: scored.unreadable
    }
    if (output.length > OUTPUT_KEEP_CHARS) result.outputLength = output.length
    if (scored.judgeUnreadable === true) result.judgeUnreadable = true
    if (scored.rationale !== undefined) result.rationale = scored.rationale
    if (scored.checks !== undefined) result.checks = scored.checks
    if (scored.fields !== undefined) result.fields = scored.fields
    return result
  }

  const scoreOne = async (example: Example): Promise<ExampleResult> => {
    const messages = buildMessages(input.prompt, example)
    const base = { id: example.id, split: example.split, expected: example.expected }
    const samples = await Promise.all(
      Array.from({ length: k }, (_, index) => scoreSample(example, messages, index))
    )
    const failed = samples.findIndex((s) => s.error !== undefined)
    if (failed >= 0) {
      const error = samples[failed]?.error ?? ''
      return {
        ...base,
        output: null,
        answer: null,
        score: 0,
        unreadable: false,
        error: k > 1 ? `sample ${failed + 1} of ${k}: ${error}` : error,
        ...(k > 1 && { samples })
      }
    }
    if (k === 1) {
      const only = samples[0] as SampleResult
      const result: ExampleResult = {
        ...base,
        output: only.output,
        ...(only.outputLength !== undefined && { outputLength: only.outputLength }),
        answer: only.answer,
        score: only.score,
        unreadable: only.unreadable
      }
      if (only.judgeUnreadable === true) result.judgeUnreadable = true
      if (only.rationale !== undefined) result.rationale = only.rationale
      if (only.checks !== undefined) result.checks = only.checks
      if (only.fields !== undefined) result.fields = only.fields
      return result
    }
    const aggregated = aggregateSamples(samples, sampling.aggregate)
    const result: ExampleResult = {
      ...base,
      output: aggregated.output,
      ...(aggregated.outputLength !== undefined && { outputLength: aggregated.outputLength }),
      answer: aggregated.answer,
      score: aggregated.score,
      unreadable: aggregated.unreadable,
      samples,
      flakiness: aggregated.flakiness
    }
    if (aggregated.checks !== undefined) result.checks = aggregated.checks
    // With k samples the judge failed on the example when it graded none of its replies.
    if (samples.every((s) => s.judgeUnreadable === true)) result.judgeUnreadable = true
    return result
  }

  const worker = async (): Promise<void> => {
    while (stopped === undefined && fatal === undefined && thrown === undefined) {
      const index = next++
      const example = examples[index]
      if (example === undefined) return
      try {
        slots[index] = await scoreOne(example)
        done++
        input.onExampleDone?.(done, examples.length)
      } catch (error) {
        if (error instanceof BudgetExceededError || error instanceof CancelledError)
          stopped ??= error
        else if (error instanceof ProviderError) fatal ??= error
        else thrown ??= error
      }
    }
  }

  const workers = Math.max(1, Math.min(input.concurrency, examples.length))
  await Promise.all(Array.from({ length: workers }, worker))
  if (thrown !== undefined) {
    throw thrown instanceof Error ? thrown : new ProviderError(errorMessage(thrown))
  }
  const results = slots.filter((r): r is ExampleResult => r !== undefined)
  return { results, notScored: examples.length - results.length, stopped, fatal }
}

/** The first {@link OUTPUT_KEEP_CHARS} characters of a reply, never ending in half a surrogate pair. */
export function keepOutput(text: string): string {
  if (text.length <= OUTPUT_KEEP_CHARS) return text
  const end = /[\uD800-\uDBFF]/.test(text.charAt(OUTPUT_KEEP_CHARS - 1))
    ? OUTPUT_KEEP_CHARS - 1
    : OUTPUT_KEEP_CHARS
  return text.slice(0, end)
}

/** Hash of a prompt text as reports show it (short enough to read, long enough to be unique). */
export function promptHash(text: string | undefined): string | null {
  return text === undefined ? null : sha256(text).slice(0, 12)
}

/** Aggregates scored examples into a task result: the metric's score and a bootstrap interval. */
export function summarizeTask(args: {
  task: string
  metric: Metric
  prompt: ChatPrompt
  dataHash: string
  results: ExampleResult[]
  level: number
  seed: number
  /** With k > 1 samples: adds the samples summary (flakiness, spread). */
  sampling?: Sampling
}): TaskEvalResult {
  const scored = args.results.filter((r) => r.error === undefined)
  const perExample = scored.map((r) => r.score)
  const score = scored.length === 0 ? 0 : args.metric.aggregate(scored)
  const options = { level: args.level, seed: args.seed }
  // The interval is the task score's own: of the mean for per-example metrics, and of the
  // aggregate itself (macro-F1) otherwise, so a score and its interval always go together.
  const interval =
    args.metric.aggregate === meanOfScores
      ? bootstrapMeanInterval(perExample, options)
      : bootstrapStatistic(scored, (sample) => args.metric.aggregate(sample), options)
  const fields = fieldFailures(scored)
  const result: TaskEvalResult = {
    task: args.task,
    score,
    interval,
    n: scored.length,
    unreadable: scored.filter((r) => r.unreadable).length,
    failed: args.results.length - scored.length,
    metric: args.metric.name,
    ...(args.metric.summarizeChecks && { checks: args.metric.summarizeChecks(scored) }),
    promptHash: promptHash(conversationText(args.prompt)) ?? '',
    systemPromptHash: promptHash(partsOf(args.prompt).system),
    dataHash: args.dataHash,
    ...(fields !== undefined ? { fieldFailures: fields } : {}),
    ...(args.sampling !== undefined &&
      args.sampling.samples > 1 && {
        samples: summarizeSamples(scored, args.sampling.samples, args.sampling.aggregate)
      }),
    examples: args.results
  }
  const judgeUnreadable = scored.filter((r) => r.judgeUnreadable === true).length
  if (args.metric.name === 'judge' || judgeUnreadable > 0) result.judgeUnreadable = judgeUnreadable
  if (result.failed > 0) result.failures = failureCauses(args.results)
  return result
}
