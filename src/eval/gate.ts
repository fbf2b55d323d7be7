import type { GateConfig } from '../config/types.js'
import type { GateCheck, GateResult, TaskComparison } from './types.js'
import type { TaskEvalResult } from './types.js'

/**
 * Two numbers printed with just enough decimals (2 to 6) to show they differ, so a message never
 * reads "0.80 < min_score 0.80"; numbers equal to 6 decimals (float noise) print with 2.
 */
function showPair(a: number, b: number): [string, string] {
  for (let digits = 2; digits <= 6; digits++) {
    const x = a.toFixed(digits)
    const y = b.toFixed(digits)
    if (x !== y) return [x, y]
  }
  return [a.toFixed(2), b.toFixed(2)]
}

/** A p-value for a person: three significant digits, "p<0.001" below that. */
export function formatP(p: number): string {
  if (p < 0.001) return 'p<0.001'
  return `p=${Number(p.toPrecision(3))}`
}

function minScoreCheck(task: TaskEvalResult, minScore: number): GateCheck {
  if (task.n === 0) {
    const failed = task.failed > 0 ? ` (${task.failed} failed)` : ''
    return {
      task: task.task,
      kind: 'min_score',
      passed: false,
      message: `no example was scored${failed}, so min_score ${minScore} cannot be met`
    }
  }
  const passed = task.score >= minScore
  const [score, min] = showPair(task.score, minScore)
  return {
    task: task.task,
    kind: 'min_score',
    passed,
    message: passed ? `${score} ≥ min_score ${min}` : `${score} < min_score ${min}`
  }
}

function maxDropCheck(c: TaskComparison, maxDrop: number, confidence: number): GateCheck {
  const base = { task: c.task, kind: 'max_drop' as const }
  if (c.n === 0) {
    return {
      ...base,
      passed: true,
      message: 'no example was scored in both runs; nothing to compare'
    }
  }
  const drop = -c.delta.value
  const [baseText, headText] = showPair(c.base.value, c.head.value)
  const [dropText, limitText] = showPair(Math.abs(c.delta.value), maxDrop)
  const move = `${baseText} → ${headText}`
  // A hair of slack so a delta of exactly −max_drop, computed with float noise, is not "beyond".
  if (drop <= maxDrop + 1e-12) {
    const sign = c.delta.value < 0 ? '-' : '+'
    return {
      ...base,
      passed: true,
      message: `${move} (${sign}${dropText}), within max_drop ${limitText}`
    }
  }
  const significant = c.pValue < 1 - confidence
  const p = formatP(c.pValue)
  if (!significant) {
    return {
      ...base,
      passed: true,
      message: `${move} drops ${dropText}, more than max_drop ${limitText} but within noise (${p})${droppedChecks(c)}`
    }
  }
  return {
    ...base,
    passed: false,
    message: `${move} drops ${dropText}, more than max_drop ${limitText} (${p})${droppedChecks(c)}`
  }
}

/** `; checks that dropped: polite 0.90 → 0.60 (p=0.01)`, worst first; empty without checks. */
function droppedChecks(c: TaskComparison): string {
  const dropped = (c.checks ?? []).filter((k) => k.delta < 0).sort((a, b) => a.delta - b.delta)
  if (dropped.length === 0) return ''
  const parts = dropped.map((k) => {
    const [from, to] = showPair(k.base, k.head)
    return `${k.name} ${from} → ${to} (${formatP(k.pValue)})`
  })
  return `; checks that dropped: ${parts.join(', ')}`
}

/**
 * Applies the gate. min_score: each task's score must be at least min_score (a task with no
 * scored example fails). max_drop, per compared task: fails only when the paired delta head − base
 * is below −max_drop AND the drop is significant at the gate's confidence (p < 1 − confidence); a
 * larger drop within noise passes, and says so. Without comparisons (a plain eval) there are no
 * max_drop checks. No threshold configured → passed, no checks.
 */
export function applyGate(
  tasks: readonly TaskEvalResult[],
  comparisons: readonly TaskComparison[] | undefined,
  gate: GateConfig
): GateResult {
  const checks: GateCheck[] = []
  if (gate.minScore !== undefined) {
    for (const task of tasks) checks.push(minScoreCheck(task, gate.minScore))
  }
  if (gate.maxDrop !== undefined && comparisons !== undefined) {
    for (const c of comparisons) checks.push(maxDropCheck(c, gate.maxDrop, gate.confidence))
  }
  return { passed: checks.every((check) => check.passed), checks }
}
