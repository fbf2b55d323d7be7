import type { ExampleResult, TaskEvalResult } from '../../src/eval/types.js'

/** A task result with the given per-example scores; ids are e1, e2, … unless given. */
export function taskResult(
  scores: readonly number[],
  options: { task?: string; ids?: readonly string[]; failed?: readonly string[] } = {}
): TaskEvalResult {
  const examples: ExampleResult[] = scores.map((score, i) => {
    const id = options.ids?.[i] ?? `e${i + 1}`
    const failed = options.failed?.includes(id) ?? false
    return {
      id,
      split: 'test',
      expected: `answer ${id}`,
      output: failed ? null : `reply ${id} scored ${score}`,
      answer: failed ? null : `reply ${id}`,
      score: failed ? 0 : score,
      unreadable: false,
      ...(failed ? { error: 'HTTP 500' } : {})
    }
  })
  const scored = examples.filter((e) => e.error === undefined)
  const value = scored.length === 0 ? 0 : scored.reduce((s, e) => s + e.score, 0) / scored.length
  return {
    task: options.task ?? 'triage',
    score: value,
    interval: { value, low: value, high: value, level: 0.95 },
    n: scored.length,
    unreadable: 0,
    failed: examples.length - scored.length,
    metric: 'exact',
    promptHash: 'p',
    systemPromptHash: null,
    dataHash: 'd',
    examples
  }
}

/** n zeros and ones: the first `ones` are 1. */
export function binary(n: number, ones: number): number[] {
  return Array.from({ length: n }, (_, i) => (i < ones ? 1 : 0))
}
