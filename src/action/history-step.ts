import * as core from '@actions/core'
import { join } from 'node:path'
import { writeFileAtomic } from '../util/confined-write.js'
import { historyCharts } from '../report/history-chart.js'
import { renderHistoryFile } from '../report/history-file.js'
import type { HistoryRecord } from '../report/history-record.js'
import type { LoadedProject } from '../config/project-types.js'
import { errorMessage } from '../errors.js'
import { createGitHubApi } from '../github/api.js'
import { renderAlertMarkdown, renderHistoryMarkdown } from '../report/history-markdown.js'
import type { RunReport, TrendReport } from '../report/types.js'
import {
  commentRegressionAlerts,
  loadHistory,
  recentScores,
  recordHistory
} from '../run/history-run.js'
import type { RunContext } from './context.js'
import type { ActionSettings } from './inputs.js'

/**
 * Eval mode on a push with `history: true`: appends this commit's scores to the history on the data
 * branch, commits the trend charts beside it, and raises an alert when a score dropped
 * significantly against the previous record. Pull requests are gated against their base instead.
 */
export async function recordHistoryStep(
  settings: ActionSettings,
  context: RunContext,
  project: LoadedProject,
  report: RunReport
): Promise<void> {
  if (!settings.history) return
  if (context.pullRequest) {
    core.info('history: not recorded on a pull request (its baseline is the base commit)')
    return
  }
  if (!settings.githubToken) {
    core.warning('history: no github-token, so the history branch cannot be written')
    return
  }
  const api = createGitHubApi({
    token: settings.githubToken,
    owner: context.owner,
    repo: context.repo,
    baseUrl: context.apiUrl
  })
  const gate = project.config.gate
  let result
  try {
    result = await core.group('Record the score history', () =>
      recordHistory(api, report, {
        sha: context.sha,
        date: new Date().toISOString(),
        ref: context.ref,
        runUrl: context.runUrl,
        branch: settings.historyBranch,
        maxRecords: settings.historyMaxRecords,
        level: gate.confidence,
        maxDrop: gate.maxDrop,
        threshold: gate.minScore,
        serverUrl: context.serverUrl
      })
    )
  } catch (error) {
    // The scores are already reported; a history that cannot be written is a warning, not a failure.
    core.warning(`history: could not record this commit's scores: ${errorMessage(error)}`)
    return
  }
  await writeHistoryArtifact(
    context.workspace,
    join(context.workspace, settings.reportDir),
    result.records,
    gate.minScore
  )
  core.setOutput('history-records', String(result.records.length))
  core.setOutput('regressions', JSON.stringify(result.alerts.map((a) => a.task)))
  if (!result.recorded) core.warning(`history: ${result.skippedReason ?? 'not recorded'}`)
  else
    core.info(
      `history: ${result.records.length} records on ${settings.historyBranch} (${result.commitSha ?? ''})`
    )
  const alertText = renderAlertMarkdown(result.alerts, {
    chartUrl: result.chartUrl,
    runUrl: context.runUrl,
    maxDrop: gate.maxDrop
  })
  try {
    await core.summary
      .addRaw(
        `${alertText}\n${renderHistoryMarkdown(result.records, { trends: result.trends, chartUrl: result.chartUrl })}`,
        true
      )
      .write()
  } catch (error) {
    core.warning(`could not write the history to the job summary: ${errorMessage(error)}`)
  }
  if (result.alerts.length === 0 || settings.alertOnRegression === 'off') return
  try {
    const comment = await commentRegressionAlerts(api, context.sha, result.alerts, {
      chartUrl: result.chartUrl,
      runUrl: context.runUrl,
      maxDrop: gate.maxDrop
    })
    if (comment?.action === 'skipped') core.warning(comment.warning)
  } catch (error) {
    core.warning(
      `history: could not comment on commit ${context.sha.slice(0, 7)}: ${errorMessage(error)}`
    )
  }
  if (settings.alertOnRegression === 'fail') {
    core.setFailed(
      `a score dropped significantly against the previous commit: ${result.alerts.map((a) => a.task).join(', ')}`
    )
  }
}

/**
 * On a pull request with `history: true`, the recent scores of each task from the data branch, so
 * the gate table shows a sparkline beside each task. A missing history is no error.
 */
export async function historyTrend(
  settings: ActionSettings,
  context: RunContext,
  tasks: readonly string[]
): Promise<TrendReport | undefined> {
  if (!settings.history || !context.pullRequest || !settings.githubToken) return undefined
  const api = createGitHubApi({
    token: settings.githubToken,
    owner: context.owner,
    repo: context.repo,
    baseUrl: context.apiUrl
  })
  try {
    const records = await loadHistory(api, { branch: settings.historyBranch })
    if (records.length === 0) return undefined
    return {
      source: `${settings.historyBranch}:history/history.json`,
      tasks: recentScores(records, tasks)
    }
  } catch (error) {
    core.info(`history: no trend for the comment (${errorMessage(error)})`)
    return undefined
  }
}

/**
 * The history and its charts also go to `report-dir/history/`, so a workflow can publish them as an
 * artifact (upload-artifact) without reading the data branch.
 */
async function writeHistoryArtifact(
  confine: string,
  dir: string,
  records: readonly HistoryRecord[],
  threshold: number | undefined
): Promise<void> {
  try {
    const root = join(dir, 'history')
    await writeFileAtomic(join(root, 'history.json'), renderHistoryFile(records), { root: confine })
    for (const chart of historyCharts(records, { threshold })) {
      await writeFileAtomic(join(root, chart.path), chart.content, { root: confine })
    }
  } catch (error) {
    core.warning(
      `history: could not write the history to the report folder: ${errorMessage(error)}`
    )
  }
}
