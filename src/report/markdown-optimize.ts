/**
 * Markdown for an optimization: the gain on the held-out test split, each proposed prompt with its
 * diff and the lineage that led to it, the rounds, and the candidates tried.
 */
import type { Block } from './markdown-blocks.js'
import type { StopInfo } from '../llm/ledger-types.js'
import type {
  CandidateRecord,
  OptimizationReport,
  RacingReport,
  TransferReport,
  PromptOutcome,
  RoundRecord
} from '../optimize/types.js'
import { comparisonTable, diffDetails, flippedDetails } from './markdown-compare.js'
import { markdownTable, notScoredLine } from './markdown-sections.js'
import {
  formatCount,
  formatDelta,
  formatInterval,
  formatScore,
  formatSignedPoints,
  plural
} from './format.js'
import { codeBlock, details, escapeInline, inlineCode, tableCell } from './sanitize.js'
import { lineDiff } from '../eval/line-diff.js'
import { gepaBlocks } from './markdown-gepa.js'

const LABELS = { base: 'before', head: 'after', intervals: true }
const MAX_ROUND_ROWS = 50
const MAX_CANDIDATE_ROWS = 100
const PROMPT_CHARS = 20_000
const CRITIQUE_CHARS = 600
const METHOD_DETAIL_CHARS = 8_000

/**
 * The candidate that became the proposed prompt, found by its text (latest round first), and its
 * ancestors back to the initial prompt. Empty when the prompt is not among the candidates.
 */
function lineageOf(outcome: PromptOutcome, candidates: CandidateRecord[]): CandidateRecord[] {
  const byId = new Map(candidates.map((c) => [c.id, c]))
  const winner = [...candidates]
    .filter((c) => c.prompt === outcome.after)
    .sort((a, b) => b.round - a.round)[0]
  const chain: CandidateRecord[] = []
  const seen = new Set<string>()
  for (let c = winner; c && !seen.has(c.id); c = c.parentId ? byId.get(c.parentId) : undefined) {
    seen.add(c.id)
    chain.unshift(c)
  }
  return chain
}

function devCell(c: CandidateRecord): string {
  return c.devScore === null ? '—' : `${formatScore(c.devScore)} (${formatCount(c.devEvaluations)})`
}

function lineageTable(chain: CandidateRecord[]): string {
  const rows = chain.map((c, i) => [
    String(i + 1),
    inlineCode(c.id, 40, true),
    c.origin,
    String(c.round),
    devCell(c),
    c.critique === null ? '—' : tableCell(c.critique, CRITIQUE_CHARS)
  ])
  return markdownTable(['step', 'candidate', 'origin', 'round', 'dev (evals)', 'critique'], rows, [
    'right',
    'left',
    'left',
    'right',
    'right',
    'left'
  ])
}

function promptBlocks(outcome: PromptOutcome, report: OptimizationReport): Block[] {
  const what =
    outcome.task === null ? `${outcome.kind} prompt` : `${outcome.kind} prompt of ${outcome.task}`
  const heading = `#### ${inlineCode(outcome.file, 120)} — ${escapeInline(what, 120)}`
  if (outcome.before === outcome.after) {
    return [{ text: `${heading}\n\nNo change proposed: the original prompt stayed the best.` }]
  }
  const blocks: Block[] = [{ text: heading }]
  blocks.push({
    text: details('Proposed prompt', codeBlock(outcome.after, 'text', PROMPT_CHARS)),
    drop: 'diffs'
  })
  blocks.push({
    text: diffDetails(
      'Diff',
      lineDiff(outcome.before, outcome.after, {
        fromLabel: `a/${outcome.file}`,
        toLabel: `b/${outcome.file}`
      })
    ),
    drop: 'diffs'
  })
  const chain = lineageOf(outcome, report.candidates)
  if (chain.length > 1) {
    blocks.push({
      text: details('How it was found (lineage)', lineageTable(chain)),
      drop: 'detail'
    })
  }
  return blocks
}

function rejectedCell(r: RoundRecord['rejected']): string {
  const parts: string[] = []
  if (r.missingSlots > 0) parts.push(plural(r.missingSlots, 'missing slot'))
  if (r.unknownSlots > 0) parts.push(plural(r.unknownSlots, 'unknown slot'))
  if (r.missingTags > 0) parts.push(plural(r.missingTags, 'missing tag'))
  if (r.duplicates > 0) parts.push(plural(r.duplicates, 'duplicate'))
  const total = r.missingSlots + r.unknownSlots + r.missingTags + r.duplicates
  return parts.length === 0 ? '0' : `${total} (${parts.join(', ')})`
}

function roundsTable(rounds: RoundRecord[]): string {
  const shown = rounds.slice(0, MAX_ROUND_ROWS)
  const rows = shown.map((r) => [
    String(r.round),
    formatCount(r.candidates),
    rejectedCell(r.rejected),
    formatScore(r.bestDev),
    formatCount(r.targetCalls),
    formatCount(r.optimizerCalls),
    formatCount(r.selectionEvaluations)
  ])
  const table = markdownTable(
    [
      'round',
      'candidates',
      'rejected',
      'best dev',
      'target calls',
      'optimizer calls',
      'selection evals'
    ],
    rows,
    ['right', 'right', 'left', 'right', 'right', 'right', 'right']
  )
  const more = rounds.length - shown.length
  return more > 0 ? `${table}\n\n…and ${more} more rounds in the JSON report.` : table
}

function candidatesSummary(candidates: CandidateRecord[], rounds: number): string {
  const count = (origin: CandidateRecord['origin']): number =>
    candidates.filter((c) => c.origin === origin).length
  const evaluations = candidates.reduce((sum, c) => sum + c.devEvaluations, 0)
  const kinds = [
    `${count('initial')} initial`,
    plural(count('edit'), 'edit'),
    plural(count('paraphrase'), 'paraphrase'),
    plural(count('rewrite'), 'rewrite')
  ]
  return (
    `**${plural(candidates.length, 'candidate')}** tried in ${plural(rounds, 'round')}: ` +
    `${kinds.join(', ')}; ${plural(evaluations, 'dev evaluation')} in selection.`
  )
}

function candidatesTable(candidates: CandidateRecord[]): string {
  const shown = candidates.slice(0, MAX_CANDIDATE_ROWS)
  const rows = shown.map((c) => [
    inlineCode(c.id, 40, true),
    String(c.round),
    c.origin,
    c.parentId === null ? '—' : inlineCode(c.parentId, 40, true),
    devCell(c),
    c.kept ? 'kept' : ''
  ])
  const table = markdownTable(
    ['candidate', 'round', 'origin', 'parent', 'dev (evals)', 'beam'],
    rows,
    ['left', 'right', 'left', 'left', 'right', 'left']
  )
  const more = candidates.length - shown.length
  return more > 0 ? `${table}\n\n…and ${formatCount(more)} more in the JSON report.` : table
}

/**
 * MetaSPO's transfer table: each held-out task under the default and the optimized system prompt,
 * averaged over several user prompts, with the paired delta.
 */
function transferTable(transfer: TransferReport): string {
  const rows = transfer.tasks.map((t) => [
    escapeInline(t.task, 60),
    String(t.userPrompts),
    formatCount(t.examples),
    formatInterval(t.default),
    formatInterval(t.optimized),
    formatDelta(t.delta),
    `${t.improvedPrompts} of ${t.userPrompts}`
  ])
  rows.push([
    '**average**',
    '',
    '',
    formatScore(transfer.average.default),
    formatScore(transfer.average.optimized),
    `${formatSignedPoints(transfer.average.delta)} pts`,
    ''
  ])
  return markdownTable(
    [
      'unseen task',
      'user prompts',
      'examples',
      'default system',
      'optimized system',
      'Δ (CI)',
      'prompts improved'
    ],
    rows,
    ['left', 'right', 'right', 'right', 'right', 'right', 'right']
  )
}

/** Rounds and APO target calls to first reach the default's final score ('never' when it did not). */
function reachCell(p: { rounds: number | null; targetCalls: number | null }): string {
  return p.rounds === null
    ? 'not reached'
    : `round ${p.rounds} · ${formatCount(p.targetCalls ?? 0)} calls`
}

function adaptationTable(transfer: TransferReport): string | undefined {
  const rows = transfer.tasks.flatMap((t) =>
    t.adaptation
      ? [
          [
            escapeInline(t.task, 60),
            formatScore(t.adaptation.target),
            reachCell(t.adaptation.default),
            reachCell(t.adaptation.optimized),
            formatScore(t.adaptation.optimized.final)
          ]
        ]
      : []
  )
  if (rows.length === 0) return undefined
  return markdownTable(
    [
      'unseen task',
      'target (default, adapted)',
      'default system',
      'optimized system',
      'optimized, adapted'
    ],
    rows,
    ['left', 'right', 'right', 'right', 'right']
  )
}

function racingLine(racing: RacingReport): string {
  if (racing.rule === 'full') {
    return `Outer loop: every system candidate fully scored (${formatCount(racing.outerCallsSpent)} evaluations).`
  }
  return (
    `Outer loop: racing (${racing.rule}) stopped hopeless system candidates early — ` +
    `${formatCount(racing.outerCallsSpent)} of ${formatCount(racing.outerCallsFull)} evaluations ` +
    `(${formatScore(racing.saved)} saved${racing.rule === 'exact' ? ', same choice as full scoring' : ''}).`
  )
}

/** The method's own sections. */
function methodBlocks(opt: OptimizationReport): Block[] {
  switch (opt.method) {
    case 'apo':
    case 'metaspo':
      return []
    case 'gepa':
      return gepaBlocks(opt)
  }
}

/** The details shown as JSON: GEPA's tree is already rendered above, so it is left out. */
function methodDetailsForJson(opt: OptimizationReport): Record<string, unknown> {
  switch (opt.method) {
    case 'apo':
    case 'metaspo':
      return opt.details
    case 'gepa': {
      const { nodes: _nodes, ...rest } = opt.details as Record<string, unknown> & {
        nodes?: unknown
      }
      return rest
    }
  }
}

/**
 * All blocks of the optimization part of a report. With the run's `stop`, an empty held-out table
 * of a run stopped short says that nothing was scored and why.
 */
export function optimizeBlocks(opt: OptimizationReport, stop?: StopInfo): Block[] {
  const blocks: Block[] = []
  const table =
    (opt.testComparison.length === 0 && stop
      ? notScoredLine(stop, ' on the held-out test split')
      : null) ?? comparisonTable(opt.testComparison, LABELS)
  let result = `#### Result on the held-out test split\n\n${table}`
  if (opt.bestDev) result += `\n\nBest dev score during selection: ${formatInterval(opt.bestDev)}.`
  blocks.push({ text: result })
  for (const t of opt.testComparison) {
    if (t.flipped.length > 0) blocks.push({ text: flippedDetails(t, LABELS), drop: 'examples' })
  }
  if (opt.transfer && opt.transfer.tasks.length > 0) {
    blocks.push({
      text: `#### Tasks it never saw (test split)\n\n${transferTable(opt.transfer)}\n\nEach unseen task is scored under the default and the optimized system prompt with its own user prompt and variants of it, on the same examples; Δ is paired.`
    })
  }
  const adaptation = opt.transfer ? adaptationTable(opt.transfer) : undefined
  if (adaptation) {
    blocks.push({
      text: `#### Test-time adaptation on the unseen tasks\n\n${adaptation}\n\nAPO on each unseen task's user prompt under each system prompt: the round (and APO target calls) at which the round's best prompt first reached the score the default system prompt ends with; round 0 is the starting prompt.`
    })
  }
  if (opt.racing) blocks.push({ text: racingLine(opt.racing) })
  for (const outcome of opt.prompts) blocks.push(...promptBlocks(outcome, opt))
  blocks.push(...methodBlocks(opt))
  if (opt.rounds.length > 0) blocks.push({ text: `#### Rounds\n\n${roundsTable(opt.rounds)}` })
  if (opt.candidates.length > 0) {
    blocks.push({
      // Round 0 scores the starting prompts; the rounds the config counts are the ones after it.
      text: candidatesSummary(opt.candidates, opt.rounds.filter((r) => r.round > 0).length)
    })
    blocks.push({
      text: details('Candidates', candidatesTable(opt.candidates)),
      drop: 'detail'
    })
  }
  if (Object.keys(opt.details).length > 0) {
    const json = JSON.stringify(methodDetailsForJson(opt), null, 2) ?? '{}'
    blocks.push({
      text: details(`Method details (${opt.method})`, codeBlock(json, 'json', METHOD_DETAIL_CHARS)),
      drop: 'detail'
    })
  }
  return blocks
}

/** How to run an optimization again: the commit, the CLI command and the action's inputs. */
export interface ReproduceInfo {
  /** The commit the run started from, when known. */
  commit: string | undefined
  /**
   * The shell lines that get the CLI first (a comment, a clone at the action's commit), as they
   * are to be run; empty when there is nothing to set up.
   */
  setup: readonly string[]
  /** The CLI command line that repeats the run (already shell-quoted). */
  command: string
  /** `uses:` of the action step, e.g. `octo/prompt-descent@<sha>`. */
  uses: string
  /** The step's `with:` inputs (never a secret), in order. */
  inputs: ReadonlyArray<readonly [string, string]>
}

/** A YAML scalar for a `with:` value: plain when safe, else double-quoted JSON (valid YAML). */
function yamlScalar(value: string): string {
  return /^[\w./][\w ./@-]*$/.test(value) &&
    !/^(?:true|false|null|yes|no|on|off|~)$/i.test(value) &&
    !/\s$/.test(value)
    ? value
    : JSON.stringify(value)
}

/**
 * The "Reproduce" block of a proposed pull request: what to run, from which commit, with which
 * seed and config, to get the same search again.
 */
export function reproduceSection(
  report: { seed: number; config: { path: string; hash: string }; provider: { type: string } },
  info: ReproduceInfo
): string {
  const from = info.commit ? ` from commit ${inlineCode(info.commit, 64)}` : ''
  const yaml = [
    `- uses: ${info.uses}`,
    '  with:',
    ...info.inputs.map(([k, v]) => `    ${k}: ${yamlScalar(v)}`)
  ].join('\n')
  return [
    '#### Reproduce',
    '',
    `Seed ${report.seed}, config ${inlineCode(report.config.path, 120)} (sha256 ${inlineCode(report.config.hash.slice(0, 16))}),${from}:`,
    '',
    codeBlock([...info.setup, info.command].join('\n'), 'sh', 3_000),
    '',
    'or as a workflow step:',
    '',
    codeBlock(yaml, 'yaml', 4_000),
    '',
    report.provider.type === 'simulated'
      ? 'The simulated provider is deterministic: the same seed and config give the same run.'
      : 'The same seed, config and response cache give the same run, call for call; without the cache, a model sampled at a temperature above 0 may answer differently.'
  ].join('\n')
}
