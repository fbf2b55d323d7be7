import { taskTargetModel } from '../config/task-models.js'
import type { OptimizeMethod } from '../config/methods.js'
import { samplingOf } from '../config/samples.js'
import { conversationText } from '../config/prompt.js'
import type { LoadedTask } from '../config/project-types.js'
import type { ModelConfig } from '../config/types.js'
import { buildMessages } from '../eval/evaluate.js'
import {
  estimateCost,
  estimateMessagesTokens,
  estimateTokens,
  sumEstimates
} from '../llm/estimate.js'
import type { CostEstimate } from '../llm/estimate.js'
import { freeTierWarnings } from '../llm/github-models-limits.js'
import { estimateApoRun } from '../optimize/apo/estimate.js'
import { estimateGepaRun } from '../optimize/gepa/estimate.js'
import { multiDevPasses, multiSearchCalls } from '../optimize/gepa/multi.js'
import { GEPA_ITERATIONS_PER_PASS } from '../optimize/gepa/presets.js'
import { estimateMetaspoCalls, estimateUnseenCalls } from '../optimize/metaspo/estimate.js'
import { stripControl } from '../report/sanitize.js'
import { describe } from './estimate-run.js'
import { oneTask } from './task-optimization.js'
import { metaspoTasks } from './optimize-metaspo.js'
import type { RunServices } from './services.js'
import { isSharedSystemRun } from './shared-system-run.js'

/** Output tokens assumed per target call when max_tokens is unset. */
const TARGET_OUTPUT = 100
/** Output tokens assumed per optimizer call (a critique, a rewritten prompt) when unset. */
const OPTIMIZER_OUTPUT = 400

export interface OptimizeEstimate {
  target: CostEstimate
  optimizer: CostEstimate
  total: CostEstimate
  text: string
}

/** Mean input tokens of one target call of a task (its rendered rows). */
function meanTargetTokens(task: LoadedTask): number {
  const rows = task.examples.slice(0, 200)
  if (rows.length === 0) return 0
  const sum = rows.reduce((s, e) => s + estimateMessagesTokens(buildMessages(task.prompt, e)), 0)
  return sum / rows.length
}

/** Calls and tokens per call of one method's run, and the line that explains them. */
interface MethodEstimate {
  targetCalls: number
  optimizerCalls: number
  targetTokens: number
  optimizerTokens: number
  line: string
  /** The model the target calls go to: the one task's own (a task-scoped method), else models.target. */
  target?: ModelConfig
}

function count(split: string, task: LoadedTask): number {
  return task.examples.filter((e) => e.split === split).length
}

/** What differs between the task-scoped methods' estimates; the rest is estimateOneTask's. */
interface TaskMethodEstimate {
  /** The search's calls (upper bounds). */
  calls: { targetCalls: number; optimizerCalls: number }
  /** Input tokens of one optimizer call. */
  optimizerTokens: number
  /** The line that explains the counts, before the test comparison's share. */
  line: string
}

/**
 * A task-scoped method's estimate: its search's calls (from `run`, given the task's train and dev
 * sizes and the input tokens of one target call), plus the test comparison, every scored example
 * counted k times with `samples: k`.
 */
function estimateOneTask(
  services: Pick<RunServices, 'project'>,
  method: 'apo' | 'gepa',
  taskName: string | undefined,
  run: (
    task: LoadedTask,
    sizes: { train: number; dev: number },
    perCall: number
  ) => TaskMethodEstimate
): MethodEstimate {
  const { config } = services.project
  const task = oneTask(services, taskName, method)
  const perCall = meanTargetTokens(task)
  const search = run(task, { train: count('train', task), dev: count('dev', task) }, perCall)
  const test = 2 * count('test', task)
  return {
    targetCalls: (search.calls.targetCalls + test) * samplingOf(task.config, config.models).samples,
    optimizerCalls: search.calls.optimizerCalls,
    targetTokens: perCall,
    optimizerTokens: search.optimizerTokens,
    line: `${search.line}; test comparison ${test} target calls`,
    target: taskTargetModel(task.config, config.models)
  }
}

/** Tokens of the feedback line GEPA adds to each row it shows. */
const FEEDBACK_TOKENS = 40

/**
 * Input tokens of one optimizer call: the prompt (shown, and echoed in the instructions' terms),
 * `rows` examples of `rowTokens` each with the target's reply, and the instructions around them.
 */
function metaPromptTokens(task: LoadedTask, rows: number, rowTokens: number): number {
  return (
    estimateTokens(conversationText(task.prompt)) * 2 + rows * (rowTokens + TARGET_OUTPUT) + 300
  )
}

function estimateApo(
  services: Pick<RunServices, 'project'>,
  taskName: string | undefined
): MethodEstimate {
  const apo = services.project.config.optimize.apo
  return estimateOneTask(services, 'apo', taskName, (task, sizes, perCall) => {
    const run = estimateApoRun(apo, sizes)
    const full = run.perRound.at(-1)
    return {
      calls: run,
      // An optimizer call carries the prompt and a group of failing examples with their replies.
      optimizerTokens: metaPromptTokens(task, apo.errorsPerGroup, perCall),
      line: `APO on ${task.name}: ${run.perRound.length} rounds; per full round ${full?.targetCalls ?? 0} target + ${full?.optimizerCalls ?? 0} optimizer calls`
    }
  })
}

function estimateGepa(
  services: Pick<RunServices, 'project'>,
  taskName: string | undefined
): MethodEstimate {
  const gepa = services.project.config.optimize.gepa
  return estimateOneTask(services, 'gepa', taskName, (task, sizes, perCall) => {
    const run = estimateGepaRun(gepa, sizes)
    return {
      calls: run,
      // A reflection carries the prompt and the minibatch rows with replies and a feedback line each.
      optimizerTokens: metaPromptTokens(task, gepa.minibatch, perCall + FEEDBACK_TOKENS),
      line: `GEPA on ${task.name}: at most ${run.iterations} iterations, ${run.devPasses} dev passes over ${run.dev} rows; ${run.formula}`
    }
  })
}

function estimateGepaShared(
  services: Pick<RunServices, 'project'>,
  options: { holdout: readonly string[]; tasks: readonly string[] }
): MethodEstimate {
  const { config } = services.project
  const gepa = config.optimize.gepa
  const { train, holdout } = metaspoTasks(services, options.holdout, options.tasks)
  const V = Math.min(
    gepa.devRows,
    train.reduce((s, t) => s + count('dev', t), 0)
  )
  const smallest = Math.min(...train.map((t) => count('train', t)))
  const b = Math.min(gepa.minibatch, smallest)
  const c = Math.min(gepa.confirm, Math.max(0, smallest - b))
  const components = gepa.components === 'system' ? 1 : 1 + train.length
  const search = multiSearchCalls(gepa, { dev: V, minibatch: b, confirm: c, components })
  const iterations = multiDevPasses(gepa.preset, components) * GEPA_ITERATIONS_PER_PASS
  const testSizes = Object.fromEntries(holdout.map((t) => [t.name, count('test', t)]))
  const unseen = estimateUnseenCalls(3, testSizes)
  const sourceTest = train.reduce((s, t) => s + 2 * count('test', t), 0)
  const all = [...train, ...holdout]
  const k = Math.max(1, ...all.map((t) => samplingOf(t.config, config.models).samples))
  const targetTokens = all.reduce((s, t) => s + meanTargetTokens(t), 0) / Math.max(1, all.length)
  return {
    targetCalls: (search + unseen + sourceTest) * k,
    optimizerCalls: iterations + holdout.length * 2,
    targetTokens,
    optimizerTokens: gepa.minibatch * (targetTokens + TARGET_OUTPUT + 40) + 600,
    line: `GEPA on the shared system prompt of ${train.length} tasks (${holdout.length} held out): at most ${iterations} iterations over ${V} Pareto dev rows, ≤ ${search} target calls in the search; unseen-task comparison ${unseen}, source-task test ${sourceTest} target calls`
  }
}

function estimateMetaspo(
  services: Pick<RunServices, 'project'>,
  holdoutNames: readonly string[]
): MethodEstimate {
  const { config } = services.project
  const { train, holdout } = metaspoTasks(services, holdoutNames)
  const sizes = Object.fromEntries(train.map((t) => [t.name, count('train', t)]))
  const run = estimateMetaspoCalls(
    config.optimize.metaspo,
    train.map((t) => t.name),
    sizes
  )
  const testSizes = Object.fromEntries(holdout.map((t) => [t.name, count('test', t)]))
  const unseen = estimateUnseenCalls(3, testSizes)
  const sourceTest = train.reduce((s, t) => s + 2 * count('test', t), 0)
  const all = [...train, ...holdout]
  const k = Math.max(1, ...all.map((t) => samplingOf(t.config, config.models).samples))
  const targetTokens = all.reduce((s, t) => s + meanTargetTokens(t), 0) / Math.max(1, all.length)
  return {
    targetCalls: (run.targetCalls + unseen + sourceTest) * k,
    optimizerCalls: run.optimizerCalls + holdout.length * 2,
    targetTokens,
    optimizerTokens: 3 * (targetTokens + TARGET_OUTPUT) * Math.max(1, train.length) + 300,
    line: `MetaSPO on ${train.length} tasks (${holdout.length} held out): per iteration ${run.perIteration[0]?.targetCalls ?? 0} target calls without racing + ${run.perIteration[0]?.optimizerCalls ?? 0} optimizer calls; unseen-task comparison ${unseen}, source-task test ${sourceTest} target calls`
  }
}

/**
 * What `optimize` would spend, without calling a model: the method's call counts (upper bounds from
 * its formula; cache hits, early stops and racing make real runs cheaper) times tokens per call
 * estimated from the rendered examples (≈ 4 characters a token).
 */
export function estimateOptimize(
  services: Pick<RunServices, 'project'>,
  options: {
    method: OptimizeMethod
    task: string | undefined
    holdout: readonly string[]
    /** The prompt asked for and the tasks named (GEPA on the shared system prompt). */
    edit?: 'user' | 'system'
    tasks?: readonly string[]
  }
): OptimizeEstimate {
  const { config } = services.project
  const optimizerModel = config.models.optimizer
  let run: MethodEstimate
  switch (options.method) {
    case 'apo':
      run = estimateApo(services, options.task)
      break
    case 'metaspo':
      run = estimateMetaspo(services, options.holdout)
      break
    case 'gepa':
      run =
        options.edit !== undefined &&
        isSharedSystemRun(services.project, {
          method: options.method,
          edit: options.edit,
          tasks: options.tasks ?? []
        })
          ? estimateGepaShared(services, { holdout: options.holdout, tasks: options.tasks ?? [] })
          : estimateGepa(services, options.task)
      break
  }
  const { targetCalls, optimizerCalls, targetTokens, optimizerTokens } = run
  // One task's optimization runs on that task's own target (tasks[].model, a prompt file's model),
  // whether --task names it or it is the config's only task.
  const targetModel = run.target ?? config.models.target
  const target = estimateCost({
    calls: targetCalls,
    inputTokens: Math.round(targetCalls * targetTokens),
    outputTokens: targetCalls * (targetModel.maxTokens ?? TARGET_OUTPUT),
    model: targetModel.model,
    prices: config.provider.prices
  })
  const optimizer = estimateCost({
    calls: optimizerCalls,
    inputTokens: Math.round(optimizerCalls * optimizerTokens),
    outputTokens: optimizerCalls * (optimizerModel.maxTokens ?? OPTIMIZER_OUTPUT),
    model: optimizerModel.model,
    prices: config.provider.prices
  })
  const total = sumEstimates([target, optimizer])
  const simulated = config.provider.type === 'simulated'
  const text = [
    `estimate for optimize --method ${options.method} — an upper bound, no calls made${simulated ? ' (simulated provider: free)' : ''}:`,
    `  ${run.line}`,
    `  target (${targetModel.model}): ${describe(target, simulated)}`,
    `  optimizer (${optimizerModel.model}): ${describe(optimizer, simulated)}`,
    `  total: ${describe(total, simulated)}`,
    ...(config.provider.type === 'github-models'
      ? freeTierWarnings(
          new Map([
            [
              targetModel.model,
              targetCalls + (optimizerModel.model === targetModel.model ? optimizerCalls : 0)
            ],
            ...(optimizerModel.model === targetModel.model
              ? []
              : [[optimizerModel.model, optimizerCalls] as const])
          ])
        )
      : [])
  ].join('\n')
  // Task and model names come from the repository's files: no escape sequence reaches the terminal.
  return { target, optimizer, total, text: stripControl(text) }
}
