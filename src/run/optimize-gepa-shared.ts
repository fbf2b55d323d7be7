/**
 * GEPA on the shared system prompt of a multi-task repository (the scope MetaSPO has): candidates of
 * several components (the system prompt and each task's editable user prompt), then the same
 * evidence as MetaSPO's on data the search never chose on (./shared-system-evidence.ts).
 */
import { partLocation, partMessage, partsOf } from '../config/prompt.js'
import type { LoadedTask } from '../config/project-types.js'
import { InputError } from '../errors.js'
import { runGepaMulti } from '../optimize/gepa/multi.js'
import type { GepaMultiResult } from '../optimize/gepa/multi-types.js'
import type { OptimizationReport, PromptOutcome } from '../optimize/types.js'
import type { RunReport } from '../report/types.js'
import type { UnseenResult } from '../optimize/metaspo/transfer.js'
import { buildReport } from './build-report.js'
import { metaspoTasks } from './optimize-metaspo.js'
import { createScoreFn } from './score-fn.js'
import type { RunServices } from './services.js'
import { evidenceReserve, sharedSystemEvidence, transferSummary } from './shared-system-evidence.js'

export interface GepaSharedRunOptions {
  /** Held-out tasks (override optimize.metaspo.holdout); none → the config's. */
  holdout: readonly string[] | undefined
  /** Restrict the run to these tasks (trained on and held out); all when empty. */
  tasks: readonly string[]
  seed: number
}

export interface GepaSharedRunOutcome {
  report: RunReport
  result: GepaMultiResult
  unseen: UnseenResult | undefined
  train: LoadedTask[]
}

/** Whether a task's user prompt may be edited (optimize.edit does not freeze it). */
function userEditable(task: LoadedTask): boolean {
  return partMessage(task.prompt, 'user')?.editable !== false
}

export async function runGepaSharedOptimization(
  services: RunServices,
  options: GepaSharedRunOptions
): Promise<GepaSharedRunOutcome> {
  const startedAt = new Date()
  const { project, logger, models } = services
  const config = project.config.optimize.gepa
  const systemFile = project.config.systemPrompt
  if (systemFile === undefined || project.sharedSystemPrompt === undefined) {
    throw new InputError(
      'optimize --method gepa --prompt system on several tasks optimizes the shared system prompt: set system_prompt (a file, e.g. prompts/system.md) in the config',
      { location: 'system_prompt' }
    )
  }
  const { train, holdout } = metaspoTasks(services, options.holdout, options.tasks)
  const startSystem = project.sharedSystemPrompt.text
  const users = new Map(train.map((t) => [t.name, partsOf(t.prompt).user]))
  const userTasks = train.filter(userEditable).map((t) => t.name)
  const reserve = evidenceReserve(train, holdout)
  logger.info(
    `GEPA on the shared system prompt of ${train.map((t) => t.name).join(', ')}${holdout.length ? ` (held out: ${holdout.map((t) => t.name).join(', ')})` : ''}: ${config.components === 'system' ? 1 : 1 + userTasks.length} components, preset ${config.preset}, merge ${config.merge ? `on (≤ ${Math.round(config.mergeShare * 100)}% of the calls)` : 'off'}, seed ${options.seed}`
  )
  const result = await runGepaMulti({
    tasks: train,
    start: { system: startSystem, users },
    userTasks,
    config,
    optimizer: models.optimizer,
    scoreFor: (task) => createScoreFn(services, task),
    seed: options.seed,
    signal: services.signal,
    canAfford: (target, optimizer) => !services.nearBudgetEnd(target + optimizer + reserve),
    onIteration: (it) => {
      logger.info(
        `iteration ${it.iteration}: parent ${it.parentId} → ${it.childId ?? 'nothing'} (${it.outcome}); target calls ${it.ledger.targetCalls}, optimizer calls ${it.ledger.optimizerCalls}`
      )
    }
  })
  logger.info(`GEPA stopped: ${result.stop.reason} — ${result.stop.message}`)
  const evidence = await sharedSystemEvidence(services, {
    train,
    holdout,
    startSystem,
    system: result.best.system,
    users: result.best.users,
    seed: options.seed,
    stop: { reason: result.stop.reason, message: result.stop.message }
  })
  const prompts: PromptOutcome[] = [
    {
      file: systemFile,
      kind: 'system',
      task: null,
      before: startSystem,
      after: result.best.system
    },
    ...train.map((t) => ({
      ...(partLocation(t.prompt, 'user') ?? { file: '' }),
      kind: 'user' as const,
      task: t.name,
      before: partsOf(t.prompt).user,
      after: result.best.users.get(t.name) ?? partsOf(t.prompt).user
    }))
  ]
  const optimization: OptimizationReport = {
    method: 'gepa',
    simulated: project.config.provider.type === 'simulated',
    seed: options.seed,
    prompts,
    testComparison: evidence.comparisons,
    rounds: result.rounds,
    candidates: result.candidates,
    details: {
      ...result.details,
      scope: 'shared-system',
      holdout: holdout.map((t) => t.name),
      bestId: result.bestId,
      stop: result.stop
    },
    bestDev: result.bestDev
  }
  if (evidence.unseen) optimization.transfer = transferSummary(evidence.unseen)
  const report = buildReport(services, {
    kind: 'optimize',
    startedAt,
    seed: options.seed,
    split: 'test',
    tasks: evidence.headTasks,
    stop: evidence.stop,
    optimization
  })
  return { report, result, unseen: evidence.unseen, train }
}
