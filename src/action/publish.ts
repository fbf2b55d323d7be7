import { partMessage } from '../config/prompt.js'
import * as core from '@actions/core'
import { join, relative } from 'node:path'
import type { LoadedProject } from '../config/project-types.js'
import { errorMessage } from '../errors.js'
import type { GitHubApi } from '../github/api.js'
import { tokenIdentity } from '../github/identity.js'
import { upsertStickyComment } from '../github/sticky-comment.js'
import { renderJson } from '../report/json.js'
import { renderJunit } from '../report/junit.js'
import { renderMarkdown } from '../report/markdown.js'
import type { RunReport } from '../report/types.js'
import { writeFileAtomic } from '../util/confined-write.js'

export interface Published {
  /** Undefined when the file could not be written (a warning said why). */
  jsonPath: string | undefined
  markdownPath: string | undefined
  junitPath: string | undefined
  commentId: number | undefined
  commentUrl: string | undefined
}

/** The sticky comment's marker: one comment per config file per pull request. */
export function commentMarker(configPath: string): string {
  return `prompt-descent:${configPath.replace(/-{2,}/g, '-')}`
}

/** Where the full report is, as trusted Markdown, for notes on truncated text. */
export function reportPointer(runUrl: string | undefined, reportDir: string): string {
  return runUrl
    ? `the [job summary](${runUrl}) and the JSON report (\`${reportDir}/report.json\`; upload it with actions/upload-artifact)`
    : `the job summary and the JSON report (\`${reportDir}/report.json\`)`
}

/**
 * Writes report.json, report.md and junit.xml (one test case per task) under the workspace's report folder, each atomically and never
 * through a symbolic link that leaves the workspace. A file that cannot be written (full disk, a
 * link out) is a warning naming it, and its path comes back undefined: the summary, the comment and
 * the outputs are still published.
 */
export async function writeReportFiles(
  report: RunReport,
  markdown: string,
  workspace: string,
  reportDir: string
): Promise<{
  jsonPath: string | undefined
  markdownPath: string | undefined
  junitPath: string | undefined
}> {
  const put = async (name: string, text: () => string): Promise<string | undefined> => {
    const path = join(workspace, reportDir, name)
    try {
      await writeFileAtomic(path, text(), { root: workspace })
      return path
    } catch (error) {
      core.warning(`could not write the report ${path}: ${errorMessage(error)}`)
      return undefined
    }
  }
  const jsonPath = await put('report.json', () => renderJson(report))
  const markdownPath = await put('report.md', () => markdown)
  const junitPath = await put('junit.xml', () => renderJunit(report, { perExample: false }))
  return { jsonPath, markdownPath, junitPath }
}

/** Appends to the job summary; a runner without one gets a warning, never a failed run. */
export async function writeJobSummary(markdown: string): Promise<void> {
  try {
    await core.summary.addRaw(markdown, true).write()
  } catch (error) {
    core.warning(`could not write the job summary: ${errorMessage(error)}`)
  }
}

/**
 * Publishes one report: JSON and Markdown files, the job summary, the sticky PR comment, outputs
 * and annotations on the prompt files of failing tasks. Renders once; every view shares the text.
 */
export async function publishReport(args: {
  report: RunReport
  project: LoadedProject
  workspace: string
  reportDir: string
  runUrl: string | undefined
  comment: { api: GitHubApi; issueNumber: number } | undefined
}): Promise<Published> {
  const { report, project } = args
  const pointer = reportPointer(args.runUrl, args.reportDir)
  const markdown = renderMarkdown(report, {
    marker: commentMarker(project.configPath),
    artifactHint: pointer
  })
  const files = await writeReportFiles(report, markdown, args.workspace, args.reportDir)
  await writeJobSummary(markdown)

  let commentId: number | undefined
  let commentUrl: string | undefined
  if (args.comment) {
    try {
      const identity = await tokenIdentity(args.comment.api)
      if (identity.source === 'default')
        core.info(
          `GitHub did not say who the token is; only comments by ${identity.login} are taken for ours`
        )
      const result = await upsertStickyComment(args.comment.api, {
        issueNumber: args.comment.issueNumber,
        authorLogin: identity.login,
        marker: commentMarker(project.configPath),
        body: markdown,
        truncationNote: `The full report is in ${pointer}.`
      })
      if (result.action === 'skipped') core.warning(result.warning)
      else {
        commentId = result.id
        commentUrl = result.url
        core.info(`pull-request comment ${result.action}: ${result.url}`)
      }
    } catch (error) {
      core.warning(`could not comment on the pull request: ${errorMessage(error)}`)
    }
  }

  annotate(report, project, args.workspace)
  for (const warning of report.warnings ?? []) core.warning(warning)
  const published = { ...files, commentId, commentUrl }
  setReportOutputs(report, published)
  return published
}

/** A failing gate check becomes an error annotation on the task's prompt file. */
function annotate(report: RunReport, project: LoadedProject, workspace: string): void {
  for (const check of report.gate?.checks ?? []) {
    if (check.passed) continue
    const task = project.tasks.find((t) => t.name === check.task)
    const source = task ? partMessage(task.prompt, 'user')?.source.file : undefined
    const file = source ? relative(workspace, join(project.root, source)) : undefined
    core.error(`${check.task}: ${check.message}`, {
      title: `prompt-descent gate (${check.kind})`,
      ...(file ? { file } : {})
    })
  }
}

/**
 * The report's outputs. Deltas and verdicts come from the base-vs-head comparison, or for an
 * optimization from the starting-vs-best comparison on the test split.
 */
export function setReportOutputs(report: RunReport, published: Published): void {
  const comparisons = report.comparison?.tasks ?? report.optimization?.testComparison ?? []
  const scores = Object.fromEntries(report.tasks.map((t) => [t.task, round(t.score)]))
  const mean =
    report.tasks.length === 0
      ? 0
      : report.tasks.reduce((s, t) => s + t.score, 0) / report.tasks.length
  const deltas = Object.fromEntries(comparisons.map((c) => [c.task, round(c.delta.value)]))
  const verdicts = Object.fromEntries(comparisons.map((c) => [c.task, c.verdict]))
  core.setOutput('passed', String(report.gate?.passed ?? true))
  core.setOutput('score', String(round(mean)))
  core.setOutput('scores', JSON.stringify(scores))
  core.setOutput('deltas', JSON.stringify(deltas))
  core.setOutput('verdicts', JSON.stringify(verdicts))
  core.setOutput('stop-reason', report.stop.reason)
  core.setOutput('report-json', published.jsonPath ?? '')
  core.setOutput('report-markdown', published.markdownPath ?? '')
  core.setOutput('report-junit', published.junitPath ?? '')
  core.setOutput('comment-id', published.commentId === undefined ? '' : String(published.commentId))
  core.setOutput('comment-url', published.commentUrl ?? '')
}

const round = (x: number): number => Math.round(x * 10_000) / 10_000
