/**
 * `mode: optimize`: run APO or MetaSPO within the budget, and when the best prompt beats the
 * current one on the held-out test split by more than noise, propose it as a pull request from a
 * fixed branch (created, or updated in place by later runs). Started by workflow_dispatch, schedule,
 * a pull_request run, or a `/optimize` comment on a pull request.
 */
import { methodName } from '../config/methods.js'
import { runOptimization } from '../run/optimize-method.js'
import * as core from '@actions/core'
import { resolve } from 'node:path'
import { openProject } from '../run/discover-prompts.js'
import { assertGainCanBeConfirmed, gainTasks } from '../run/held-out.js'
import type { LoadedProject } from '../config/project-types.js'
import { InputError, errorMessage } from '../errors.js'
import { createGitHubApi } from '../github/api.js'
import type { GitHubApi } from '../github/api.js'
import { escapeInline } from '../report/sanitize.js'
import type { RunReport } from '../report/types.js'
import { openSession } from '../run/open-session.js'
import { cancelSignal } from './cancel.js'
import { mention, reply } from './comment-trigger.js'
import type { RunContext } from './context.js'
import type { ActionSettings } from './inputs.js'
import { createActionLogger } from './logger.js'
import { propose, setProposalOutputs } from './optimize-propose.js'
import { isSharedRequest, proposalBranch, resolveRequest } from './optimize-request.js'
import type { OptimizeRequest } from './optimize-request.js'
import { resolveTrigger } from './optimize-trigger.js'
import type { Trigger } from './optimize-trigger.js'
import { assertWorkspaceIsBranch, repositoryRoot } from './proposal-files.js'
import { writeJobSummary } from './publish.js'
import { prepareCredentials, runWithCache } from './run-setup.js'

/** Runs optimize mode; a failure after a `/optimize` was accepted is replied to, then rethrown. */
export async function runOptimizeMode(
  settings: ActionSettings,
  context: RunContext
): Promise<void> {
  if (!settings.githubToken) {
    throw new InputError(
      'mode: optimize proposes a pull request, so it needs the `github-token` input (the default, the workflow token, works unless the pull request must trigger other workflows)'
    )
  }
  const api = createGitHubApi({
    token: settings.githubToken,
    owner: context.owner,
    repo: context.repo,
    baseUrl: context.apiUrl
  })
  const outcome = await resolveTrigger(api, context)
  if (outcome.kind === 'stop') {
    core.info(`prompt-descent: nothing to optimize — ${outcome.reason}`)
    setProposalOutputs(outcome.operation, { number: undefined, url: undefined }, '')
    await writeJobSummary(
      `### prompt-descent: ${outcome.operation === 'refused' ? 'request refused' : 'nothing to do'}\n\n${escapeInline(outcome.reason, 500)}.`
    )
    return
  }
  const { trigger } = outcome
  try {
    await optimizeAndPropose(api, settings, context, trigger)
  } catch (error) {
    if (trigger.comment) {
      const run = context.runUrl ? ` ([run](${context.runUrl}))` : ''
      await reply(
        api,
        trigger.comment.issueNumber,
        `${mention(trigger.comment.author)} the optimization failed: ${escapeInline(errorMessage(error), 1_500)}${run}`
      )
    }
    throw error
  }
}

async function optimizeAndPropose(
  api: GitHubApi,
  settings: ActionSettings,
  context: RunContext,
  trigger: Trigger
): Promise<void> {
  const project = await openProject(resolve(context.workspace, settings.configPath), {
    warn: (m) => core.warning(m)
  })
  const request = resolveRequest(settings, trigger.command, project)
  assertGainCanBeConfirmed({ project }, gainTasks({ project }, request), 'an optimize pull request')
  const branch = proposalBranch(request, trigger.pullNumber)
  const repoRoot = await repositoryRoot(project.root, context.workspace)
  const hint =
    trigger.pullNumber === undefined
      ? `Check out the branch the workflow runs on (actions/checkout does by default) and do not edit the prompts in earlier steps.`
      : `For a pull request, check out its head: actions/checkout with \`ref: refs/pull/${trigger.pullNumber}/head\`.`
  // Before any model call: optimizing other text than the base holds would waste the budget.
  await assertWorkspaceIsBranch({
    api,
    project,
    repoRoot,
    branch: trigger.base,
    files: request.files,
    hint
  })
  if (!(await prepareCredentials(settings, project))) {
    setProposalOutputs('skipped', { number: undefined, url: undefined }, branch)
    if (trigger.comment) {
      await reply(
        api,
        trigger.comment.issueNumber,
        `${mention(trigger.comment.author)} no API key is configured for this workflow, so nothing was optimized.`
      )
    }
    return
  }
  await runWithCache(settings, project, async () => {
    // Every method ends a provider refusal with a report: what was scored and why it stopped.
    // (A fork's pull request never gets here: resolveTrigger refuses it, so there is no GitHub
    // Models fork refusal to skip as eval mode does.)
    const report = await optimize(settings, project, request)
    await propose({ api, settings, context, trigger, project, request, branch, repoRoot, report })
    conclude(report)
  })
}

async function optimize(
  settings: ActionSettings,
  project: LoadedProject,
  request: OptimizeRequest
): Promise<RunReport> {
  const session = await openSession({
    project,
    configPath: project.configPath,
    env: process.env,
    logger: createActionLogger(),
    signal: cancelSignal(),
    cache: settings.cache,
    budget: request.budget,
    samples: settings.samples,
    optimizing: true
  })
  try {
    const name = methodName(request.method)
    const label = !isSharedRequest(request)
      ? `Optimize the ${request.edit} prompt of ${request.task ?? ''} with ${name}`
      : `Optimize the system prompt with ${name}`
    return await core.group(label, () =>
      runOptimization(session, {
        method: request.method,
        seed: request.seed,
        task: request.task,
        edit: request.edit,
        tasks: request.tasks,
        holdout: undefined
      })
    )
  } finally {
    session.close()
  }
}

/** A run that could not finish fails the step; a budget stop only warns (the best so far was used). */
function conclude(report: RunReport): void {
  const { reason, message } = report.stop
  if (reason === 'cancelled' || reason === 'provider-error') {
    core.setFailed(`prompt-descent could not finish: ${message}`)
  } else if (reason === 'budget') {
    core.warning(`the optimization stopped at the budget: ${message}`)
  }
}
