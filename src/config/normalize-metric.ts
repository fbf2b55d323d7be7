/** One metric's config → MetricConfig, with the checks that span its keys (labels, flags, pass_at). */
import type { PathIssue } from './schema-issues.js'
import type { RawMetric } from './schema.js'
import { normalizeJsonFields, normalizeSchema } from './normalize-output.js'
import type { MetricConfig, SchemaConfig } from './types.js'

export function normalizeMetric(
  raw: RawMetric,
  path: Array<string | number>,
  issues: PathIssue[],
  responseSchema?: SchemaConfig
): MetricConfig {
  switch (raw.type) {
    case 'exact':
      return { type: 'exact' }
    case 'contains':
      return { type: 'contains', caseSensitive: raw.case_sensitive }
    case 'choice': {
      const seen = new Map<string, number>()
      raw.choices.forEach((choice, i) => {
        const key = normalizeLabel(choice)
        const first = seen.get(key)
        if (first !== undefined)
          issues.push({
            path: [...path, 'choices', i],
            message: `duplicate label "${choice}" (same as choices[${first}] ignoring case and spaces)`
          })
        else seen.set(key, i)
      })
      return { type: 'choice', choices: [...raw.choices], score: raw.score }
    }
    case 'regex':
      try {
        new RegExp(raw.pattern, raw.flags)
      } catch {
        issues.push({
          path: [...path, 'flags'],
          message: `invalid flags "${raw.flags}" for this pattern`
        })
      }
      return { type: 'regex', pattern: raw.pattern, flags: raw.flags }
    case 'numeric':
      return { type: 'numeric', tolerance: raw.tolerance, relative: raw.relative }
    case 'json':
      return {
        type: 'json',
        fields: normalizeJsonFields(raw.fields, [...path, 'fields'], issues),
        credit: raw.credit
      }
    case 'json_schema': {
      if (raw.schema !== undefined)
        return {
          type: 'json_schema',
          schema: normalizeSchema(raw.schema, [...path, 'schema'], false, issues)
        }
      if (responseSchema === undefined)
        issues.push({
          path: [...path, 'schema'],
          message:
            'required: expected a schema (inline or a file), or a response_format of type json_schema on the task to validate against'
        })
      return { type: 'json_schema', schema: responseSchema ?? { file: undefined, value: {} } }
    }
    case 'judge':
      if (raw.pass_at !== undefined && raw.pass_at > raw.scale)
        issues.push({
          path: [...path, 'pass_at'],
          message: `expected a number between 1 and scale (${raw.scale}), got ${raw.pass_at}`
        })
      return { type: 'judge', rubric: raw.rubric, scale: raw.scale, passAt: raw.pass_at }
  }
}

/** How labels are compared when checking data against `choices`. */
export function normalizeLabel(label: string): string {
  return label.trim().toLowerCase()
}
