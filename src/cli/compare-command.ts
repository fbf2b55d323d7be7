import { dirname, resolve } from 'node:path'
import { commitLister, openProject } from '../run/discover-prompts.js'
import { withSamples } from '../config/samples.js'
import { ExitCode, InputError } from '../errors.js'
import { estimateEval } from '../run/estimate-run.js'
import { runCompare } from '../run/compare-run.js'
import { createGitReader } from '../run/git-reader.js'
import type { CommandContext } from './context.js'
import { finish, warnBeforeMoney, withWarnings } from './eval-command.js'
import { budgetWarnings } from '../run/estimate-warnings.js'
import { mergeBudget } from '../run/open-session.js'
import { withCommandSession } from './session.js'
import { checkReportPaths, reportPathsOf } from './check-report-paths.js'

/**
 * `prompt-descent compare --base REF`: base vs head in any CI. Head is the working tree (or
 * --head REF); the base's prompts, data and config are read from git.
 */
export async function runCompareCommand(context: CommandContext): Promise<number> {
  const { args, io } = context
  const base = args.base
  if (!base)
    throw new InputError('compare needs --base REF (a branch, tag or commit to compare against)')
  if (args.estimate) {
    // No session: an estimate needs no key and makes no call.
    const head = withSamples(
      await openProject(resolve(io.cwd, args.config), {
        warn: (m) => context.logger.warn(m)
      }),
      args.samples
    )
    const estimate = estimateEval(
      { project: head },
      { tasks: args.tasks, split: args.split ?? 'all', sides: 2 }
    )
    const caps = mergeBudget(head.config.budget, args.budget)
    io.stdout(
      withWarnings(
        `${estimate.text}\n  base (${base}): at most as much again — nothing for the task prompts and data unchanged since the base, whose answers come from the cache`,
        budgetWarnings(estimate.total, caps)
      )
    )
    return ExitCode.ok
  }
  await checkReportPaths(reportPathsOf(args), io.cwd)
  // --head REF reads the head from git too; otherwise the working tree is the head.
  let project
  let headRef = 'working tree'
  if (args.head) {
    const configPath = resolve(io.cwd, args.config)
    const head = await createGitReader(dirname(configPath), args.head)
    project = await openProject(configPath, {
      readFile: head.reader,
      list: commitLister(dirname(configPath), head.sha),
      warn: (m) => context.logger.warn(m)
    })
    headRef = head.sha
  }
  return withCommandSession(
    context,
    async (session) => {
      const { reader, sha } = await createGitReader(session.project.root, base)
      const split = args.split ?? 'all'
      const head = estimateEval(session, { tasks: args.tasks, split }).total
      warnBeforeMoney(context, budgetWarnings(head, session.project.config.budget))
      const report = await runCompare(session, {
        tasks: args.tasks,
        split: args.split ?? 'all',
        seed: session.project.config.seed,
        baseRef: sha,
        headRef,
        baseReader: reader,
        baseList: commitLister(session.project.root, sha)
      })
      return finish(report, context)
    },
    { project }
  )
}
