/** What a run's report looks like on disk and in a comment: sizes, and that it reads back. */
import type { LedgerSnapshot } from '../../src/llm/ledger-types.js'
import type { RoundRecord } from '../../src/optimize/types.js'
import { parseReport, renderJson } from '../../src/report/json.js'
import { COMMENT_MAX_LENGTH, renderMarkdown } from '../../src/report/markdown.js'
import { renderTerminal } from '../../src/report/terminal.js'
import type { RunReport } from '../../src/report/types.js'
import { bytes, int } from './format.js'

export interface ReportFacts {
  jsonBytes: number
  markdownChars: number
  terminalLines: number
  /** renderJson → parseReport gives back the same report, and the Markdown fits a comment. */
  valid: boolean
  candidates: number
  rounds: number
}

export function reportFacts(report: RunReport): ReportFacts {
  const json = renderJson(report)
  const markdown = renderMarkdown(report)
  const back = parseReport(json, 'bench report')
  return {
    jsonBytes: Buffer.byteLength(json),
    markdownChars: markdown.length,
    terminalLines: renderTerminal(report, { color: false }).split('\n').length,
    valid:
      renderJson(back) === json && markdown.length > 0 && markdown.length <= COMMENT_MAX_LENGTH,
    candidates: report.optimization?.candidates.length ?? 0,
    rounds: report.optimization?.rounds.length ?? 0
  }
}

/** One line per role: calls, tokens in/out, dollars (when priced). */
export function ledgerLines(ledger: LedgerSnapshot): string[] {
  const roles = (['target', 'optimizer', 'judge'] as const).filter(
    (r) => ledger.byRole[r].calls + ledger.byRole[r].cachedCalls > 0
  )
  const line = (name: string, u: LedgerSnapshot['total']) =>
    `  ${name.padEnd(9)} ${int(u.calls).padStart(7)} calls  ${int(u.inputTokens).padStart(11)} in + ${int(u.outputTokens).padStart(9)} out tokens${u.usd === null ? '' : `  $${u.usd.toFixed(4)}`}${u.retries > 0 ? `  (${u.retries} retries)` : ''}`
  return [...roles.map((r) => line(r, ledger.byRole[r])), line('total', ledger.total)]
}

export function describeFacts(f: ReportFacts): string {
  return `JSON ${bytes(f.jsonBytes)}, Markdown ${int(f.markdownChars)} chars (limit ${int(COMMENT_MAX_LENGTH)}), terminal ${f.terminalLines} lines; ${f.rounds} rounds, ${f.candidates} candidates; reads back: ${f.valid ? 'yes' : 'NO'}`
}

/** Candidates the guard rejected over a run's rounds, by reason. */
export function rejectedTotals(rounds: readonly RoundRecord[]): RoundRecord['rejected'] {
  const out = { missingSlots: 0, unknownSlots: 0, missingTags: 0, duplicates: 0 }
  for (const r of rounds) {
    out.missingSlots += r.rejected.missingSlots
    out.unknownSlots += r.rejected.unknownSlots
    out.missingTags += r.rejected.missingTags
    out.duplicates += r.rejected.duplicates
  }
  return out
}
