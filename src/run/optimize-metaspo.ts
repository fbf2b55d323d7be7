import { partLocation, partsOf } from '../config/prompt.js'
import type { LoadedTask } from '../config/project-types.js'
import { InputError } from '../errors.js'
import type { StopInfo } from '../llm/ledger-types.js'
import { runMetaspo } from '../optimize/metaspo/metaspo.js'
import type { MetaspoResult } from '../optimize/metaspo/types.js'
import { compareTestTimeAdaptation } from '../optimize/metaspo/transfer.js'
import type { AdaptationPoint } from '../optimize/metaspo/transfer.js'
import type { UnseenResult } from '../optimize/metaspo/transfer.js'
import type { AdaptationSummary, OptimizationReport, PromptOutcome } from '../optimize/types.js'
import type { RunReport } from '../report/types.js'
import { buildReport } from './build-report.js'
import { plural } from '../report/format.js'
import { createScoreFn } from './score-fn.js'
import { selectTasks } from './select-tasks.js'
import {
  cutShort,
  evidenceReserve,
  sharedSystemEvidence,
  transferSummary
} from './shared-system-evidence.js'
import type { RunServices } from './services.js'

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
  const reserve = evidenceReserve(train, holdout)
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

  const evidence = await sharedSystemEvidence(services, {
    train,
    holdout,
    startSystem,
    system: result.system,
    users: result.users,
    seed: options.seed,
    stop: { ...result.stop }
  })
  const { comparisons, headTasks, unseen } = evidence
  let stop: StopInfo = evidence.stop
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
  if (unseen) optimization.transfer = transferSummary(unseen, adaptations)
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
