/**
 * Warnings before money is spent: an estimate above a budget cap, and a test split too small for
 * the gain an optimization hopes to show to come out significant.
 */
import type { LoadedTask } from '../config/project-types.js'
import type { BudgetConfig } from '../config/types.js'
import { mcnemarExact } from '../eval/stats.js'
import type { CostEstimate } from '../llm/estimate.js'
import { formatCount, formatLevel, formatTokens, formatUsd } from '../report/format.js'

/** One warning per cap the estimate goes over (dollars, tokens, calls; minutes are not estimated). */
export function budgetWarnings(estimate: CostEstimate, caps: BudgetConfig): string[] {
  const over = (estimated: string, cap: string, key: string, flag: string): string =>
    `the estimate (${estimated}) is above the budget cap of ${cap} (budget.${key} or ${flag}): the run would stop there and keep what it has by then; raise the cap to run it whole, or score fewer rows (--task, --split, tasks[].limit)`
  const warnings: string[] = []
  if (caps.usd !== undefined && estimate.usd !== null && estimate.usd > caps.usd) {
    warnings.push(over(`≈ ${formatUsd(estimate.usd)}`, formatUsd(caps.usd), 'usd', '--max-usd'))
  }
  const tokens = estimate.inputTokens + estimate.outputTokens
  if (caps.tokens !== undefined && tokens > caps.tokens) {
    warnings.push(
      over(
        `${formatTokens(tokens)} tokens`,
        `${formatTokens(caps.tokens)} tokens`,
        'tokens',
        '--max-tokens'
      )
    )
  }
  if (caps.calls !== undefined && estimate.calls > caps.calls) {
    warnings.push(
      over(
        `${formatCount(estimate.calls)} calls`,
        `${formatCount(caps.calls)} calls`,
        'calls',
        '--max-calls'
      )
    )
  }
  return warnings
}

/**
 * The fewest examples that must flip, all the same way, for a paired exact McNemar test to call a
 * change significant at `confidence` (6 at 95%).
 */
export function minimumFlips(confidence: number): number {
  let k = 1
  while (mcnemarExact(0, k) > 1 - confidence) k++
  return k
}

/** Gains below this many points on test are common enough to be worth a split that can show them. */
const USEFUL_GAIN = 0.1

/**
 * How small a gain each task's test split can show, as a line for the estimate, and a warning when
 * it is above {@link USEFUL_GAIN} (or when the split cannot show any gain).
 */
export function testSplitNotes(
  tasks: readonly LoadedTask[],
  confidence: number
): { lines: string[]; warnings: string[] } {
  const flips = minimumFlips(confidence)
  const level = formatLevel(confidence)
  const lines: string[] = []
  const warnings: string[] = []
  for (const task of tasks) {
    const n = task.examples.filter((e) => e.split === 'test').length
    if (n < flips) {
      const text = `${task.name}: the test split has ${formatCount(n)} ${n === 1 ? 'row' : 'rows'}, too few to show any gain at ${level} (a paired test needs at least ${flips} rows that flip, all one way) — add rows or give tasks[].split a larger test share`
      lines.push(text)
      warnings.push(text)
      continue
    }
    const points = (flips / n) * 100
    const text = `${task.name}: the test split has ${formatCount(n)} rows; the smallest gain it can show at ${level} is ${points.toFixed(1)} points (${flips} rows flipping, all one way)`
    lines.push(text)
    if (flips / n > USEFUL_GAIN) {
      warnings.push(
        `${text}, so a smaller real gain would read as noise — add rows or give tasks[].split a larger test share`
      )
    }
  }
  return { lines, warnings }
}
