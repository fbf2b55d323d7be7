import * as core from '@actions/core'
import { resolve } from 'node:path'
import { commitLister, openProject } from '../run/discover-prompts.js'
import type { LoadedProject } from '../config/project-types.js'
import { PromptDescentError, ProviderError, errorMessage } from '../errors.js'
import { createGitHubApi } from '../github/api.js'
import type { RunReport } from '../report/types.js'
import { runCompare } from '../run/compare-run.js'
import { runEval } from '../run/eval-run.js'
import { isIncomplete } from '../run/stop.js'
import { createGitReader } from '../run/git-reader.js'
import { openSession } from '../run/open-session.js'
import type { Session } from '../run/open-session.js'
import { cancelSignal } from './cancel.js'
import { readRunContext } from './context.js'
import type { RunContext } from './context.js'
import { readSettings } from './inputs.js'
import type { ActionSettings } from './inputs.js'
import { createActionLogger } from './logger.js'
import { runOptimizeMode } from './optimize-mode.js'
import { historyTrend, recordHistoryStep } from './history-step.js'
import { publishReport } from './publish.js'
import { isForkModelsRefusal, prepareCredentials, runWithCache, skipRun } from './run-setup.js'

/**
 * The action: on a pull request, base vs head with a sticky comment; elsewhere, an eval of the
 * checked-out prompts; with `mode: optimize`, an optimization proposed as a pull request. Never
 * throws: failures become setFailed with a clear message.
 */
export async function run(): Promise<void> {
  try {
    const settings = readSettings()
    const context = readRunContext()
    if (settings.mode === 'optimize') await runOptimizeMode(settings, context)
    else await runEvalMode(settings, context)
  } catch (error) {
    core.setFailed(
      error instanceof PromptDescentError
        ? error.message
        : `prompt-descent failed: ${errorMessage(error)}`
    )
  }
  // Keep-alive sockets of the SDKs must not hold the job open once the work is done.
  setTimeout(() => process.exit(), 50).unref()
}

async function runEvalMode(settings: ActionSettings, context: RunContext): Promise<void> {
  const project = await openProject(resolve(context.workspace, settings.configPath), {
    warn: (m) => core.warning(m)
  })
  if (!(await prepareCredentials(settings, project))) return
  await runWithCache(settings, project, async () => {
    const fork = context.pullRequest?.fork === true
    const skipRefusal = (why: string) =>
      skipRun(
        settings,
        `GitHub Models refused the workflow token on this pull request from a fork (${why}). A fork's token may lack \`permissions: models: read\`, so this run skipped scoring; set \`fail-without-key: true\` to fail instead.`
      )
    let report: RunReport
    try {
      report = await produceReport(settings, context, project)
    } catch (error) {
      if (!(error instanceof ProviderError && isForkModelsRefusal(error.status, project, fork)))
        throw error
      await skipRefusal(error.message)
      return
    }
    // A refusal stops the run with a report (what was scored, and why it stopped).
    if (
      report.stop.reason === 'provider-error' &&
      isForkModelsRefusal(report.stop.status, project, fork)
    ) {
      await skipRefusal(report.stop.message)
      return
    }
    const trend = await historyTrend(
      settings,
      context,
      report.tasks.map((t) => t.task)
    )
    if (trend) report.trend = trend
    await publish(settings, context, project, report)
    await recordHistoryStep(settings, context, project, report)
    conclude(settings, report)
  })
}

async function produceReport(
  settings: ActionSettings,
  context: RunContext,
  project: LoadedProject
): Promise<RunReport> {
  const logger = createActionLogger()
  const session: Session = await openSession({
    project,
    configPath: project.configPath,
    env: process.env,
    logger,
    signal: cancelSignal(),
    cache: settings.cache,
    budget: settings.budget,
    samples: settings.samples
  })
  try {
    const seed = project.config.seed
    const baseRef = settings.baseRef ?? context.pullRequest?.baseSha
    if (baseRef) {
      const { reader, sha } = await core.group('Read the base commit', () =>
        createGitReader(project.root, baseRef)
      )
      return await core.group('Score base and head', () =>
        runCompare(session, {
          tasks: settings.tasks,
          split: settings.split,
          seed,
          baseRef: sha,
          headRef: context.pullRequest?.headSha ?? context.sha,
          baseReader: reader,
          baseList: commitLister(project.root, sha)
        })
      )
    }
    return await core.group('Score the prompts', () =>
      runEval(session, { tasks: settings.tasks, split: settings.split, seed })
    )
  } finally {
    session.close()
  }
}

async function publish(
  settings: ActionSettings,
  context: RunContext,
  project: LoadedProject,
  report: RunReport
): Promise<void> {
  const pr = context.pullRequest
  const comment =
    settings.comment && pr && settings.githubToken
      ? {
          api: createGitHubApi({
            token: settings.githubToken,
            owner: context.owner,
            repo: context.repo,
            baseUrl: context.apiUrl
          }),
          issueNumber: pr.number
        }
      : undefined
  await publishReport({
    report,
    project,
    workspace: context.workspace,
    reportDir: settings.reportDir,
    runUrl: context.runUrl,
    comment
  })
}

function conclude(settings: ActionSettings, report: RunReport): void {
  if (isIncomplete(report.stop)) {
    core.setFailed(`prompt-descent could not finish: ${report.stop.message}`)
    return
  }
  if (report.gate && !report.gate.passed && settings.failOn === 'gate') {
    const failed = report.gate.checks.filter((c) => !c.passed).map((c) => `${c.task}: ${c.message}`)
    core.setFailed(`the prompt gate failed — ${failed.join('; ')}`)
  }
}
