/**
 * MetaSPO (Choi, Baek & Hwang, "System Prompt Optimization with Meta-Learning", NeurIPS 2025):
 * one system prompt meta-learned across a repository's tasks, so that it holds up under many user
 * prompts and carries over to tasks it never saw. Each iteration runs the inner loop (every task's
 * user prompts improved under the incumbent system prompt, ./metaspo-inner.ts) and then the outer
 * loop (system prompts proposed from failures pooled across tasks and judged on every task × kept
 * user prompt, ./metaspo-outer.ts). Selection is on train, as in the paper; test is never touched.
 *
 * Better than the reference on cost and robustness: no pair is scored twice, hopeless system
 * candidates are raced out with an exact rule (same choice as full scoring), malformed replies and
 * slot-losing rewrites never become prompts, and a budget stop or cancel ends the run cleanly with
 * the best (system, user prompts) found so far. Every sampling decision draws from a generator
 * forked by a label naming the iteration, task and candidate: the same seed gives the same run.
 */
import { partsOf } from '../../config/prompt.js'
import { templateSlots } from '../../config/template.js'
import { InputError } from '../../errors.js'
import { combineSignals, throwIfAborted } from '../../llm/abort.js'
import { createRandom } from '../../util/random.js'
import { CandidateRegistry, emptyRejectCounts } from '../candidate-guard.js'
import {
  beamOf,
  incumbentMetaScore,
  pairOf,
  type MetaspoContext,
  type MetaspoSettings
} from './context.js'
import { innerLoopForTask, type InnerOutcome } from './inner.js'
import { outerLoop } from './outer.js'
import { finish, toRound } from './result.js'
import { ScoreBook } from './scores.js'
import {
  DEFAULT_META_SYSTEM_PROMPT,
  type MetaspoInput,
  type MetaspoIterationRecord,
  type MetaspoResult
} from './types.js'
import { allOrAbort } from '../parallel.js'
import { providerStop, stopFromError } from '../stop.js'
import type { RoundRecord } from '../types.js'

export * from './types.js'

function settingsOf(input: MetaspoInput): MetaspoSettings {
  const o = input.options ?? {}
  return {
    rule: input.config.racing ? (o.racingRule ?? 'exact') : 'full',
    // Hoeffding's bound needs examples in random order; the exact rule gains from hard ones first.
    raceOrder: o.raceOrder ?? (o.racingRule === 'confident' ? 'train' : 'hard-first'),
    delta: o.racingDelta ?? 0.05,
    raceSteps: Math.max(1, Math.floor(o.raceSteps ?? 20)),
    errorsPerUserCandidate: Math.max(1, Math.floor(o.errorsPerUserCandidate ?? 3)),
    repairSlots: o.repairSlots ?? false,
    systemRewriteSeesExamples: o.systemRewriteSeesExamples ?? false
  }
}

function initialContext(input: MetaspoInput): MetaspoContext {
  const { tasks } = input
  if (tasks.length === 0) throw new InputError('MetaSPO needs at least one meta-training task')
  const random = createRandom(input.seed).fork('metaspo')
  const settings = settingsOf(input)
  const book = new ScoreBook(tasks, input.scoreFor, random, input.options?.trainLimit)
  const given = input.start.system
  const system = given === undefined || given.trim() === '' ? DEFAULT_META_SYSTEM_PROMPT : given
  const ctx: MetaspoContext = {
    tasks,
    config: input.config,
    settings,
    optimizer: input.optimizer,
    book,
    random,
    signal: input.signal,
    system: { id: 'system:i0', text: system },
    beams: new Map(),
    candidates: [],
    userRegistries: new Map(),
    systemRegistry: new CandidateRegistry(),
    requiredSlots: new Map(),
    counters: { target: 0, optimizer: 0 }
  }
  ctx.systemRegistry.claim(system, ctx.system.id)
  ctx.candidates.push({
    ...{ id: ctx.system.id, round: 0, parentId: null, origin: 'initial', critique: null },
    ...{ prompt: system, devScore: null, devEvaluations: 0, kept: true, kind: 'system' },
    ...{ task: null, systemId: null, trainScore: null, upperBound: null }
  })
  for (const task of tasks) {
    const user = input.start.users.get(task.name) ?? partsOf(task.prompt).user
    const id = `${task.name}:i0`
    ctx.beams.set(task.name, [{ id, prompt: user }])
    const registry = new CandidateRegistry()
    registry.claim(user, id)
    ctx.userRegistries.set(task.name, registry)
    ctx.requiredSlots.set(task.name, templateSlots(user))
    ctx.candidates.push({
      ...{ id, round: 0, parentId: null, origin: 'initial', critique: null, prompt: user },
      ...{ devScore: null, devEvaluations: 0, kept: true, kind: 'user', task: task.name },
      ...{ systemId: ctx.system.id, trainScore: null, upperBound: null }
    })
  }
  return ctx
}

/** Runs MetaSPO; resolves with the best pair found, also after a budget stop or a cancel. */
export async function runMetaspo(input: MetaspoInput): Promise<MetaspoResult> {
  const ctx = initialContext(input)
  const { book, tasks } = ctx
  const iterations: MetaspoIterationRecord[] = []
  const rounds: RoundRecord[] = []
  let stop: MetaspoResult['stop'] = {
    reason: 'completed',
    message: `ran ${input.config.iterations} iterations`
  }
  let initialMetaScore: number | null = null
  let initialTarget = 0
  let current: MetaspoIterationRecord | undefined
  let mark = { target: 0, optimizer: 0 }

  const close = (record: MetaspoIterationRecord): void => {
    record.metaScore = incumbentMetaScore(ctx)
    record.system = ctx.system.text
    record.targetCalls = ctx.counters.target - mark.target
    record.optimizerCalls = ctx.counters.optimizer - mark.optimizer
    iterations.push(record)
    rounds.push(toRound(record, ctx))
    input.onIteration?.(record)
  }

  try {
    throwIfAborted(input.signal)
    const controller = new AbortController()
    const signal = combineSignals(input.signal, controller.signal)
    const spent = await allOrAbort(
      tasks.map((task) => () => {
        const first = beamOf(ctx, task.name)[0]?.prompt ?? ''
        return book.complete(task.name, pairOf(ctx.system.text, first), signal)
      }),
      controller
    )
    initialTarget = spent.reduce((a, b) => a + b, 0)
    ctx.counters.target += initialTarget
    initialMetaScore = incumbentMetaScore(ctx)
    rounds.push({
      round: 0,
      candidates: tasks.length + 1,
      rejected: emptyRejectCounts(),
      bestDev: initialMetaScore,
      beam: [ctx.system.id, ...tasks.map((t) => `${t.name}:i0`)],
      targetCalls: initialTarget,
      optimizerCalls: 0,
      selectionEvaluations: 0
    })

    for (let it = 1; it <= input.config.iterations; it++) {
      if (input.isNearBudgetEnd?.() === true) {
        stop = {
          reason: 'budget',
          message: `the budget is nearly spent; stopped before iteration ${it}`
        }
        break
      }
      throwIfAborted(input.signal)
      mark = { ...ctx.counters }
      const record: MetaspoIterationRecord = {
        ...{ iteration: it, inner: [], outer: null, metaScore: 0, system: ctx.system.text },
        ...{ targetCalls: 0, optimizerCalls: 0 }
      }
      current = record
      const slots: Array<InnerOutcome | undefined> = tasks.map(() => undefined)
      const phase = new AbortController()
      const phaseSignal = combineSignals(input.signal, phase.signal)
      try {
        await allOrAbort(
          tasks.map((task, i) => async () => {
            slots[i] = await innerLoopForTask(ctx, task, it, phaseSignal)
          }),
          phase
        )
      } finally {
        // In task order, whichever finished first: the run's record does not depend on timing.
        const done = slots.filter((s): s is InnerOutcome => s !== undefined)
        record.inner = done.map((s) => s.record)
        for (const s of done) ctx.candidates.push(...s.candidates)
      }
      if (input.isNearBudgetEnd?.() === true) {
        stop = {
          reason: 'budget',
          message: `the budget is nearly spent; stopped before the outer loop of iteration ${it}`
        }
        break
      }
      throwIfAborted(input.signal)
      const outer = await outerLoop(ctx, it)
      record.outer = outer.record
      if (outer.interrupted !== undefined) throw outer.interrupted
      close(record)
      current = undefined
    }
  } catch (error) {
    const stopped = stopFromError(error, input.signal) ?? providerStop(error)
    if (stopped === undefined) throw error
    stop = stopped
  }
  if (current !== undefined && initialMetaScore !== null) close(current)
  return finish(ctx, { iterations, rounds, stop, initialMetaScore, initialTarget })
}
