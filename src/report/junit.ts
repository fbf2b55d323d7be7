/**
 * RunReport → JUnit XML, for CI systems that show test results. One testsuite; one testcase per task
 * (failed when a gate check of the task failed or the run stopped early), or with `perExample` one
 * per example (failed when its score is below 1), plus one per gate check and one for an early stop.
 */
import type { RunReport, TaskComparison } from './types.js'
import { checkLabel } from './check-rows.js'
import type { ExampleResult, TaskEvalResult } from '../eval/types.js'
import {
  formatDelta,
  formatExampleScore,
  formatInterval,
  formatPValue,
  formatValue,
  formatScore
} from './format.js'
import { cdata, xmlAttr } from './xml.js'
import { taskChanges } from './compare-notes.js'

export interface JunitOptions {
  /** One testcase per example instead of per task. */
  perExample?: boolean
}

interface Outcome {
  kind: 'failure' | 'error'
  type: string
  message: string
  body?: string
}

interface Case {
  classname: string
  name: string
  properties: Array<[string, string | number]>
  outcomes: Outcome[]
  out?: string
}

const MESSAGE_CHARS = 500

function stoppedEarly(report: RunReport): boolean {
  return report.stop.reason !== 'completed' && report.stop.reason !== 'no-gain'
}

function stopOutcome(report: RunReport): Outcome {
  return { kind: 'failure', type: `stopped:${report.stop.reason}`, message: report.stop.message }
}

/** The run's own test case, failed with the stop reason, for a run that ended early. */
function runCase(report: RunReport): Case {
  return {
    classname: 'prompt-descent.run',
    name: 'run completed',
    properties: [],
    outcomes: [stopOutcome(report)]
  }
}

function comparisonsOf(report: RunReport): TaskComparison[] {
  return report.comparison?.tasks ?? report.optimization?.testComparison ?? []
}

function taskCases(report: RunReport): Case[] {
  const evals = new Map(report.tasks.map((t) => [t.task, t]))
  const comparisons = new Map(comparisonsOf(report).map((c) => [c.task, c]))
  const checks = report.gate?.checks ?? []
  const changes = taskChanges(report)
  const names = [...new Set([...evals.keys(), ...comparisons.keys(), ...checks.map((c) => c.task)])]
  // A run stopped before any task was scored (a refused key) still fails in the CI's test view.
  if (names.length === 0) return stoppedEarly(report) ? [runCase(report)] : []
  return names.map((name) => {
    const t: TaskEvalResult | undefined = evals.get(name)
    const c = comparisons.get(name)
    const properties: Case['properties'] = []
    const lines: string[] = []
    if (t) {
      properties.push(
        ['score', t.score],
        ['score.low', t.interval.low],
        ['score.high', t.interval.high]
      )
      properties.push(
        ['n', t.n],
        ['unreadable', t.unreadable],
        ['failed', t.failed],
        ['metric', t.metric]
      )
      // The model that answered and judged this task (a task's or an evaluator's own model).
      if (t.model !== undefined) properties.push(['model', t.model])
      if (t.judgeModel !== undefined) properties.push(['judgeModel', t.judgeModel])
      lines.push(`score ${formatInterval(t.interval)} on ${t.n} examples (${t.metric})`)
      for (const check of t.checks ?? []) {
        properties.push([`check.${check.name}`, check.score])
        if (check.judgeModel !== undefined)
          properties.push([`check.${check.name}.judgeModel`, check.judgeModel])
        lines.push(`  ${checkLabel(check)}: ${formatScore(check.score)}`)
      }
    }
    if (c) {
      properties.push(['base', c.base.value], ['head', c.head.value], ['delta', c.delta.value])
      properties.push(['delta.low', c.delta.low], ['delta.high', c.delta.high])
      properties.push(['p', c.pValue], ['verdict', c.verdict])
      properties.push(['paired', c.n], ['headOnly', c.headOnly], ['baseOnly', c.baseOnly])
      if (c.renamedFrom !== undefined) properties.push(['renamedFrom', c.renamedFrom])
      if (!t) properties.push(['n', c.n])
      lines.push(`delta ${formatDelta(c.delta)}, p ${formatPValue(c.pValue)}, ${c.verdict}`)
      for (const check of c.checks ?? []) {
        properties.push([`check.${check.name}.delta`, check.delta])
        lines.push(
          `  ↳ ${check.name}: ${formatScore(check.base)} → ${formatScore(check.head)}, p ${formatPValue(check.pValue)}, ${check.verdict}`
        )
      }
    }
    for (const change of changes.filter((x) => x.task === name)) lines.push(change.text)
    for (const check of checks.filter((x) => x.task === name && x.warning === true)) {
      lines.push(`warning (${check.kind}): ${check.message}`)
    }
    const outcomes: Outcome[] = checks
      .filter((check) => check.task === name && !check.passed)
      .map((check) => ({ kind: 'failure', type: check.kind, message: check.message }))
    if (stoppedEarly(report)) outcomes.push(stopOutcome(report))
    return { classname: 'prompt-descent', name, properties, outcomes, out: lines.join('\n') }
  })
}

function exampleOutcome(e: ExampleResult): Outcome | null {
  if (e.error !== undefined || e.output === null) {
    return { kind: 'error', type: 'call-failed', message: e.error ?? 'the call failed' }
  }
  if (e.score >= 1) return null
  const expected = formatValue(e.expected)
  const message = e.unreadable
    ? `unreadable reply (expected ${expected})`
    : `score ${formatExampleScore(e.score)}: expected ${expected}, answered ${e.answer ?? '(none)'}`
  const body = e.rationale === undefined ? e.output : `${e.output}\n\n--- judge ---\n${e.rationale}`
  return { kind: 'failure', type: e.unreadable ? 'unreadable' : 'wrong', message, body }
}

function exampleCases(report: RunReport): Case[] {
  const cases: Case[] = []
  for (const t of report.tasks) {
    for (const e of t.examples) {
      const outcome = exampleOutcome(e)
      cases.push({
        classname: `prompt-descent.${t.task}`,
        name: e.id,
        properties: [
          ['score', e.score],
          ['split', e.split]
        ],
        outcomes: outcome ? [outcome] : []
      })
    }
  }
  for (const check of report.gate?.checks ?? []) {
    cases.push({
      classname: 'prompt-descent.gate',
      name: `${check.task} ${check.kind}`,
      properties: [],
      outcomes: check.passed ? [] : [{ kind: 'failure', type: check.kind, message: check.message }],
      out: check.message
    })
  }
  if (stoppedEarly(report)) cases.push(runCase(report))
  return cases
}

function propertiesXml(properties: Case['properties'], indent: string): string[] {
  if (properties.length === 0) return []
  return [
    `${indent}<properties>`,
    ...properties.map(
      ([name, value]) =>
        `${indent}  <property name="${xmlAttr(name)}" value="${xmlAttr(String(value))}"/>`
    ),
    `${indent}</properties>`
  ]
}

function caseXml(c: Case): string[] {
  const open = `    <testcase classname="${xmlAttr(c.classname)}" name="${xmlAttr(c.name)}" time="0"`
  const inner = [...propertiesXml(c.properties, '      ')]
  for (const o of c.outcomes) {
    const attrs = `message="${xmlAttr(o.message.slice(0, MESSAGE_CHARS))}" type="${xmlAttr(o.type)}"`
    const body = o.body ?? o.message
    inner.push(`      <${o.kind} ${attrs}>${cdata(body)}</${o.kind}>`)
  }
  if (c.out) inner.push(`      <system-out>${cdata(c.out)}</system-out>`)
  if (inner.length === 0) return [`${open}/>`]
  return [`${open}>`, ...inner, '    </testcase>']
}

/** Renders the report as a JUnit XML document. */
export function renderJunit(report: RunReport, options: JunitOptions = {}): string {
  const cases = options.perExample ? exampleCases(report) : taskCases(report)
  const failures = cases.filter((c) => c.outcomes.some((o) => o.kind === 'failure')).length
  const errors = cases.filter((c) => c.outcomes.some((o) => o.kind === 'error')).length
  const time = (report.ledger.elapsedMs / 1000).toFixed(3)
  const counts = `tests="${cases.length}" failures="${failures}" errors="${errors}"`
  const suiteName = xmlAttr(`prompt-descent ${report.kind}`)
  const total = report.ledger.total
  const suiteProperties: Case['properties'] = [
    ['kind', report.kind],
    ['tool.version', report.tool.version],
    ['seed', report.seed],
    ['split', report.split],
    ['provider', report.provider.type],
    ['model.target', report.models.target],
    ['model.optimizer', report.models.optimizer],
    ['model.judge', report.models.judge],
    ['config.path', report.config.path],
    ['config.hash', report.config.hash],
    ['stop.reason', report.stop.reason],
    ['calls', total.calls],
    ['cachedCalls', total.cachedCalls],
    ['inputTokens', total.inputTokens],
    ['outputTokens', total.outputTokens],
    ['usd', total.usd === null ? 'unknown' : total.usd]
  ]
  if (report.gate) {
    suiteProperties.push(
      ['gate.passed', String(report.gate.passed)],
      ['gate.rule', report.gate.rule]
    )
  }
  for (const task of report.comparison?.removed ?? []) suiteProperties.push(['removed', task])
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="prompt-descent" ${counts} time="${time}">`,
    `  <testsuite name="${suiteName}" ${counts} skipped="0" time="${time}" timestamp="${xmlAttr(report.startedAt)}">`,
    ...propertiesXml(suiteProperties, '    '),
    ...cases.flatMap(caseXml),
    '  </testsuite>',
    '</testsuites>',
    ''
  ].join('\n')
}
