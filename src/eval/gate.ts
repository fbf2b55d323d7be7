import type { GateConfig, NewTaskPolicy } from '../config/types.js'
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
  const drop = -c.delta.value
  const [baseText, headText] = showPair(c.base.value, c.head.value)
  const [dropText, limitText] = showPair(Math.abs(c.delta.value), maxDrop)
  const move = `${baseText} → ${headText}`
  // The sequential test settled the verdict on the rows it scored: it decides, not the partial
  // data's fixed-sample test (which is only valid at one planned n).
  const settled = c.sequential?.stop
  if (settled === 'regressed' || settled === 'not-regressed') {
    const sign = c.delta.value < 0 ? '-' : '+'
    return {
      ...base,
      passed: settled === 'not-regressed',
      message: `${move} (${sign}${dropText}); ${c.sequential?.message ?? ''}`
    }
  }
  // A hair of slack so a delta of exactly −max_drop, computed with float noise, is not "beyond".
  if (drop <= maxDrop + 1e-12) {
    const sign = c.delta.value < 0 ? '-' : '+'
    const within = maxDrop === 0 ? 'no drop' : `within max_drop ${limitText}`
    return { ...base, passed: true, message: `${move} (${sign}${dropText}), ${within}` }
  }
  const significant = c.pValue < 1 - confidence
  const p = formatP(c.pValue)
  const beyond = maxDrop === 0 ? '' : `, more than max_drop ${limitText}`
  if (!significant) {
    const but = maxDrop === 0 ? '' : ' but'
    return {
      ...base,
      passed: true,
      message: `${move} drops ${dropText}${beyond}${but} within noise (${p})${droppedChecks(c)}`
    }
  }
  return {
    ...base,
    passed: false,
    message:
      maxDrop === 0
        ? `${move} drops ${dropText}, significant at ${percent(confidence)} (${p})${droppedChecks(c)}`
        : `${move} drops ${dropText}${beyond} (${p})${droppedChecks(c)}`
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

function percent(x: number): string {
  return `${Number((x * 100).toFixed(1))}%`
}

/** Which rule applied and how to change it: shown in every view of the gate. */
export function gateRule(gate: GateConfig): string {
  const level = percent(gate.confidence)
  const noBase = `a task with no base: ${gate.newTasks} (gate.new_tasks)`
  if (gate.source === 'default') {
    return (
      `default gate (the config has no gate: section): fails on a drop significant at ${level} confidence; ${noBase}. ` +
      "Set gate.min_score / gate.max_drop to change it, or opt out with `gate: {}` (or the action's `fail-on: never`)."
    )
  }
  const parts: string[] = []
  if (gate.minScore !== undefined) parts.push(`min_score ${gate.minScore}`)
  if (gate.maxDrop !== undefined) parts.push(`max_drop ${gate.maxDrop} at ${level} confidence`)
  const rules = parts.length > 0 ? parts.join(', ') : 'no threshold, so no score fails it'
  return `gate from the config: ${rules}; ${noBase}. Change it under gate: in the config.`
}

/** A task the gate could not compare, by gate.new_tasks: pass, warn (passes, flagged) or fail. */
function noBaseCheck(task: string, why: string, policy: NewTaskPolicy): GateCheck {
  const check: GateCheck = {
    task,
    kind: 'no_base',
    passed: policy !== 'fail',
    message: `not compared: ${why} (gate.new_tasks: ${policy})`
  }
  if (policy === 'warn') check.warning = true
  return check
}

/** Points on a 0–100 scale, rounded up so the warning never understates what is hidden. */
function points(drop: number): number {
  return Math.ceil(drop * 100 - 1e-9)
}

/**
 * The warning when max_drop is below the smallest drop this comparison can detect (power 0.8 at the
 * gate's confidence): e.g. "triage: with 7 test rows this gate cannot see a drop smaller than 53
 * points (max_drop is 2); add rows or samples".
 */
function blindSpot(c: TaskComparison, maxDrop: number): string | undefined {
  const drop = c.detectableDrop
  // A verdict the sequential test settled is not blind: it stopped because it could see.
  const settled = c.sequential?.stop === 'regressed' || c.sequential?.stop === 'not-regressed'
  if (settled || drop === undefined || c.n === 0 || drop <= maxDrop + 1e-12) return undefined
  const rows = `${c.n} row${c.n === 1 ? '' : 's'}`
  const k = c.samples ?? 1
  const samples = k > 1 ? ` of ${k} samples each` : ''
  const limit = Number((maxDrop * 100).toFixed(2))
  return (
    `${c.task}: with ${rows}${samples} this gate cannot see a drop smaller than ` +
    `${points(drop)} points (max_drop is ${limit}); add rows or samples`
  )
}

export interface GateExtras {
  /** Head tasks with no base (new, or the base could not be read). */
  added?: readonly string[]
}

/**
 * Applies the gate. min_score: each task's score must be at least min_score (a task with no
 * scored example fails). max_drop, per compared task: fails only when the paired delta head − base
 * is below −max_drop AND the drop is significant at the gate's confidence (p < 1 − confidence); a
 * larger drop within noise passes, and says so. A task that could not be compared — added in head,
 * or with no example scored on both sides — gets a `no_base` check by gate.new_tasks. Without
 * comparisons (a plain eval) there are no max_drop or no_base checks. The result carries the rule
 * that applied ({@link gateRule}).
 * A compared task whose smallest detectable drop exceeds max_drop adds a warning (the gate still
 * decides; it just says it is blind below that size).
 * A comparison the sequential gate stopped early (`sequential.stop` regressed / not-regressed) takes
 * its max_drop verdict from the sequential test instead (eval/sequential-test.ts), and has no
 * blind-spot warning: it stopped because it could tell.
 */
export function applyGate(
  tasks: readonly TaskEvalResult[],
  comparisons: readonly TaskComparison[] | undefined,
  gate: GateConfig,
  extras: GateExtras = {}
): GateResult {
  const checks: GateCheck[] = []
  if (gate.minScore !== undefined) {
    for (const task of tasks) checks.push(minScoreCheck(task, gate.minScore))
  }
  const warnings: string[] = []
  if (comparisons !== undefined) {
    for (const c of comparisons) {
      if (c.n === 0) {
        checks.push(noBaseCheck(c.task, 'no example was scored in both runs', gate.newTasks))
      } else if (gate.maxDrop !== undefined) {
        checks.push(maxDropCheck(c, gate.maxDrop, gate.confidence))
        // The default gate (max_drop 0, no gate: section) would warn on every comparison.
        const blind = gate.source === 'default' ? undefined : blindSpot(c, gate.maxDrop)
        if (blind !== undefined) warnings.push(blind)
      }
    }
    for (const task of extras.added ?? []) {
      const head = tasks.find((t) => t.task === task)
      const scored = head && head.n > 0 ? `; ${percent(head.score)} on head (n=${head.n})` : ''
      checks.push(noBaseCheck(task, `new in head, no base to compare with${scored}`, gate.newTasks))
    }
  }
  return {
    passed: checks.every((check) => check.passed),
    checks,
    rule: gateRule(gate),
    ...(warnings.length > 0 && { warnings })
  }
}
