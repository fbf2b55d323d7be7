import { partLocation, partsOf } from '../config/prompt.js'
import type { LoadedTask } from '../config/project-types.js'
import { InputError } from '../errors.js'
import { compareTaskResults } from '../eval/compare.js'
import type { StopInfo } from '../llm/ledger-types.js'
import { runMetaspo } from '../optimize/metaspo/metaspo.js'
import type { MetaspoResult } from '../optimize/metaspo/types.js'
import {
  compareTestTimeAdaptation,
  makeUserVariants,
  unseenGeneralization
} from '../optimize/metaspo/transfer.js'
import type { AdaptationPoint } from '../optimize/metaspo/transfer.js'
import type { UnseenResult } from '../optimize/metaspo/transfer.js'
import type { AdaptationSummary, OptimizationReport, PromptOutcome } from '../optimize/types.js'
import type { RunReport, TaskComparison } from '../report/types.js'
import { buildReport } from './build-report.js'
import { plural } from '../report/format.js'
import { evaluateTasks } from './eval-run.js'
import type { EvalOutcome } from './eval-run.js'
import { createScoreFn } from './score-fn.js'
import { examplesOf, selectTasks } from './select-tasks.js'
import type { RunServices } from './services.js'

/** User prompts per unseen task: its own and this many variants (the paper averages over several). */
const UNSEEN_VARIANTS = 2

export interface MetaspoRunOptions {
  /** Held-out tasks (override the config's optimize.metaspo.holdout). */
  holdout: readonly string[] | undefined
  seed: number
  /** Restrict the run to these tasks (meta-train and held out); all when empty. */
  tasks: readonly string[]
  /**
   * Also run test-time adaptation on each held-out task under both system prompts (APO on its user
   * prompt), to measure how much faster the optimized one gets there. Costs two APO runs per task.
   */
  adapt?: boolean
}

export interface MetaspoRunOutcome {
  report: RunReport
  result: MetaspoResult
  unseen: UnseenResult | undefined
}

/** A stop after which no further call is made: a cancel, or a provider that refuses. */
function interrupted(stop: StopInfo): boolean {
  return stop.reason === 'cancelled' || stop.reason === 'provider-error'
}

/** A stop after which the optional later phases (unseen tasks, adaptation) are skipped. */
function cutShort(stop: StopInfo): boolean {
  return interrupted(stop) || stop.reason === 'budget'
}

/** The meta-training tasks and the held-out (unseen) ones. */
export function metaspoTasks(
  services: Pick<RunServices, 'project'>,
  holdoutOverride: readonly string[] | undefined,
  only: readonly string[] = []
): { train: LoadedTask[]; holdout: LoadedTask[] } {
  const { project } = services
  const names =
    holdoutOverride && holdoutOverride.length > 0
      ? holdoutOverride
      : project.config.optimize.metaspo.holdout
  // selectTasks reads an empty list as "all tasks"; no holdout means none held out.
  const holdout = names.length > 0 ? selectTasks(project.tasks, names) : []
  const pool = selectTasks(project.tasks, only)
  const train = pool.filter((t) => !names.includes(t.name))
  if (train.length === 0) {
    throw new InputError('MetaSPO needs at least one task to meta-train on; every task is held out')
  }
  return { train, holdout }
}

/**
 * MetaSPO: one system prompt meta-learned over the meta-training tasks (selection on train, as the
 * method prescribes), then the evidence on data it never chose on: per source task the starting vs
 * the optimized pair on the test split, and on the held-out tasks the default vs the optimized system
 * prompt averaged over several user prompts.
 */
export async function runMetaspoOptimization(
  services: RunServices,
  options: MetaspoRunOptions
): Promise<MetaspoRunOutcome> {
  const startedAt = new Date()
  const { project, logger, models } = services
  const config = project.config.optimize.metaspo
  const systemFile = project.config.systemPrompt
  if (systemFile === undefined || project.sharedSystemPrompt === undefined) {
    throw new InputError(
      'MetaSPO optimizes the shared system prompt: set system_prompt (a file, e.g. prompts/system.md with "You are a helpful assistant.") in the config',
      { location: 'system_prompt' }
    )
  }
  const { train, holdout } = metaspoTasks(services, options.holdout, options.tasks)
  const startSystem = project.sharedSystemPrompt.text
  const simulated = project.config.provider.type === 'simulated'
  const scoreFor = (task: LoadedTask) => createScoreFn(services, task)
  const testRows = (t: LoadedTask): number => examplesOf(t, 'test').length
  const reserve =
    train.reduce((s, t) => s + 2 * testRows(t), 0) +
    holdout.reduce((s, t) => s + 2 * (1 + UNSEEN_VARIANTS) * testRows(t), 0)
  logger.info(
    `MetaSPO on ${train.map((t) => t.name).join(', ')}${holdout.length ? ` (held out: ${holdout.map((t) => t.name).join(', ')})` : ''}: ${plural(config.iterations, 'iteration')}, ${plural(config.systemCandidates, 'system candidate')}, racing ${config.racing ? 'on' : 'off'}`
  )
  let lastIterationCalls = 0
  const result = await runMetaspo({
    tasks: train,
    start: {
      system: startSystem,
      users: new Map(train.map((t) => [t.name, partsOf(t.prompt).user]))
    },
    config,
    optimizer: models.optimizer,
    scoreFor,
    seed: options.seed,
    signal: services.signal,
    // Keep enough budget for the test comparisons of the source tasks and the unseen ones.
    isNearBudgetEnd: () => services.nearBudgetEnd(reserve + lastIterationCalls),
    onIteration: (it) => {
      lastIterationCalls = it.targetCalls + it.optimizerCalls
      logger.info(
        `iteration ${it.iteration}: meta score ${(it.metaScore * 100).toFixed(1)}%, system prompt ${it.outer?.changed ? 'changed' : 'kept'}, target calls ${it.targetCalls}, optimizer calls ${it.optimizerCalls}${it.outer ? `, outer loop spent ${it.outer.callsSpent} of ${it.outer.callsFull} evaluations` : ''}`
      )
    }
  })
  logger.info(`MetaSPO stopped: ${result.stop.reason} — ${result.stop.message}`)
  let stop: StopInfo = { ...result.stop }

  // Source tasks: the starting pair vs the optimized pair, on test — unless the run was cancelled
  // or the provider refused (every further call would be refused too).
  const comparisons: TaskComparison[] = []
  const headTasks: EvalOutcome['tasks'] = []
  if (!interrupted(stop)) {
    for (const task of train) {
      const bestUser = result.users.get(task.name) ?? partsOf(task.prompt).user
      const base = await evaluateTasks(services, {
        tasks: [task.name],
        split: 'test',
        seed: options.seed,
        label: 'before',
        promptsFor: () => ({ system: startSystem, user: partsOf(task.prompt).user })
      })
      const head = await evaluateTasks(services, {
        tasks: [task.name],
        split: 'test',
        seed: options.seed,
        label: 'after',
        promptsFor: () => ({ system: result.system, user: bestUser })
      })
      const b = base.tasks[0]
      const h = head.tasks[0]
      if (h) headTasks.push(h)
      if (b && h) {
        comparisons.push(
          compareTaskResults(b, h, {
            level: project.config.gate.confidence,
            seed: options.seed,
            basePrompt: partsOf(task.prompt).user,
            headPrompt: bestUser,
            baseSystemPrompt: startSystem,
            headSystemPrompt: result.system
          })
        )
      }
      const cut = [base, head].find(
        (o) => o.fatal || o.stop.reason === 'budget' || o.stop.reason === 'cancelled'
      )?.stop
      if (cut) {
        stop = { ...cut, message: `${cut.message} (while scoring the test split)` }
        break
      }
    }
  }

  // Unseen tasks: default vs optimized system prompt under the task's own prompt and variants.
  let unseen: UnseenResult | undefined
  if (holdout.length > 0 && !cutShort(stop)) {
    const userVariants = new Map<string, string[]>()
    for (const task of holdout) {
      const variants = await makeUserVariants(task, models.optimizer, UNSEEN_VARIANTS, {
        signal: services.signal
      })
      userVariants.set(task.name, variants.prompts)
    }
    logger.info(
      `scoring the default and the optimized system prompt on ${plural(holdout.length, 'unseen task')}`
    )
    unseen = await unseenGeneralization({
      tasks: holdout,
      systems: { default: startSystem, optimized: result.system },
      userVariants,
      scoreFor,
      split: 'test',
      confidence: project.config.gate.confidence,
      seed: options.seed,
      signal: services.signal
    })
    if (unseen.stop.reason !== 'completed') stop = { ...unseen.stop }
  }
  const adaptations = new Map<string, AdaptationSummary>()
  if (options.adapt && unseen && !cutShort(stop)) {
    for (const task of holdout) {
      logger.info(
        `test-time adaptation on ${task.name} under the default and the optimized system prompt`
      )
      const comparison = await compareTestTimeAdaptation({
        task,
        systems: { default: startSystem, optimized: result.system },
        config: project.config.optimize.apo,
        optimizer: models.optimizer,
        score: scoreFor(task),
        seed: options.seed,
        signal: services.signal,
        isNearBudgetEnd: () => services.nearBudgetEnd()
      })
      const point = (p: AdaptationPoint | null, final: number | null) => ({
        rounds: p?.round ?? null,
        targetCalls: p?.targetCalls ?? null,
        final
      })
      adaptations.set(task.name, {
        target: comparison.target,
        default: point(comparison.toTarget.default, comparison.default.final),
        optimized: point(comparison.toTarget.optimized, comparison.optimized.final)
      })
      const cut = [comparison.default.stop, comparison.optimized.stop].find(
        (s) => s.reason !== 'completed'
      )
      if (cut) {
        stop = { ...cut, message: `${cut.message} (during test-time adaptation)` }
        break
      }
    }
  }

  const prompts: PromptOutcome[] = [
    { file: systemFile, kind: 'system', task: null, before: startSystem, after: result.system },
    ...train.map((t) => ({
      ...(partLocation(t.prompt, 'user') ?? { file: '' }),
      kind: 'user' as const,
      task: t.name,
      before: partsOf(t.prompt).user,
      after: result.users.get(t.name) ?? partsOf(t.prompt).user
    }))
  ]
  const optimization: OptimizationReport = {
    method: 'metaspo',
    simulated,
    seed: options.seed,
    prompts,
    testComparison: comparisons,
    rounds: result.rounds,
    candidates: result.candidates,
    details: {
      metaScore: { initial: result.initialMetaScore, final: result.metaScore },
      calls: result.calls,
      iterations: result.iterations.map((it) => ({
        iteration: it.iteration,
        metaScore: it.metaScore,
        systemChanged: it.outer?.changed ?? false,
        outerCallsFull: it.outer?.callsFull ?? 0,
        outerCallsSpent: it.outer?.callsSpent ?? 0,
        targetCalls: it.targetCalls,
        optimizerCalls: it.optimizerCalls
      })),
      holdout: holdout.map((t) => t.name),
      stop: result.stop
    },
    bestDev: null,
    racing: result.racing
  }
  if (unseen) {
    optimization.transfer = {
      average: unseen.average,
      tasks: unseen.tasks.map((t) => ({
        task: t.task,
        userPrompts: t.variants,
        examples: t.examples,
        default: { ...t.default.interval, value: t.default.mean },
        optimized: { ...t.optimized.interval, value: t.optimized.mean },
        delta: t.delta,
        improvedPrompts: t.improvedVariants,
        ...(adaptations.has(t.task) ? { adaptation: adaptations.get(t.task) } : {})
      }))
    }
  }
  const report = buildReport(services, {
    kind: 'optimize',
    startedAt,
    seed: options.seed,
    split: 'test',
    tasks: headTasks,
    stop,
    optimization
  })
  return { report, result, unseen }
}
