import { describe, expect, it } from 'vitest'
import { renderMarkdown } from '../../src/report/markdown.js'
import { renderTerminal } from '../../src/report/terminal.js'
import { estimate, makeOptimizeReport } from './fixtures.js'

function metaspoReport() {
  const report = makeOptimizeReport()
  const opt = report.optimization!
  opt.method = 'metaspo'
  opt.transfer = {
    tasks: [
      {
        task: 'reviews-pets',
        userPrompts: 3,
        examples: 20,
        default: estimate(0.3, 0.2, 0.4),
        optimized: estimate(0.7, 0.6, 0.8),
        delta: estimate(0.4, 0.25, 0.55),
        improvedPrompts: 3,
        adaptation: {
          target: 0.6,
          default: { rounds: 3, targetCalls: 2_400, final: 0.6 },
          optimized: { rounds: 0, targetCalls: 50, final: 0.9 }
        }
      },
      {
        task: '@octocat <b>x</b>',
        userPrompts: 2,
        examples: 20,
        default: estimate(0.5, 0.4, 0.6),
        optimized: estimate(0.45, 0.35, 0.55),
        delta: estimate(-0.05, -0.15, 0.05),
        improvedPrompts: 0
      }
    ],
    average: { default: 0.4, optimized: 0.575, delta: 0.175 }
  }
  opt.racing = { rule: 'exact', outerCallsFull: 4000, outerCallsSpent: 2200, saved: 0.45 }
  return report
}

describe('MetaSPO transfer and racing views', () => {
  it('renders the unseen-task table and the racing saving in Markdown', () => {
    const md = renderMarkdown(metaspoReport())
    expect(md).toContain('#### Tasks it never saw (test split)')
    expect(md).toMatch(
      /\| reviews-pets \| 3 \| 20 \| 30\.0% \[20\.0, 40\.0\] \| 70\.0% \[60\.0, 80\.0\] \| \+40\.0 pts/
    )
    expect(md).toMatch(/\*\*average\*\* \|[^\n]*40\.0% \| 57\.5% \| \+17\.5 pts/)
    expect(md).toContain('2,200 of 4,000 evaluations (45.0% saved, same choice as full scoring)')
    expect(md).toContain('#### Test-time adaptation on the unseen tasks')
    expect(md).toMatch(
      /\| reviews-pets \| 60\.0% \| round 3 · 2,400 calls \| round 0 · 50 calls \| 90\.0% \|/
    )
    // Task names are untrusted text: no ping, no HTML.
    expect(md).not.toContain('@octocat')
    expect(md).not.toContain('<b>')
  })

  it('shows the same figures on the terminal', () => {
    const out = renderTerminal(metaspoReport(), { color: false })
    expect(out).toContain('unseen tasks (default → optimized system prompt, test split):')
    expect(out).toMatch(/reviews-pets\s+20\s+3\s+30\.0%\s+70\.0%\s+\+40\.0\s+\[\+25\.0, \+55\.0\]/)
    expect(out).toMatch(/average\s+40\.0%\s+57\.5%\s+\+17\.5/)
    expect(out).toContain('racing: 2,200 of 4,000 outer-loop evaluations (45.0% saved)')
    expect(out).toContain(
      'adaptation on reviews-pets to reach 60.0%: default round 3 (2,400 calls), optimized round 0 (50 calls)'
    )
  })
})
