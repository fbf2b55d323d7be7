/**
 * Warnings a run's results call for, worded so a person can act on them: a task whose every answer
 * was unreadable (the prompt and the extraction disagree) and a judge whose replies carried no
 * grade. They go into the report, so every view shows them, and to the log as the run ends.
 */
import type { LoadedProject } from '../config/project-types.js'
import type { ExtractConfig, MetricConfig, TaskConfig } from '../config/types.js'
import type { TaskEvalResult } from '../eval/types.js'
import { plural } from '../report/format.js'

/** What most likely makes every reply unreadable, and what to change. */
function unreadableFix(extract: ExtractConfig, metric: MetricConfig): string {
  switch (extract.type) {
    case 'tag':
      return `no reply carried <${extract.tag}>…</${extract.tag}>: ask for the answer inside that tag in the prompt, or change tasks[].extract`
    case 'regex':
      return `the extraction pattern /${extract.pattern}/ matched no reply: compare tasks[].extract.pattern with the replies in the JSON report`
    case 'json':
      return `no reply was JSON${extract.path ? ` with ${extract.path}` : ''}: ask for JSON in the prompt (or set a JSON response format), or fix tasks[].extract.path`
    case 'last-line':
      return `the last line of no reply held an answer: ask for the answer alone on the last line, or change tasks[].extract`
    case 'raw':
      return rawFix(metric)
  }
}

function rawFix(metric: MetricConfig): string {
  switch (metric.type) {
    case 'choice':
      return `no reply named one of the labels (${metric.choices.join(', ')}): ask for the label inside <answer>…</answer> and set extract: { type: tag, tag: answer }`
    case 'numeric':
      return `no reply held a number: ask for the number alone, or read it with tasks[].extract (tag or regex)`
    case 'json':
    case 'json_schema':
      return `no reply was valid JSON: ask for JSON only (or set a JSON response format), or read it with tasks[].extract`
    case 'exact':
    case 'contains':
    case 'regex':
    case 'judge':
    case 'gh-string':
    case 'gh-llm':
    case 'gh-builtin':
      return `check tasks[].extract and the replies in the JSON report`
  }
}

/** The judge's scale: of the task's judge metric, or of its first judge check. */
function judgeScale(config: TaskConfig): number | string {
  const metrics = [config.metric, ...(config.checks?.checks ?? []).map((c) => c.metric)]
  for (const metric of metrics) if (metric.type === 'judge') return metric.scale
  return 'N'
}

/** The warnings for these task results, in task order. */
export function runWarnings(project: LoadedProject, tasks: readonly TaskEvalResult[]): string[] {
  const warnings: string[] = []
  for (const result of tasks) {
    const task = project.tasks.find((t) => t.name === result.task)
    if (!task) continue
    if (result.n > 0 && result.unreadable === result.n) {
      warnings.push(
        `${result.task}: every answer was unreadable (${plural(result.n, 'reply', 'replies')}), so the score of 0% says nothing about the prompt — ${unreadableFix(task.config.extract, task.config.metric)}`
      )
    }
    const judged = result.judgeUnreadable ?? 0
    if (judged > 0) {
      const grade = `<score>1..${judgeScale(task.config)}</score>`
      const what =
        judged === result.n
          ? `no judge reply carried a readable grade (${grade}), so every example scored 0`
          : `${judged} of ${result.n} judge replies carried no readable grade (${grade}) and scored 0`
      warnings.push(
        `${result.task}: ${what} — the judge model "${judgeNames(result, project.config.models.judge.model)}" does not follow the grading format (the target's answers are not to blame): use a stronger models.judge, or a rubric that asks for nothing else`
      )
    }
  }
  return warnings
}

/** The judge models that graded a task (its checks' own), else the run's judge. */
function judgeNames(result: TaskEvalResult, fallback: string): string {
  const own = [result.judgeModel, ...(result.checks ?? []).map((c) => c.judgeModel)].filter(
    (m): m is string => m !== undefined
  )
  return own.length === 0 ? fallback : [...new Set(own)].join('", "')
}
