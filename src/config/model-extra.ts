/**
 * Checks `models.<role>.extra`, the pass-through map of provider-specific request fields (vLLM's
 * `top_k`, OpenRouter's `provider`…): a key may not replace a field prompt-descent sets itself, and
 * every value must be JSON (no NaN, no infinity, no dates), because it is sent and hashed as JSON.
 */
import type { JsonValue } from './types.js'

/** Request fields prompt-descent sets, with what to write instead. */
const RESERVED: Readonly<Record<string, string>> = {
  model: 'set by models.<role>.model',
  messages: 'built from the prompt files',
  temperature: 'use models.<role>.temperature',
  max_tokens: 'use models.<role>.max_tokens',
  max_completion_tokens:
    'use models.<role>.max_tokens (sent as max_completion_tokens to reasoning models)',
  top_p: 'use models.<role>.top_p',
  seed: 'use models.<role>.seed',
  stop: 'use models.<role>.stop',
  reasoning_effort: 'use models.<role>.reasoning_effort',
  response_format: 'use tasks[].response_format',
  stream: 'replies are read whole; streaming is not supported',
  stream_options: 'replies are read whole; streaming is not supported',
  n: 'one reply per request is read; more would be paid for and ignored'
}

export interface ExtraProblem {
  /** Path below `extra`. */
  path: Array<string | number>
  message: string
}

/** Every problem of an `extra` map (empty when it is fine). */
export function extraParamProblems(extra: Record<string, unknown>): ExtraProblem[] {
  const problems: ExtraProblem[] = []
  for (const [key, value] of Object.entries(extra)) {
    const reserved = RESERVED[key]
    if (reserved !== undefined) {
      problems.push({
        path: [key],
        message: `"${key}" is a field prompt-descent sets and cannot be passed through extra (${reserved})`
      })
      continue
    }
    const bad = firstNonJson(value, [key])
    if (bad !== undefined) problems.push(bad)
  }
  return problems
}

/** The first part of `value` that is not JSON, or undefined when it all is. */
function firstNonJson(value: unknown, path: Array<string | number>): ExtraProblem | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined
  if (typeof value === 'number') {
    return Number.isFinite(value)
      ? undefined
      : { path, message: `expected a JSON value, got ${String(value)} (not a finite number)` }
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = firstNonJson(value[i], [...path, i])
      if (bad !== undefined) return bad
    }
    return undefined
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [key, child] of Object.entries(value)) {
      const bad = firstNonJson(child, [...path, key])
      if (bad !== undefined) return bad
    }
    return undefined
  }
  const kind = value instanceof Date ? 'a date' : typeof value
  return {
    path,
    message: `expected a JSON value (text, number, true/false, null, list, mapping), got ${kind}`
  }
}

/** `extra` once checked: the same map, typed as JSON. */
export function asJsonMap(extra: Record<string, unknown>): Record<string, JsonValue> {
  return extra as Record<string, JsonValue>
}
