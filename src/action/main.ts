import * as core from '@actions/core'
import { resolve } from 'node:path'
import { loadProject } from '../config/load-project.js'
import type { LoadedProject } from '../config/project-types.js'
import { PromptDescentError, errorMessage } from '../errors.js'
import { applyGate } from '../eval/gate.js'
import { createGitHubApi } from '../github/api.js'
import type { RunReport } from '../report/types.js'
import { buildReport } from '../run/build-report.js'
import { gateAfterStop, runCompare } from '../run/compare-run.js'
import { evaluateTasks } from '../run/eval-run.js'
import { createGitReader } from '../run/git-reader.js'
import { openSession } from '../run/open-session.js'
import { selectTasks } from '../run/select-tasks.js'
import type { Session } from '../run/open-session.js'
import { cacheKeys, restoreResponseCache, saveResponseCache } from './actions-cache.js'
import { readRunContext } from './context.js'
import type { RunContext } from './context.js'
import { readSettings } from './inputs.js'
import type { ActionSettings } from './inputs.js'
import { createActionLogger } from './logger.js'
import { publishReport } from './publish.js'

/**
 * The action: on a pull request, base vs head with a sticky comment; elsewhere, an eval of the
 * checked-out prompts. Never throws: failures become setFailed with a clear message.
 */
export async function run(): Promise<void> {
  try {
    const settings = readSettings()
    const context = readRunContext()
    const project = await loadProject(resolve(context.workspace, settings.configPath))
    if (!(await prepareCredentials(settings, project))) return
    await runWithCache(settings, project, async () => {
      const report = await produceReport(settings, context, project)
      await publish(settings, context, project, report)
      conclude(settings, report)
    })
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

/**
 * Puts the API key where the config expects it (masked). With no key (a fork's pull request gets no
 * secrets) it writes a summary that says so and skips, unless told to fail.
 */
async function prepareCredentials(
  settings: ActionSettings,
  project: LoadedProject
): Promise<boolean> {
  const { provider } = project.config
  if (settings.baseUrl) project.config.provider.baseUrl = settings.baseUrl
  if (provider.type === 'simulated') {
    core.setOutput('skipped', 'false')
    return true
  }
  const key = settings.apiKey || process.env[provider.apiKeyEnv] || ''
  if (key === '') {
    const message = `no API key: set the \`api-key\` input (or the ${provider.apiKeyEnv} environment variable) from a secret. Pull requests from forks get no secrets, so this run skipped scoring.`
    core.setOutput('skipped', 'true')
    // Awaited and guarded: a runner without job summaries must not turn a skip into a crash.
    try {
      await core.summary.addHeading('prompt-descent: skipped', 3).addRaw(message, true).write()
    } catch (error) {
      core.warning(`could not write the job summary: ${errorMessage(error)}`)
    }
    if (settings.failWithoutKey) core.setFailed(message)
    else core.warning(message)
    return false
  }
  core.setSecret(key)
  process.env[provider.apiKeyEnv] = key
  core.setOutput('skipped', 'false')
  return true
}

async function runWithCache(
  settings: ActionSettings,
  project: LoadedProject,
  body: () => Promise<void>
): Promise<void> {
  const enabled = settings.cache && project.config.cache.enabled
  const dir = resolve(project.root, project.config.cache.dir)
  const keys = cacheKeys(project, process.env['RUNNER_OS'] ?? process.platform)
  const restored = enabled
    ? await restoreResponseCache(dir, keys)
    : { available: false, exactHit: false }
  try {
    await body()
  } finally {
    // Saved on success, on a budget stop and on failure alike: answers already paid for are kept.
    if (restored.available && !restored.exactHit) await saveResponseCache(dir, keys.key)
  }
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
    cache: settings.cache,
    budget: settings.budget
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
          baseReader: reader
        })
      )
    }
    return await core.group('Score the prompts', async () => {
      const startedAt = new Date()
      const outcome = await evaluateTasks(session, {
        tasks: settings.tasks,
        split: settings.split,
        seed
      })
      return buildReport(session, {
        kind: 'eval',
        startedAt,
        seed,
        split: settings.split,
        tasks: outcome.tasks,
        stop: outcome.stop,
        gate: gateAfterStop(
          applyGate(outcome.tasks, undefined, project.config.gate),
          project.config.gate,
          outcome.stop,
          selectTasks(project.tasks, settings.tasks).map((t) => ({ task: t.name, hasBase: false }))
        )
      })
    })
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
  if (
    report.stop.reason === 'budget' ||
    report.stop.reason === 'cancelled' ||
    report.stop.reason === 'provider-error'
  ) {
    core.setFailed(`prompt-descent could not finish: ${report.stop.message}`)
    return
  }
  if (report.gate && !report.gate.passed && settings.failOn === 'gate') {
    const failed = report.gate.checks.filter((c) => !c.passed).map((c) => `${c.task}: ${c.message}`)
    core.setFailed(`the prompt gate failed — ${failed.join('; ')}`)
  }
}
