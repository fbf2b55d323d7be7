import { decideAsTarget } from '../../src/simulate/target-model.js'
import type { TargetDecision } from '../../src/simulate/target-model.js'
import type { SyntheticRow, SyntheticTask } from '../../src/simulate/tasks.js'

/** The user message a template gives for a row. */
export function render(template: string, row: Pick<SyntheticRow, 'text'>): string {
  return template.replace(/\{\{\s*text\s*\}\}/g, row.text)
}

/** The label inside <answer> tags, or null. */
export function tagAnswer(reply: string): string | null {
  return /<answer>([\s\S]*?)<\/answer>/.exec(reply)?.[1]?.trim() ?? null
}

export interface Scored {
  row: SyntheticRow
  decision: TargetDecision
  input: string
  correct: boolean
}

/** Runs the simulated target on every row with a (system, user) prompt pair. */
export function runTarget(
  rows: readonly SyntheticRow[],
  pair: { system?: string; user: string },
  options: { seed?: number; noise?: number } = {}
): Scored[] {
  return rows.map((row) => {
    const input = render(pair.user, row)
    const messages = [
      ...(pair.system === undefined ? [] : [{ role: 'system' as const, content: pair.system }]),
      { role: 'user' as const, content: input }
    ]
    const decision = decideAsTarget(messages, {
      seed: options.seed ?? 1,
      noise: options.noise ?? 0
    })
    return { row, decision, input, correct: tagAnswer(decision.reply) === row.label }
  })
}

export function accuracy(scored: readonly Scored[]): number {
  return scored.filter((s) => s.correct).length / scored.length
}

/** A triage task with every local trait triage supports. */
export function triageTask(
  make: (
    spec: Parameters<typeof import('../../src/simulate/tasks.js').makeSyntheticTask>[0]
  ) => SyntheticTask,
  size = 160
): SyntheticTask {
  return make({
    name: 'triage',
    kind: 'triage',
    size,
    seed: 11,
    traits: ['sarcasm', 'negation', 'two-issues', 'hedging', 'rhetorical', 'caps', 'numeric']
  })
}
