/** Checks that span sampling keys and metrics: pass@k needs 0/1 scores, majority needs answers. */
import { isBinaryMetric, isVotable } from './samples.js'
import type { PathIssue } from './schema-issues.js'
import type { Aggregation, Config, TaskConfig } from './types.js'
import { taskMetrics } from './task-metrics.js'

function problem(task: TaskConfig, aggregate: Aggregation): string | undefined {
  const metrics = taskMetrics(task)
  switch (aggregate) {
    case 'mean':
      return undefined
    case 'pass@k':
    case 'pass^k': {
      const graded = metrics.find((m) => !isBinaryMetric(m))
      if (graded !== undefined)
        return `${aggregate} needs checks that score 0 or 1, but the ${graded.type} check gives partial credit; use aggregate: mean (or a judge with pass_at)`
      if (task.checks !== undefined && task.checks.pass === 'mean' && task.checks.checks.length > 1)
        return `${aggregate} needs a 0/1 score per reply, but pass: mean averages the checks; use pass: all or aggregate: mean`
      return undefined
    }
    case 'majority': {
      const free = metrics.find((m) => !isVotable(m, task))
      if (free !== undefined)
        return `majority votes on extracted answers, but the ${free.type} check reads free text${free.type === 'exact' || free.type === 'regex' ? ' (no extract: is set)' : ''}; use it with choice or numeric checks, or an extract:, or use aggregate: mean`
      return undefined
    }
  }
}

/** pass@k / pass^k on a graded check, majority on free text, a judge aggregating by pass@k. */
export function checkSampling(config: Config, issues: PathIssue[]): void {
  config.tasks.forEach((task, index) => {
    const own = task.aggregate !== undefined
    const aggregate = task.aggregate ?? config.models.target.aggregate ?? 'mean'
    const message = problem(task, aggregate)
    if (message !== undefined)
      issues.push({
        path: own ? ['tasks', index, 'aggregate'] : ['models', 'target', 'aggregate'],
        message: own ? message : `${message} (task ${task.name})`
      })
  })
  const judge = config.models.judge.aggregate
  if (judge === 'pass@k' || judge === 'pass^k')
    issues.push({
      path: ['models', 'judge', 'aggregate'],
      message: `expected mean or majority for the judge's grades, got ${judge}`
    })
}
