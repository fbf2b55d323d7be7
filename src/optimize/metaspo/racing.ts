/**
 * Racing system-prompt candidates in MetaSPO's outer loop. The reference scores every candidate on
 * every (task, kept user prompt, train example) — most of a run's calls, mostly spent on hopeless
 * candidates. Here all candidates are scored in lockstep, a slice of every cell per step, and a
 * candidate is dropped as soon as it provably cannot be the one full scoring would choose:
 *
 * - its upper bound (every unscored example counted right) does not beat the incumbent, which stays
 *   unless strictly beaten; or
 * - another candidate's lower bound (every unscored example counted wrong) already reaches its upper
 *   bound (ties go to the earlier candidate, as in the reference's running argmax).
 *
 * The bounds are computed by the very function that computes the final meta score, with unknown
 * scores replaced by 1 or 0 in the same summation order. Floating-point rounding is monotone, so
 * bound ≥ value (or ≤) holds exactly in floats too, and the choice is exactly that of full scoring.
 * The order only changes the cost: from the second step on, the best-looking candidate is scored in
 * full at once, so its exact score sets the bar for the rest early.
 * The `confident` rule also drops a candidate whose Hoeffding upper confidence bound falls below the
 * best known score; it saves more and is not exact.
 */
import { BudgetExceededError, CancelledError } from '../../errors.js'
import { throwIfAborted } from '../../llm/abort.js'
import { orderedMean } from './scores.js'
import type { OuterCandidateRecord, RacingRule } from './types.js'
import { allOrAbort } from '../parallel.js'

/** One task's share of the meta score: `cells` kept user prompts, each scored on `size` examples. */
export interface RaceTask {
  cells: number
  size: number
}

/** A cell's scores at their train positions; undefined (or missing) = not scored yet. */
export type CellRow = ReadonlyArray<number | undefined>

/** Scores per task and per cell (kept user prompt). */
export type CellScores = ReadonlyArray<ReadonlyArray<CellRow>>

function cellMean(scores: CellRow, size: number, fill: number): number {
  let sum = 0
  for (let i = 0; i < size; i++) {
    const s = scores[i] ?? fill
    sum += Math.min(1, Math.max(0, s))
  }
  return size === 0 ? 0 : sum / size
}

/**
 * The meta score: the mean over tasks of the mean over each task's kept user prompts of the mean
 * train score. `fill` stands in for scores not known yet (1 → upper bound, 0 → lower bound).
 */
export function metaScoreOf(scores: CellScores, layout: readonly RaceTask[], fill = 0): number {
  return orderedMean(
    layout.map((task, t) =>
      orderedMean(
        Array.from({ length: task.cells }, (_, k) =>
          cellMean(scores[t]?.[k] ?? [], task.size, fill)
        )
      )
    )
  )
}

export interface RaceInput {
  arms: number
  layout: readonly RaceTask[]
  /** The incumbent's meta score, computed by metaScoreOf. */
  incumbent: number
  rule: RacingRule
  /** Slices each cell is scored in (ignored by `full`, which scores all at once). */
  steps: number
  /** Error probability of the `confident` rule (split over arms and steps). */
  delta: number
  /**
   * Scores `arm` on the first `upTo` examples of cell `cell` of task `task` in the order the caller
   * chooses to race them in; resolves with the cell's known scores at their train positions and
   * the evaluations it asked of the target.
   */
  evaluate(
    arm: number,
    task: number,
    cell: number,
    upTo: number,
    controller: AbortController
  ): Promise<{ scores: CellRow; spent: number }>
  signal?: AbortSignal
}

export interface RaceArm {
  value: number | null
  lower: number
  upper: number
  evaluations: number
  eliminated: OuterCandidateRecord['eliminated']
  eliminatedAtStep: number | null
}

export interface RaceResult {
  /** The arm full scoring chooses (first strict improvement on the best so far), or null. */
  winner: number | null
  arms: RaceArm[]
  /** Evaluations spent, and what scoring every arm fully would have cost. */
  spent: number
  full: number
  steps: number
  /** Set when a budget stop or cancel cut the race short (the winner is then among finished arms). */
  interrupted: BudgetExceededError | CancelledError | undefined
}

interface ArmState {
  scores: CellRow[][]
  arm: RaceArm
}

function isComplete(state: ArmState, layout: readonly RaceTask[]): boolean {
  return layout.every((task, t) =>
    Array.from({ length: task.cells }, (_, k) => k).every((k) => {
      const row = state.scores[t]?.[k] ?? []
      for (let i = 0; i < task.size; i++) if (row[i] === undefined) return false
      return true
    })
  )
}

function updateBounds(state: ArmState, layout: readonly RaceTask[]): void {
  state.arm.lower = metaScoreOf(state.scores, layout, 0)
  state.arm.upper = metaScoreOf(state.scores, layout, 1)
  if (isComplete(state, layout)) state.arm.value = state.arm.lower
}

/** Whether `j` can be dropped given every arm's bounds; the reason, or null. */
function dropReason(
  j: number,
  states: readonly ArmState[],
  input: RaceInput,
  evaluated: number,
  step: number
): OuterCandidateRecord['eliminated'] {
  const me = states[j] as ArmState
  if (me.arm.value !== null) return null
  if (me.arm.upper <= input.incumbent) return 'incumbent'
  for (let i = 0; i < states.length; i++) {
    if (i === j) continue
    const lower = (states[i] as ArmState).arm.lower
    if (i < j ? lower >= me.arm.upper : lower > me.arm.upper) return 'candidate'
  }
  if (input.rule === 'confident' && evaluated > 0) {
    const remaining = me.arm.upper - me.arm.lower
    const seenWeight = 1 - remaining
    const observed = seenWeight > 0 ? me.arm.lower / seenWeight : 0
    const delta = input.delta / Math.max(1, input.arms * input.steps)
    const margin = Math.sqrt(Math.log(1 / delta) / (2 * evaluated))
    const ucb = me.arm.lower + remaining * Math.min(1, observed + margin)
    const best = Math.max(
      input.incumbent,
      ...states.filter((_, i) => i !== j).map((s) => s.arm.lower)
    )
    if (step < input.steps && ucb < best) return 'confidence'
  }
  return null
}

/**
 * The arm to score in full this step: the best-looking one (highest mean on what was seen), if it
 * looks better than the bar it would have to clear. Its exact score then raises the bar for the
 * others much sooner than lockstep scoring would: with a bar T, an arm whose running mean is v is
 * dropped after a share (1 − T) / (1 − v) of its examples.
 */
function pickLeader(states: readonly ArmState[], incumbent: number): number | null {
  let bar = incumbent
  for (const s of states) {
    if (s.arm.value !== null && s.arm.eliminated === null) bar = Math.max(bar, s.arm.value)
  }
  let leader: number | null = null
  let best = -1
  states.forEach((s, j) => {
    if (s.arm.value !== null || s.arm.eliminated !== null) return
    const seen = 1 - (s.arm.upper - s.arm.lower)
    if (seen <= 0) return
    const mean = s.arm.lower / seen
    if (mean > best) {
      best = mean
      leader = j
    }
  })
  return best > bar ? leader : null
}

/** Races the arms; see the file comment. Never throws a budget stop or cancel: see `interrupted`. */
export async function race(input: RaceInput): Promise<RaceResult> {
  const { layout } = input
  const steps = input.rule === 'full' ? 1 : Math.max(1, Math.floor(input.steps))
  const full = input.arms * layout.reduce((sum, task) => sum + task.cells * task.size, 0)
  const states: ArmState[] = Array.from({ length: input.arms }, () => ({
    scores: layout.map((task) => Array.from({ length: task.cells }, () => [])),
    arm: {
      value: null,
      lower: 0,
      upper: 1,
      evaluations: 0,
      eliminated: null,
      eliminatedAtStep: null
    }
  }))
  for (const s of states) updateBounds(s, layout)
  let spent = 0
  let interrupted: RaceResult['interrupted']
  let step = 0

  try {
    for (step = 1; step <= steps; step++) {
      const alive = states
        .map((s, j) => ({ s, j }))
        .filter(({ s }) => s.arm.eliminated === null && s.arm.value === null)
      if (alive.length === 0) break
      throwIfAborted(input.signal)
      const controller = new AbortController()
      const jobs: Array<() => Promise<void>> = []
      const leader = step > 1 ? pickLeader(states, input.incumbent) : null
      for (const { s, j } of alive) {
        layout.forEach((task, t) => {
          const upTo = j === leader ? task.size : Math.ceil((task.size * step) / steps)
          for (let k = 0; k < task.cells; k++) {
            jobs.push(async () => {
              const out = await input.evaluate(j, t, k, upTo, controller)
              ;(s.scores[t] as CellRow[])[k] = out.scores.slice(0, task.size)
              s.arm.evaluations += out.spent
              spent += out.spent
            })
          }
        })
      }
      await allOrAbort(jobs, controller)
      for (const { s } of alive) updateBounds(s, layout)
      const evaluatedOf = (s: ArmState): number =>
        s.scores.reduce(
          (sum, cells) =>
            sum + cells.reduce((n, c) => n + c.filter((v) => v !== undefined).length, 0),
          0
        )
      const drops = alive.map(({ s, j }) => ({
        s,
        reason: dropReason(j, states, input, evaluatedOf(s), step)
      }))
      for (const { s, reason } of drops) {
        if (reason === null) continue
        s.arm.eliminated = reason
        s.arm.eliminatedAtStep = step
      }
    }
  } catch (error) {
    if (!(error instanceof BudgetExceededError || error instanceof CancelledError)) throw error
    interrupted = error
    for (const s of states) {
      updateBounds(s, layout)
      if (s.arm.value === null && s.arm.eliminated === null) {
        s.arm.eliminated = 'interrupted'
        s.arm.eliminatedAtStep = step
      }
    }
  }

  let best = input.incumbent
  let winner: number | null = null
  states.forEach((s, j) => {
    if (s.arm.eliminated === null && s.arm.value !== null && s.arm.value > best) {
      best = s.arm.value
      winner = j
    }
  })
  return { winner, arms: states.map((s) => s.arm), spent, full, steps, interrupted }
}
