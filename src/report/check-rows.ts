/** How a task's checks are labelled in every rendering (one line per check under its task). */
import type { CheckSummary } from '../eval/types.js'

/** `↳ cites_vendor (contains, not, ×2)`: the check's name, metric, negation and weight. */
export function checkLabel(check: CheckSummary, names: Map<string, string> = new Map()): string {
  const facts = [names.get(check.name) ?? check.metric]
  if (check.not) facts.push('not')
  if (check.weight !== 1) facts.push(`×${check.weight}`)
  return `↳ ${check.name} (${facts.join(', ')})`
}

/** Check names of a task by name, to label a comparison's checks with their metric. */
export function checkMetrics(checks: readonly CheckSummary[] | undefined): Map<string, string> {
  return new Map((checks ?? []).map((c) => [c.name, c.metric]))
}
