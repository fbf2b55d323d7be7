import type { TaskEvalResult } from '../eval/types.js'
import { safeUrl } from '../llm/provider-env.js'
import type { StopInfo } from '../llm/ledger-types.js'
import type { OptimizationReport } from '../optimize/types.js'
import { REPORT_SCHEMA_VERSION } from '../report/types.js'
import type { ComparisonReport, GateResult, RunReport } from '../report/types.js'
import { TOOL_NAME, VERSION } from '../version.js'
import { runWarnings } from './run-warnings.js'
import type { RunServices } from './services.js'

export interface ReportParts {
  kind: RunReport['kind']
  startedAt: Date
  seed: number
  split: RunReport['split']
  tasks: TaskEvalResult[]
  stop: StopInfo
  gate?: GateResult
  comparison?: ComparisonReport
  optimization?: OptimizationReport
}

/** Assembles the one report object that every rendering (terminal, Markdown, JSON, JUnit) reads. */
export function buildReport(services: RunServices, parts: ReportParts): RunReport {
  const { config, configPath, configHash } = services.project
  const report: RunReport = {
    schemaVersion: REPORT_SCHEMA_VERSION,
    kind: parts.kind,
    tool: { name: TOOL_NAME, version: VERSION },
    startedAt: parts.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    // The endpoint actually used (from the config or the environment); origin and path only:
    // credentials or keys in a URL's user part or query never reach a report.
    provider: {
      type: config.provider.type,
      baseUrl:
        services.providerBaseUrl !== undefined
          ? services.providerBaseUrl
          : config.provider.baseUrl
            ? safeUrl(config.provider.baseUrl)
            : null
    },
    models: {
      target: services.models.target.model,
      optimizer: services.models.optimizer.model,
      judge: services.models.judge.model
    },
    config: { path: configPath, hash: configHash },
    seed: parts.seed,
    split: parts.split,
    tasks: parts.tasks,
    ledger: services.usage(),
    stop: parts.stop
  }
  const warnings = runWarnings(services.project, parts.tasks)
  if (warnings.length > 0) report.warnings = warnings
  if (parts.gate) report.gate = parts.gate
  if (parts.comparison) report.comparison = parts.comparison
  if (parts.optimization) report.optimization = parts.optimization
  return report
}
