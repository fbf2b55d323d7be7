import { describe, expect, it } from 'vitest'
import { renderTerminal } from '../../src/report/terminal.js'
import { makeCompareReport, makeEvalReport, makeOptimizeReport } from './fixtures.js'

// eslint-disable-next-line no-control-regex -- the escape sequences are what is under test
const ANSI = /\u001B\[[0-9;]*m/g

describe('renderTerminal', () => {
  it('renders an aligned eval table, cost line and gate line without colour', () => {
    const report = makeEvalReport()
    report.tasks[0]!.usage = { calls: 40, cachedCalls: 24, inputTokens: 9_000, outputTokens: 1_200 }
    const out = renderTerminal(report, { color: false })
    expect(out).not.toContain('\u001B')
    const lines = out.split('\n')
    expect(lines[0]).toBe('prompt-descent eval · split test · target gpt-4o-mini')
    const header = lines.find((l) => l.startsWith('task'))!
    expect(header).toMatch(
      /^task\s+examples\s+score\s+95% CI\s+unreadable\s+failed\s+calls\s+tokens$/
    )
    const triage = lines.find((l) => l.startsWith('triage'))!
    const summarize = lines.find((l) => l.startsWith('summarize'))!
    // Right-aligned columns end in the same place on every row.
    const scoreEnd = header.indexOf('score') + 'score'.length
    expect(triage.slice(scoreEnd - 5, scoreEnd)).toBe('81.3%')
    expect(summarize.slice(scoreEnd - 5, scoreEnd)).toBe('62.5%')
    expect(triage).toContain('[74.0%, 88.1%]'.slice(0, 1))
    // Per-task usage: paid calls with the cached ones apart, and tokens.
    expect(triage).toMatch(/40 \(\+24 cached\)\s+10\.2k$/)
    expect(summarize).toMatch(/–\s+–$/)
    expect(out).toContain(
      'cost: 1,536 calls (212 cached) · 1.23M tokens in, 40.1k out · $1.23 · 4m 05s · target 1,400, optimizer 136'
    )
    expect(out).toContain('gate: ✓ passed (2 checks)')
    expect(out.endsWith('\n')).toBe(true)
  })

  it('adds colour only when asked, around the same text', () => {
    const plain = renderTerminal(makeCompareReport(), { color: false })
    const colored = renderTerminal(makeCompareReport(), { color: true })
    expect(colored).toMatch(ANSI)
    expect(colored).toContain('\u001B[31m✗ failed\u001B[0m')
    expect(colored.replace(ANSI, '')).toBe(plain)
  })

  it('shows comparisons, failed checks and an early stop', () => {
    const compare = renderTerminal(makeCompareReport(), { color: false })
    expect(compare).toContain('main → feature/better-triage')
    expect(compare).toMatch(
      /triage\s+64\s+81\.3%\s+76\.6%\s+−4\.7\s+\[−9\.4, −1\.0\]\s+0\.031\s+regressed/
    )
    expect(compare).toContain('gate: ✗ failed (1 of 2 checks)')
    expect(compare).toContain('  ✗ triage: dropped 4.7 pts > max_drop 2.0 pts')
    const optimize = renderTerminal(makeOptimizeReport(), { color: false })
    expect(optimize).toContain('prompt-descent optimize (apo)')
    expect(optimize).toMatch(/triage\s+64\s+70\.0%\s+81\.3%\s+\+11\.3/)
    expect(optimize).toContain('2 rounds · 4 candidates · best dev 83.0%')
    expect(optimize).toContain('prompts/triage.md (user, triage): changed')
    expect(optimize).toContain(
      'stopped: budget reached — the $5.00 budget was reached after round 2'
    )
  })

  it('fits the width and strips escape sequences from untrusted text', () => {
    const report = makeEvalReport({ provider: { type: 'simulated', baseUrl: null } })
    report.tasks[0]!.task =
      '\u001B[2J\u001B]0;pwned\u0007a-very-long-task-name-that-goes-on-and-on-forever'
    const out = renderTerminal(report, { color: false, width: 70 })
    expect(out).not.toContain('\u001B')
    expect(out).not.toContain('pwned')
    expect(out).toContain('simulated provider')
    for (const line of out.split('\n')) expect(Array.from(line).length).toBeLessThanOrEqual(70)
    expect(out).toMatch(/^a-very-long-task[^\n]*…\s+64 /m)
    // Prose lines wrap instead of losing their end.
    expect(out).toMatch(/^cost: 1,536 calls[^\n]*\n {3}[^\n]*optimizer 136$/m)
    const failing = makeCompareReport()
    failing.gate!.checks[0]!.message = 'word '.repeat(40).trim()
    const wrapped = renderTerminal(failing, { color: true, width: 50 }).split('\n')
    const first = wrapped.findIndex((l) => l.includes('triage: word'))
    expect(wrapped[first]?.startsWith('  \u001B[31m✗')).toBe(true)
    expect(wrapped[first + 1]).toMatch(/^ {5}word/)
    for (const l of wrapped.slice(first, first + 4)) {
      expect(Array.from(l.replace(ANSI, '')).length).toBeLessThanOrEqual(50)
    }
  })
})
