/**
 * The words of an optimize run: the pull request's title, commit message and body (the report as
 * evidence, plus how to reproduce it), the job-summary status and the reply to a `/optimize`.
 */
import { methodName, methodTitle } from '../config/methods.js'
import type { ProposeChangesResult } from '../github/pull-request.js'
import { renderMarkdown } from '../report/markdown.js'
import { reproduceSection } from '../report/markdown-optimize.js'
import type { ReproduceInfo } from '../report/markdown-optimize.js'
import { escapeInline, inlineCode } from '../report/sanitize.js'
import type { RunReport } from '../report/types.js'
import { STOP_LABELS } from '../report/format.js'
import type { StopInfo } from '../llm/ledger-types.js'
import type { GainDecision } from '../run/optimize-gain.js'
import { isSharedRequest, type OptimizeRequest } from './optimize-request.js'

/** What the pull-request body may use: under GitHub's 65,536 with room to spare. */
export const BODY_LIMIT = 65_000

export type ProposalOperation = ProposeChangesResult['action'] | 'no-gain'

/** Who asked, and for which pull request (a `/optimize` comment or a pull_request run). */
export interface ProposalOrigin {
  pullNumber: number | undefined
  requestedBy: string | undefined
}

/** What was optimized, in words; `markdown` escapes the task name for a body (a title is plain text). */
function target(request: OptimizeRequest, markdown = true): string {
  if (isSharedRequest(request)) return 'the shared system prompt'
  const name = (request.task ?? '').replace(/\s+/g, ' ').slice(0, 80)
  const task = markdown ? escapeInline(name, 80) : name
  return request.edit === 'user' ? `the ${task} prompt` : `the ${task} system prompt`
}

/** A stable title (no numbers), so an update does not churn it. Plain text: titles are not Markdown. */
export function proposalTitle(request: OptimizeRequest, origin: ProposalOrigin): string {
  const what = target(request, false)
  const suffix = origin.pullNumber === undefined ? '' : ` (suggestion for #${origin.pullNumber})`
  return `prompt-descent: improve ${what}${suffix}`
}

export function commitMessage(
  request: OptimizeRequest,
  report: RunReport,
  decision: GainDecision & { gain: true },
  origin: ProposalOrigin
): string {
  const method = methodName(request.method)
  return [
    proposalTitle(request, origin),
    '',
    `Held-out test split: ${decision.summary}.`,
    `${method}, seed ${report.seed}, config ${report.config.path} (sha256 ${report.config.hash.slice(0, 16)}).`
  ].join('\n')
}

/**
 * The pull-request body: why it exists, the report (before/after on test with intervals, the diff,
 * the lineage with its critiques, the candidates, the cost), then how to reproduce the run.
 */
export function proposalBody(args: {
  report: RunReport
  request: OptimizeRequest
  decision: GainDecision & { gain: true }
  origin: ProposalOrigin
  branch: string
  reproduce: ReproduceInfo
  artifactHint: string
  runUrl: string | undefined
}): string {
  const { request, origin } = args
  const asked =
    origin.requestedBy === undefined
      ? ''
      : ` Requested by ${inlineCode(`@${origin.requestedBy}`, 60)} with \`/optimize\` on #${origin.pullNumber ?? ''}.`
  const run = args.runUrl ? ` ([workflow run](${args.runUrl}))` : ''
  const intro = [
    `prompt-descent ran **${methodTitle(request.method)}** on ${target(request)} and proposes the best prompt it found. On the held-out test split, which was never used to choose, it scores ${escapeInline(args.decision.summary, 2_000)}.${asked}${run}`,
    '',
    'Review the diff and the evidence below; merge to adopt the prompt, or close the pull request to decline it.'
  ].join('\n')
  const tail = [
    reproduceSection(args.report, args.reproduce),
    '',
    `<sub>Later runs update this pull request in place (branch ${inlineCode(args.branch, 200)}); when a run finds no significant gain it leaves it as it is.</sub>`
  ].join('\n')
  const room = BODY_LIMIT - intro.length - tail.length - 4
  const report = renderMarkdown(args.report, {
    maxLength: Math.max(1_000, room),
    artifactHint: args.artifactHint,
    title: 'Evidence'
  })
  return `${intro}\n\n${report.trimEnd()}\n\n${tail}\n`
}

const OPERATION_LINES: Record<ProposalOperation, string> = {
  created: 'opened',
  updated: 'updated',
  unchanged: 'left unchanged (it already held this suggestion)',
  'not-needed': 'not needed',
  'no-gain': 'not opened'
}

/** The job summary's first lines: what happened to the proposal and why. */
export function statusSection(args: {
  operation: ProposalOperation
  pull: { number: number | undefined; url: string | undefined }
  reason: string
  branch: string
  /** The run's stop: a provider refusal or a cancel heads the summary as what it is. */
  stop?: StopInfo
}): string {
  const { operation, pull } = args
  const link = pull.number === undefined ? '' : `[#${pull.number}](${pull.url ?? ''})`
  const reason = escapeInline(args.reason, 2_000)
  if (operation === 'no-gain' || operation === 'not-needed') {
    const failed = args.stop?.reason === 'provider-error' || args.stop?.reason === 'cancelled'
    const heading =
      operation === 'not-needed'
        ? '### prompt-descent: nothing to propose — the branch already has these prompts'
        : failed && args.stop
          ? `### prompt-descent: no pull request — the run could not finish (${STOP_LABELS[args.stop.reason]})`
          : '### prompt-descent: no pull request — no significant gain'
    const open =
      pull.number === undefined
        ? ''
        : `\n\nAn earlier suggestion is still open: ${link} (branch ${inlineCode(args.branch, 200)}). It was left as it is; close it if it no longer helps.`
    return `${heading}\n\n${reason}.${open}`
  }
  return `### prompt-descent: pull request ${link} ${OPERATION_LINES[operation]}\n\n${reason}.`
}

/** The reply to a `/optimize` comment once the run is over. */
export function replyText(args: {
  who: string
  operation: ProposalOperation
  pull: { number: number | undefined; url: string | undefined }
  reason: string
  runUrl: string | undefined
}): string {
  const run = args.runUrl ? ` ([run](${args.runUrl}))` : ''
  const reason = escapeInline(args.reason, 1_500)
  const n = args.pull.number
  switch (args.operation) {
    case 'created':
      return `${args.who} I opened #${n ?? ''} with the suggestion: ${reason}.${run}`
    case 'updated':
      return `${args.who} I updated #${n ?? ''} with a new suggestion: ${reason}.${run}`
    case 'unchanged':
      return `${args.who} #${n ?? ''} already holds this suggestion: ${reason}.${run}`
    case 'not-needed':
      return `${args.who} nothing to suggest: this branch already has the optimized prompts.${run}`
    case 'no-gain':
      return `${args.who} no suggestion this time: ${reason}.${run}`
  }
}
