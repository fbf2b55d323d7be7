/**
 * The end of an optimize run: decide whether the gain is real, propose the changed prompt files
 * as a pull request (or say why not), and publish the report, the outputs and the reply.
 */
import * as core from '@actions/core'
import type { LoadedProject } from '../config/project-types.js'
import type { GitHubApi } from '../github/api.js'
import { proposeChanges } from '../github/pull-request.js'
import { renderMarkdown } from '../report/markdown.js'
import type { RunReport } from '../report/types.js'
import { mention, reply } from './comment-trigger.js'
import type { RunContext } from './context.js'
import type { ActionSettings } from './inputs.js'
import { decideGain } from '../run/optimize-gain.js'
import { reproduceInfo } from './optimize-reproduce.js'
import type { OptimizeRequest } from './optimize-request.js'
import {
  commitMessage,
  proposalBody,
  proposalTitle,
  replyText,
  statusSection
} from './optimize-text.js'
import type { ProposalOperation, ProposalOrigin } from './optimize-text.js'
import type { Trigger } from './optimize-trigger.js'
import { assertWorkspaceIsBranch, headCommit, proposalFiles } from './proposal-files.js'
import { reportPointer, setReportOutputs, writeJobSummary, writeReportFiles } from './publish.js'

/** The proposal outputs: what happened, the pull request, the branch. */
export function setProposalOutputs(
  operation: ProposalOperation | 'skipped' | 'refused',
  pull: { number: number | undefined; url: string | undefined },
  branch: string
): void {
  core.setOutput('pr-operation', operation)
  core.setOutput('pr-number', pull.number === undefined ? '' : String(pull.number))
  core.setOutput('pr-url', pull.url ?? '')
  core.setOutput('pr-branch', branch)
}

/** Decides, proposes (or not) and publishes. */
export async function propose(args: {
  api: GitHubApi
  settings: ActionSettings
  context: RunContext
  trigger: Trigger
  project: LoadedProject
  request: OptimizeRequest
  branch: string
  repoRoot: string
  report: RunReport
}): Promise<void> {
  const { api, settings, context, trigger, project, request, branch, report } = args
  const origin: ProposalOrigin = {
    pullNumber: trigger.pullNumber,
    requestedBy: trigger.comment?.author
  }
  const pointer = reportPointer(context.runUrl, settings.reportDir)
  const decision = decideGain(report)
  let operation: ProposalOperation
  let pull: { number: number | undefined; url: string | undefined }
  let reason: string
  let body: string
  if (decision.gain) {
    const files = await proposalFiles(project, args.repoRoot, report.optimization?.prompts ?? [])
    // The base may have moved during the run: never overwrite an edit made meanwhile.
    await assertWorkspaceIsBranch({
      api,
      project,
      repoRoot: args.repoRoot,
      branch: trigger.base,
      files: (report.optimization?.prompts ?? [])
        .filter((p) => p.after !== p.before)
        .map((p) => p.file),
      hint: `The branch ${trigger.base} changed while the optimization ran; run it again on the new commit.`
    })
    body = proposalBody({
      report,
      request,
      decision,
      origin,
      branch,
      reproduce: reproduceInfo({
        settings,
        context,
        request,
        project,
        commit: await headCommit(args.repoRoot)
      }),
      artifactHint: pointer,
      runUrl: context.runUrl
    })
    const result = await core.group('Propose the pull request', () =>
      proposeChanges(api, {
        base: trigger.base,
        branch,
        files,
        commitMessage: commitMessage(request, report, decision, origin),
        title: proposalTitle(request, origin),
        body,
        labels: settings.prLabels,
        reviewers: settings.prReviewers,
        draft: settings.prDraft
      })
    )
    for (const warning of result.warnings) core.warning(warning)
    operation = result.action
    pull = { number: result.number, url: result.url }
    reason =
      result.action === 'not-needed'
        ? `the optimized prompts are what branch ${trigger.base} already holds`
        : decision.summary
    core.info(`pull request ${result.action}: ${result.url ?? '(none)'}`)
  } else {
    const open = await api.listPullRequests({ headBranch: branch, state: 'open' })
    operation = 'no-gain'
    pull = { number: open[0]?.number, url: open[0]?.url }
    reason = decision.reason
    core.info(`no pull request: ${decision.reason}`)
    body = renderMarkdown(report, { artifactHint: pointer })
  }

  const status = statusSection({ operation, pull, reason, branch, stop: report.stop })
  const files = await writeReportFiles(report, body, context.workspace, settings.reportDir)
  await writeJobSummary(`${status}\n\n${body}`)
  setReportOutputs(report, { ...files, commentId: undefined, commentUrl: undefined })
  setProposalOutputs(operation, pull, branch)
  if (trigger.comment) {
    await reply(
      api,
      trigger.comment.issueNumber,
      replyText({
        who: mention(trigger.comment.author),
        operation,
        pull,
        reason,
        runUrl: context.runUrl
      })
    )
  }
}
