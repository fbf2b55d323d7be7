/**
 * Per-task facts every Markdown view (job summary, PR comment, PR body, Markdown report) states
 * beside the numbers: which model answered each task and judged each check, when they are not all
 * the run's target and judge, and what a task with few rows can and cannot show.
 */
import type { RunReport } from './types.js'
import { escapeInline, inlineCode } from './sanitize.js'

/**
 * `route` on `openai/gpt-4o-mini`, its check `tone` judged by `openai/gpt-4o`… Null when every task
 * ran on the run's target and every judge check on the run's judge (the title names those).
 */
export function modelsSection(report: RunReport): string | null {
  const lines: string[] = []
  const ownModels = report.tasks.some(
    (t) => t.model !== undefined && t.model !== report.models.target
  )
  for (const task of report.tasks) {
    const judges = [
      ...(task.judgeModel !== undefined ? [`judged by ${inlineCode(task.judgeModel, 80)}`] : []),
      ...(task.checks ?? [])
        .filter((c) => c.judgeModel !== undefined)
        .map((c) => `${escapeInline(c.name, 80)} judged by ${inlineCode(c.judgeModel ?? '', 80)}`)
    ]
    const ownJudge =
      task.judgeModel !== undefined && task.judgeModel !== report.models.judge
        ? true
        : (task.checks ?? []).some(
            (c) => c.judgeModel !== undefined && c.judgeModel !== report.models.judge
          )
    if (!ownModels && !ownJudge) continue
    const target = task.model === undefined ? '' : ` on ${inlineCode(task.model, 80)}`
    lines.push(
      `- **${escapeInline(task.task, 80)}**${target}${judges.length > 0 ? `; ${judges.join(', ')}` : ''}`
    )
  }
  if (lines.length === 0) return null
  return ['**Models per task:**', '', ...lines].join('\n')
}

/** What each task with few rows can and cannot show; null when no task is small. */
export function smallSetsSection(report: RunReport): string | null {
  const notes = report.tasks.flatMap((t) => (t.smallSet === undefined ? [] : [t.smallSet.text]))
  if (notes.length === 0) return null
  return [
    '> [!NOTE]',
    '> **Few rows.** What these scores can and cannot show:',
    ...notes.map((n) => `> - ${escapeInline(n, 400)}`)
  ].join('\n')
}
