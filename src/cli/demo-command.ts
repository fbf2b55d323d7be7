import { join, relative, resolve } from 'node:path'
import { renderTerminal } from '../report/terminal.js'
import type { RunReport } from '../report/types.js'
import { withCommandSession } from './session.js'
import { runApoOptimization } from '../run/optimize-apo.js'
import { runGepaOptimization } from '../run/optimize-gepa.js'
import { runMetaspoOptimization } from '../run/optimize-metaspo.js'
import { writeDemoRepository } from '../simulate/demo-repo.js'
import type { CommandContext } from './context.js'
import { exitCodeOf, runEvalCommand } from './eval-command.js'
import { writePromptsToFolder } from './write-prompts.js'

/**
 * `prompt-descent demo [DIR]`: writes synthetic repositories for the simulated provider and runs the
 * whole loop on them offline: `eval`, then APO on the triage task's prompt (as a Markdown template),
 * GEPA on the same prompt, APO again on it as a chat prompt with a few-shot turn, APO on a JSON extraction task (invoices, scored for
 * schema validity and field by field), then MetaSPO on a
 * seven-task repository's shared system prompt (four tasks meta-trained, three unseen).
 */
export async function runDemoCommand(context: CommandContext): Promise<number> {
  const { args, io, logger } = context
  const dir = resolve(io.cwd, args.positionals[0] ?? 'prompt-descent-demo')
  const seed = args.seed ?? 7
  const show = (path: string): string => relative(io.cwd, path) || '.'

  const single = await writeDemoRepository(join(dir, 'triage'), { seed })
  logger.info(`wrote a synthetic repository to ${show(single.root)}: ${single.files.join(', ')}`)
  logger.info('\n== step 1: score the prompts (prompt-descent eval)')
  const evalArgs = {
    ...args,
    command: 'eval' as const,
    config: single.configPath,
    split: args.split ?? 'all'
  }
  const evalCode = await runEvalCommand({ ...context, args: evalArgs })
  if (!args.optimize || evalCode > 1) return evalCode

  logger.info(
    '\n== step 2: improve the triage prompt with APO (prompt-descent optimize --method apo)'
  )
  const apo = await withCommandSession(
    context,
    async (session) => {
      const outcome = await runApoOptimization(session, { task: undefined, edit: 'user', seed })
      const saved = await writePromptsToFolder(
        session.project.root,
        join(session.project.root, '.prompt-descent/optimized'),
        outcome.report.optimization?.prompts ?? [],
        session.project.root
      )
      for (const path of saved) logger.info(`the improved prompt is in ${show(path)}`)
      return outcome.report
    },
    { configPath: single.configPath, optimizing: true }
  )
  print(apo, context)

  logger.info(
    "\n== step 2a: the same prompt with GEPA (prompt-descent optimize --method gepa): a few failing rows' feedback at a time, a Pareto pool of candidates, a fraction of APO's calls"
  )
  const gepa = await withCommandSession(
    context,
    async (session) =>
      (await runGepaOptimization(session, { task: undefined, edit: 'user', seed })).report,
    { configPath: single.configPath, optimizing: true }
  )
  print(gepa, context)

  let chatReport: RunReport | undefined
  if (single.chat !== undefined) {
    const chat = single.chat
    logger.info(
      `\n== step 2b: the same task as a chat prompt (${chat.promptFile}: a system message, a few-shot turn, the ticket); APO rewrites the ticket message, the few-shot turn stays as it is`
    )
    chatReport = await withCommandSession(
      context,
      async (session) => {
        const outcome = await runApoOptimization(session, { task: undefined, edit: 'user', seed })
        const saved = await writePromptsToFolder(
          session.project.root,
          join(session.project.root, '.prompt-descent/optimized'),
          outcome.report.optimization?.prompts ?? [],
          session.project.root
        )
        for (const path of saved) logger.info(`the improved messages file is in ${show(path)}`)
        return outcome.report
      },
      { configPath: chat.configPath, optimizing: true }
    )
    print(chatReport, context)
  }

  let invoicesReport: RunReport | undefined
  if (single.invoices !== undefined) {
    const invoices = single.invoices
    logger.info(
      `\n== step 2c: a JSON extraction task (${show(invoices.configPath)}: invoices → {vendor, invoice_number, date, currency, total}, checked for schema validity and field by field); APO rewrites ${invoices.promptFile}`
    )
    invoicesReport = await withCommandSession(
      context,
      async (session) =>
        (await runApoOptimization(session, { task: undefined, edit: 'user', seed })).report,
      { configPath: invoices.configPath, optimizing: true }
    )
    print(invoicesReport, context)
  }

  const multi = await writeDemoRepository(join(dir, 'reviews'), { seed, multiTask: true })
  logger.info(
    `\n== step 3: one system prompt for seven review tasks with MetaSPO (prompt-descent optimize --method metaspo)\nwrote ${show(multi.root)}: tasks ${multi.tasks.join(', ')}; held out: ${multi.holdout.join(', ')}`
  )
  const meta = await withCommandSession(
    context,
    async (session) => {
      const outcome = await runMetaspoOptimization(session, { holdout: undefined, seed, tasks: [] })
      return outcome.report
    },
    { configPath: multi.configPath, optimizing: true }
  )
  print(meta, context)
  logger.info(
    `\nnext: point a config at your own prompts and data (see examples/ and the README), then run \`prompt-descent eval\``
  )
  const codes = [apo, gepa, chatReport, invoicesReport, meta].map((r) =>
    r === undefined ? 0 : exitCodeOf(r)
  )
  return Math.max(...codes) ? 3 : 0
}

function print(report: RunReport, context: CommandContext): void {
  context.logger.settle?.()
  context.io.stdout(
    `${renderTerminal(report, { color: process.stdout.isTTY === true && !context.io.env['NO_COLOR'] })}\n`
  )
}
