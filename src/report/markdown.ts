/**
 * RunReport → GitHub Markdown: one renderer for the job summary, the sticky PR comment and the PR
 * body. Pure: every number was computed before; every piece of untrusted text goes through
 * ./sanitize.ts; the result always fits the requested length.
 */
import type { RunReport } from './types.js'
import type { Block } from './markdown-blocks.js'
import { fitBlocks } from './markdown-blocks.js'
import { comparisonTable, diffDetails, flippedDetails } from './markdown-compare.js'
import { optimizeBlocks } from './markdown-optimize.js'
import { escapeInline, truncate } from './sanitize.js'
import { taskChanges } from './compare-notes.js'
import type { TaskChange } from './compare-notes.js'
import { samplesMarkdown } from './samples-text.js'
import {
  costSection,
  evalTable,
  failuresSection,
  footerSection,
  gateSection,
  notScoredLine,
  simulatedNotice,
  stopSection,
  titleSection,
  warningsSection
} from './markdown-sections.js'
import { fieldFailuresMarkdown } from './field-failures.js'
import { modelsSection, smallSetsSection } from './markdown-task-notes.js'

/** Default length limit: safely under GitHub's 65,536-character limit for comments and PR bodies. */
export const COMMENT_MAX_LENGTH = 65_000

const DEFAULT_HINT = 'the job summary and the JSON report artifact of this run'

export interface MarkdownOptions {
  /**
   * Upper bound on the result's length (UTF-16 units). Default {@link COMMENT_MAX_LENGTH}; a job
   * summary (1 MiB per step) may pass more.
   */
  maxLength?: number
  /**
   * Identifies a sticky comment. Put first as a hidden HTML comment: either a full `<!-- … -->`
   * comment used as is, or a key wrapped as `<!-- key -->` (as the sticky-comment code does).
   */
  marker?: string
  /** Where the full report is, as trusted Markdown (e.g. a link to the run's artifacts). */
  artifactHint?: string
  /** Heading text (escaped); default "prompt-descent <kind>". */
  title?: string
}

/**
 * The hidden HTML comment a marker becomes, as src/github/sticky-comment.ts makes it: a full
 * `<!-- … -->` is kept, a key is wrapped. Here a key holding `--` is defused rather than refused,
 * since a renderer has no one to refuse to.
 */
function hiddenMarker(marker: string): string {
  if (/^<!--[\s\S]*-->$/.test(marker)) return marker
  return `<!-- ${marker.replace(/-(?=-)/g, '- ').replace(/[<>]/g, '')} -->`
}

function changeIcon(kind: TaskChange['kind']): string {
  switch (kind) {
    case 'added':
      return '🆕'
    case 'removed':
      return '🗑️'
    case 'renamed':
      return '✏️'
    case 'rows':
      return '➕'
    case 'sequential':
      return '⏱️'
  }
}

function compareBlocks(report: RunReport): Block[] {
  const comparison = report.comparison
  if (!comparison) return [{ text: evalTable(report.tasks) }]
  const labels = { base: 'base', head: 'head', trend: report.trend?.tasks }
  const blocks: Block[] = [{ text: comparisonTable(comparison.tasks, labels) }]
  const changes = taskChanges(report)
  if (changes.length > 0) {
    blocks.push({
      text: changes
        .map(
          (c) =>
            `- ${changeIcon(c.kind)} **${escapeInline(c.task, 100)}**: ${escapeInline(c.text, 300)}`
        )
        .join('\n')
    })
  }
  const samples = samplesMarkdown(report.tasks)
  if (samples !== null) blocks.push({ text: samples })
  for (const t of comparison.tasks) {
    if (t.promptDiff !== '') {
      blocks.push({
        text: diffDetails(`Prompt diff — ${truncate(t.task, 80)}`, t.promptDiff),
        drop: 'diffs'
      })
    }
  }
  for (const t of comparison.tasks) {
    if (t.flipped.length > 0) blocks.push({ text: flippedDetails(t, labels), drop: 'examples' })
  }
  return blocks
}

function bodyBlocks(report: RunReport): Block[] {
  if (report.kind === 'compare') return compareBlocks(report)
  if (report.kind === 'optimize' && report.optimization) {
    return optimizeBlocks(report.optimization, report.stop)
  }
  const notScored = report.tasks.length === 0 ? notScoredLine(report.stop, '') : null
  const blocks: Block[] = [{ text: notScored ?? evalTable(report.tasks) }]
  const samples = samplesMarkdown(report.tasks)
  if (samples !== null) blocks.push({ text: samples })
  const fields = fieldFailuresMarkdown(report.tasks)
  if (fields !== null) blocks.push({ text: fields, drop: 'examples' })
  return blocks
}

/** Renders the report as GitHub Markdown of at most `options.maxLength` characters. */
export function renderMarkdown(report: RunReport, options: MarkdownOptions = {}): string {
  const maxLength = Math.max(0, Math.floor(options.maxLength ?? COMMENT_MAX_LENGTH))
  const prefix = options.marker === undefined ? '' : `${hiddenMarker(options.marker)}\n`
  const blocks: Block[] = []
  const add = (text: string | null): void => {
    if (text !== null) blocks.push({ text })
  }
  add(titleSection(report, options.title))
  add(simulatedNotice(report))
  add(gateSection(report))
  add(stopSection(report))
  add(warningsSection(report))
  add(smallSetsSection(report))
  add(modelsSection(report))
  blocks.push(...bodyBlocks(report))
  add(failuresSection(report))
  add(costSection(report))
  add(footerSection(report))
  return fitBlocks(prefix, blocks, maxLength, options.artifactHint ?? DEFAULT_HINT)
}
