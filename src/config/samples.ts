/** How many replies each example gets and how they combine, resolved per task. */
import type { LoadedProject } from './project-types.js'
import type { Aggregation, Config, MetricConfig, ModelConfig, TaskConfig } from './types.js'

export interface Sampling {
  /** Target replies per example (k). */
  samples: number
  aggregate: Aggregation
  /** Judge grades per graded reply (j) and how they combine. */
  judge: { samples: number; aggregate: 'mean' | 'majority' }
}

/** The judge's aggregate as the judge uses it (the config check rejects pass@k / pass^k there). */
function judgeAggregate(judge: ModelConfig): 'mean' | 'majority' {
  return judge.aggregate === 'majority' ? 'majority' : 'mean'
}

/** A task's sampling: its own `samples`/`aggregate`, else the target model's. */
export function samplingOf(task: TaskConfig, models: Config['models']): Sampling {
  return {
    samples: task.samples ?? models.target.samples ?? 1,
    aggregate: task.aggregate ?? models.target.aggregate ?? 'mean',
    judge: { samples: models.judge.samples ?? 1, aggregate: judgeAggregate(models.judge) }
  }
}

/** The metric scores every reply 0 or 1 (so pass@k and pass^k mean something). */
export function isBinaryMetric(metric: MetricConfig): boolean {
  switch (metric.type) {
    case 'exact':
    case 'contains':
    case 'choice':
    case 'regex':
    case 'numeric':
    case 'json_schema':
    case 'gh-string':
      return true
    case 'json':
    case 'gh-llm':
    case 'gh-builtin':
      return false
    case 'judge':
      return metric.passAt !== undefined
  }
}

/** The metric reads a short answer that samples can vote on (a label, a number, a tagged answer). */
export function isVotable(metric: MetricConfig, task: TaskConfig): boolean {
  switch (metric.type) {
    case 'choice':
    case 'numeric':
      return true
    case 'exact':
    case 'regex':
      return task.extract.type !== 'raw'
    case 'contains':
    case 'json':
    case 'json_schema':
    case 'judge':
    case 'gh-string':
    case 'gh-llm':
    case 'gh-builtin':
      return false
  }
}

/**
 * Warnings (not errors) about sampling: k > 1 at temperature 0 mostly repeats one answer, which
 * costs k times as much and shows nothing.
 */
export function samplingWarnings(config: Config): string[] {
  const warnings: string[] = []
  const { target, judge } = config.models
  const sampled = config.tasks
    .filter((t) => (t.samples ?? target.samples ?? 1) > 1)
    .map((t) => t.name)
  if (sampled.length > 0 && target.temperature === 0) {
    warnings.push(
      `samples > 1 for ${sampled.join(', ')} with models.target.temperature 0: most providers then repeat the same answer, which costs money and shows nothing; raise the temperature or use samples: 1`
    )
  }
  if ((judge.samples ?? 1) > 1 && judge.temperature === 0) {
    warnings.push(
      `models.judge.samples is ${judge.samples} with models.judge.temperature 0: most providers then repeat the same grade, which costs money and shows nothing; raise the judge's temperature or use samples: 1`
    )
  }
  return warnings
}

/**
 * `--samples K` (or the action's `samples` input): every task's target samples become K, over the
 * config's per-task and per-model values. The judge's samples are the config's. Undefined → as is.
 */
export function withSamples(project: LoadedProject, k: number | undefined): LoadedProject {
  if (k === undefined) return project
  const models = {
    ...project.config.models,
    target: { ...project.config.models.target, samples: k }
  }
  const tasks = project.tasks.map((t) => ({ ...t, config: { ...t.config, samples: k } }))
  const config = {
    ...project.config,
    models,
    tasks: project.config.tasks.map((t) => ({ ...t, samples: k }))
  }
  return { ...project, config, tasks }
}
