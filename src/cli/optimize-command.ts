import { relative, resolve } from 'node:path'
import { openProject } from '../run/discover-prompts.js'
import { assertGainCanBeConfirmed, gainTasks } from '../run/held-out.js'
import { withSamples } from '../config/samples.js'
import { ExitCode } from '../errors.js'
import { checkReportPaths, reportPathsOf } from './check-report-paths.js'
import type { RunReport } from '../report/types.js'
import { estimateOptimize } from '../run/estimate-optimize.js'
import {
  CLI_WORDING,
  checkMethodChoice,
  defaultEdit,
  runOptimization
} from '../run/optimize-method.js'
import { methodScope } from '../config/methods.js'
import type { OptimizeMethod } from '../config/methods.js'
import type { CommandContext } from './context.js'
import { finish, warnBeforeMoney, withWarnings } from './eval-command.js'
import type { LoadedProject } from '../config/project-types.js'
import { budgetWarnings, testSplitNotes } from '../run/estimate-warnings.js'
import { mergeBudget } from '../run/open-session.js'
import { assertEditable, oneTask } from '../run/task-optimization.js'
import { partsOf } from '../config/prompt.js'
import { withCommandSession } from './session.js'
import { isSharedSystemRun } from '../run/shared-system-run.js'
import { decideGain } from '../run/optimize-gain.js'
import { writePromptsInPlace, writePromptsToFolder } from './write-prompts.js'
import { isIncomplete } from '../run/stop.js'
import { STOP_LABELS } from '../report/format.js'

/**
 * `prompt-descent optimize`: APO on one task's prompt or MetaSPO on the shared system prompt, within
 * the budget; writes the best prompts to a folder, or over the prompt files with --write when the
 * gain on the held-out test split is more than noise.
 */
export async function runOptimizeCommand(context: CommandContext): Promise<number> {
  const { args, io } = context
  if (args.estimate) {
    // No session: an estimate needs no key and makes no call.
    const project = withSamples(
      await openProject(resolve(io.cwd, args.config), {
        warn: (m) => context.logger.warn(m)
      }),
      args.samples
    )
    const method = args.method ?? project.config.optimize.method
    const edit = args.edit ?? defaultEdit(project.config.optimize, method)
    const options = { method, task: args.tasks[0], holdout: args.holdout, tasks: args.tasks, edit }
    checkOptimizeRequest(project, args, method)
    const estimate = estimateOptimize({ project }, options)
    const caps = mergeBudget(project.config.budget, args.budget)
    const split = testSplitNotes(gainTasks({ project }, options), project.config.gate.confidence)
    const text = [
      estimate.text,
      '  test split (where the gain is measured):',
      ...split.lines.map((l) => `    ${l}`)
    ].join('\n')
    io.stdout(withWarnings(text, [...budgetWarnings(estimate.total, caps), ...split.warnings]))
    return ExitCode.ok
  }
  await checkReportPaths(reportPathsOf(args), io.cwd)
  return withCommandSession(
    context,
    async (session) => {
      const { config } = session.project
      const method = args.method ?? config.optimize.method
      const seed = args.seed ?? config.optimize.seed
      const edit = args.edit ?? defaultEdit(config.optimize, method)
      checkOptimizeRequest(session.project, args, method)
      const holdout = args.holdout.length > 0 ? args.holdout : undefined
      const gain = gainTasks(session, {
        method,
        task: args.tasks[0],
        tasks: args.tasks,
        holdout,
        edit
      })
      if (args.write) assertGainCanBeConfirmed(session, gain, 'optimize --write')
      const options = {
        method,
        task: args.tasks[0],
        holdout: args.holdout,
        tasks: args.tasks,
        edit
      }
      warnBeforeMoney(context, [
        ...budgetWarnings(estimateOptimize(session, options).total, config.budget),
        ...testSplitNotes(gain, config.gate.confidence).warnings
      ])
      // A provider that refuses mid-run still leaves a report: the stop reason and what was scored.
      const report = await runOptimization(session, {
        method,
        seed,
        task: args.tasks[0],
        edit,
        tasks: args.tasks,
        holdout,
        adapt: args.adapt
      })
      // Reports first: a prompt file the tool refuses to write (a link out of the repository) then
      // ends the run with exit 2 without losing what was computed.
      const code = await finish(report, context)
      await savePrompts(report, context, session.project.root)
      return code
    },
    { optimizing: true }
  )
}

/**
 * What the real run refuses before its first call, checked for `--estimate` too so both exit 2
 * alike: flags that do not fit the method, and `--prompt system` on a task with no system prompt.
 */
function checkOptimizeRequest(
  project: LoadedProject,
  args: CommandContext['args'],
  method: OptimizeMethod
): void {
  checkMethodChoice({ method, edit: args.edit, tasks: args.tasks }, CLI_WORDING)
  switch (methodScope(method)) {
    case 'task': {
      const edit = args.edit ?? defaultEdit(project.config.optimize, method)
      // GEPA on the shared system prompt of several tasks checks its tasks as MetaSPO does.
      if (isSharedSystemRun(project, { method, edit, tasks: args.tasks })) return
      const task = oneTask({ project }, args.tasks[0], method)
      assertEditable(task, edit, partsOf(task.prompt))
      return
    }
    case 'shared-system':
      return
  }
}

async function savePrompts(
  report: RunReport,
  context: CommandContext,
  root: string
): Promise<void> {
  const { args, io, logger } = context
  const optimization = report.optimization
  if (!optimization) return
  // A shared system prompt (task null) is written alone unless --write-user-prompts, as MetaSPO's.
  const shared = optimization.prompts.some((p) => p.task === null)
  const prompts = optimization.prompts.filter(
    (p) =>
      args.writeUserPrompts ||
      p.kind === 'system' ||
      (methodScope(optimization.method) === 'task' && !shared)
  )
  const changed = prompts.filter((p) => p.after !== p.before)
  if (changed.length === 0) {
    logger.info(
      isIncomplete(report.stop)
        ? `the run stopped (${STOP_LABELS[report.stop.reason]}) before it found a better prompt; nothing to write`
        : 'the search found no prompt better than the starting one; nothing to write'
    )
    return
  }
  const out = resolve(io.cwd, args.out ?? resolve(root, '.prompt-descent/optimized'))
  // The default folder is the tool's own, inside the repository: confined to it. --out is theirs.
  const saved = await writePromptsToFolder(
    root,
    out,
    changed,
    args.out === undefined ? root : undefined
  )
  for (const path of saved) logger.info(`wrote the optimized prompt to ${relative(io.cwd, path)}`)
  if (!args.write) return
  // The same rule as the action's pull request: a gain on test beyond noise, and for MetaSPO no
  // unseen task made worse.
  const decision = decideGain(report)
  if (!decision.gain) {
    logger.warn(`--write: the prompt files were left as they are — ${decision.reason}`)
    return
  }
  const written = await writePromptsInPlace(root, changed)
  for (const file of written) logger.info(`updated ${file}`)
}
