import { resolve } from 'node:path'
import { openProject } from '../run/discover-prompts.js'
import { withSamples } from '../config/samples.js'
import { ExitCode } from '../errors.js'
import { renderTerminal } from '../report/terminal.js'
import type { RunReport } from '../report/types.js'
import { runEval } from '../run/eval-run.js'
import { isIncomplete } from '../run/stop.js'
import { withCommandSession } from './session.js'
import { estimateEval } from '../run/estimate-run.js'
import { budgetWarnings } from '../run/estimate-warnings.js'
import { mergeBudget } from '../run/open-session.js'
import type { CommandContext } from './context.js'
import { checkReportPaths, reportPathsOf } from './check-report-paths.js'
import { writeReportFiles } from './write-reports.js'

/** `prompt-descent eval`: score every task, print the table, write the reports, apply min_score. */
export async function runEvalCommand(context: CommandContext): Promise<number> {
  const { args, io } = context
  if (args.estimate) {
    // No session: an estimate needs no key and makes no call.
    const project = withSamples(
      await openProject(resolve(io.cwd, args.config), {
        warn: (m) => context.logger.warn(m)
      }),
      args.samples
    )
    const estimate = estimateEval({ project }, { tasks: args.tasks, split: args.split ?? 'all' })
    const caps = mergeBudget(project.config.budget, args.budget)
    io.stdout(withWarnings(estimate.text, budgetWarnings(estimate.total, caps)))
    return ExitCode.ok
  }
  await checkReportPaths(reportPathsOf(args), io.cwd)
  const report = await withCommandSession(context, (session) => {
    const split = args.split ?? 'all'
    warnBeforeMoney(
      context,
      budgetWarnings(
        estimateEval(session, { tasks: args.tasks, split }).total,
        session.project.config.budget
      )
    )
    return runEval(session, { tasks: args.tasks, split, seed: session.project.config.seed })
  })
  return finish(report, context)
}

/** An estimate's text followed by its warnings, one `warning:` line each. */
export function withWarnings(text: string, warnings: readonly string[]): string {
  return [text, ...warnings.map((w) => `warning: ${w}`)].join('\n') + '\n'
}

/** Warnings logged before the first call of a real run, while there is still time to stop it. */
export function warnBeforeMoney(context: CommandContext, warnings: readonly string[]): void {
  for (const warning of warnings) context.logger.warn(warning)
}

/** Prints the table, writes the report files and turns the report into an exit code. */
export async function finish(report: RunReport, context: CommandContext): Promise<number> {
  const { args, io, logger } = context
  logger.settle?.()
  io.stdout(
    `${renderTerminal(report, { color: process.stdout.isTTY === true && !io.env['NO_COLOR'] })}\n`
  )
  const written = await writeReportFiles(report, {
    json: args.json,
    markdown: args.markdown,
    junit: args.junit,
    junitPerExample: args.junitPerExample,
    cwd: io.cwd,
    warn: (message) => logger.warn(message)
  })
  for (const path of written) logger.info(`wrote ${path}`)
  return exitCodeOf(report)
}

/** 3 when the run did not finish, else 1 when a gate failed, else 0. */
export function exitCodeOf(report: RunReport): number {
  if (isIncomplete(report.stop)) return ExitCode.incomplete
  if (report.gate && !report.gate.passed) return ExitCode.gateFailed
  return ExitCode.ok
}
