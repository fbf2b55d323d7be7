/**
 * The samples' noise as the reports show it (pure renderings of TaskEvalResult.samples): a Markdown
 * table for the job summary and the PR comment, and plain lines for the terminal.
 */
import type { TaskEvalResult } from '../eval/types.js'
import { formatCount, formatScore, plural } from './format.js'
import { stripControl, tableCell, truncate } from './sanitize.js'

type Sampled = TaskEvalResult & { samples: NonNullable<TaskEvalResult['samples']> }

function sampled(tasks: readonly TaskEvalResult[]): Sampled[] {
  return tasks.filter((t): t is Sampled => t.samples !== undefined)
}

/** `id (2 of 5 disagree)`: how many of an example's samples left the majority. */
function flakyText(f: { flakiness: number; scores: readonly number[] }, id: string): string {
  const k = f.scores.length
  return `${id} (${Math.round(f.flakiness * k)} of ${k} disagree)`
}

/** The samples table, or null when every task had one reply per example. */
export function samplesMarkdown(tasks: readonly TaskEvalResult[]): string | null {
  const rows = sampled(tasks)
  if (rows.length === 0) return null
  const lines = [
    '**Samples** — each example was asked k times; intervals and tests treat the example as the unit.',
    '',
    '| task | k | aggregate | flaky examples | spread | flakiest |',
    '| --- | ---: | --- | ---: | ---: | --- |'
  ]
  for (const t of rows) {
    const s = t.samples
    const flakiest = s.flakiest.map((f) => flakyText(f, tableCell(f.id, 60))).join(', ') || '–'
    lines.push(
      `| ${tableCell(t.task, 80)} | ${s.k} | ${tableCell(s.aggregate)} | ${formatCount(s.flaky)} of ${formatCount(t.n)} | ${formatScore(s.spread)} | ${flakiest} |`
    )
  }
  return lines.join('\n')
}

function oneLine(text: string, max: number): string {
  return truncate(stripControl(text).replace(/\s+/g, ' ').trim(), max)
}

/** One line per sampled task for the terminal; empty when none was sampled. */
export function samplesLines(tasks: readonly TaskEvalResult[]): string[] {
  return sampled(tasks).map((t) => {
    const s = t.samples
    const name = oneLine(t.task, 60)
    const flakiest = s.flakiest
      .slice(0, 3)
      .map((f) => flakyText(f, oneLine(f.id, 40)))
      .join(', ')
    return (
      `samples: ${name} — ${s.k} per example (${s.aggregate}), ${plural(s.flaky, 'flaky example')} of ${formatCount(t.n)}, spread ${formatScore(s.spread)}` +
      (flakiest === '' ? '' : `; flakiest: ${flakiest}`)
    )
  })
}
