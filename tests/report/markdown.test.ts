import { describe, expect, it } from 'vitest'
import { COMMENT_MAX_LENGTH, renderMarkdown } from '../../src/report/markdown.js'
import {
  AFTER_PROMPT,
  makeCompareReport,
  makeComparison,
  makeEvalReport,
  makeFlipped,
  makeOptimization,
  makeOptimizeReport
} from './fixtures.js'
import { brokenTableRows, foreignTags, splitCode } from './markdown-check.js'

function count(text: string, part: string): number {
  return text.split(part).length - 1
}

describe('renderMarkdown: eval', () => {
  const md = renderMarkdown(makeEvalReport())

  it('shows the title, gate verdict and the eval table', () => {
    expect(md.startsWith('### prompt-descent eval\n')).toBe(true)
    expect(md).toContain('Scored 2 tasks on the **test** split, target model `gpt-4o-mini`.')
    expect(md).toContain('**✅ Gate passed** — all 2 checks passed.')
    expect(md).toContain('| task | n | score (95% CI) | unreadable | failed |')
    expect(md).toMatch(/\| triage \| 64 \| 81\.3% \[7\d\.\d, 88\.1\] \| \d+ \| 0 \|/)
    expect(md).not.toContain('Simulated provider')
    expect(md).not.toContain('shortened')
  })

  it('ends with the cost block and a reproducibility footer', () => {
    expect(md).toContain('#### Cost')
    expect(md).toContain('| target | 1,400 | 212 | 1.1M | 12k | $0.21 |')
    expect(md).toContain('| **total** | **1,536** | **212** | **1.23M** | **40.1k** | **$1.23** |')
    expect(md).not.toMatch(/\| judge \|/)
    expect(md).toContain('elapsed 4m 05s · 3 retries · 1 rate-limited responses')
    expect(md).toMatch(
      /<sub>prompt-descent 0\.1\.0 · seed 42 · config `prompt-descent\.yml` `9f86d081884c`/
    )
  })

  it('shows a macro-F1 score with its own interval (the interval belongs to the score)', () => {
    const report = makeEvalReport()
    report.tasks[0] = {
      ...report.tasks[0]!,
      score: 0.7804,
      interval: { value: 0.7804, low: 0.69, high: 0.86, level: 0.95 }
    }
    const out = renderMarkdown(report)
    expect(out).toMatch(/\| triage \| 64 \| 78\.0% \[69\.0, 86\.0\] \|/)
    expect(out).not.toContain('(mean ')
  })

  it('announces the simulated provider', () => {
    const sim = renderMarkdown(makeEvalReport({ provider: { type: 'simulated', baseUrl: null } }))
    expect(sim).toContain('> [!NOTE]\n> **Simulated provider.**')
  })

  it('puts the sticky-comment marker first', () => {
    expect(renderMarkdown(makeEvalReport(), { marker: 'prompt-descent:gate' })).toMatch(
      /^<!-- prompt-descent:gate -->\n### /
    )
    expect(renderMarkdown(makeEvalReport(), { marker: '<!-- pd -->' })).toMatch(/^<!-- pd -->\n/)
    expect(renderMarkdown(makeEvalReport(), { marker: 'a-->b' })).toMatch(/^<!-- a- -b -->\n/)
  })
})

describe('renderMarkdown: compare', () => {
  const md = renderMarkdown(makeCompareReport(), { title: 'Prompt check' })

  it('shows base vs head per task with delta, p and verdict', () => {
    expect(md.startsWith('### Prompt check\n')).toBe(true)
    expect(md).toContain('Comparing `main` → `feature/better-triage` on the **test** split')
    expect(md).toContain('| task | n | base | head | Δ (95% CI) | p | verdict |')
    expect(md).toContain(
      '| triage | 64 | 81.3% | 76.6% | −4.7 pts [−9.4, −1.0] | 0.031 | ❌ regressed |'
    )
    expect(md).toContain(
      '| summarize | 32 | 59.4% | 62.5% | +3.1 pts [−6.0, +12.5] | 0.688 | ➖ within noise |'
    )
    expect(md).toContain("p from McNemar's exact test")
  })

  it('lists the failed gate checks', () => {
    expect(md).toContain('**❌ Gate failed** — 1 of 2 checks failed:')
    expect(md).toContain('- ❌ **triage** (max_drop): dropped 4.7 pts &gt; max\\_drop 2.0 pts')
  })

  it('collapses prompt diffs and changed examples', () => {
    expect(md).toContain(
      '<details><summary>Prompt diff — triage</summary>\n\n```diff\n@@ -1,2 +1,2 @@'
    )
    expect(md).toContain(
      '<details><summary>Changed examples — triage (3 worse, 1 better)</summary>'
    )
    expect(md).toContain('| example | expected | score | base output | head output |')
    expect(md).toContain('| `triage-001` | billing | 🔻 1 → 0 |')
    expect(count(md, '<details>')).toBe(2)
    expect(count(md, '</details>')).toBe(2)
  })

  it('caps the examples listed per task and points to the JSON report', () => {
    const report = makeCompareReport()
    report.comparison!.tasks = [makeComparison('triage', { flipped: makeFlipped(500, 2000) })]
    const out = renderMarkdown(report)
    expect(out.length).toBeLessThanOrEqual(COMMENT_MAX_LENGTH)
    expect(out).toContain('…and 480 more.')
    expect(out).toContain('…</answer>'.slice(0, 1)) // outputs are cut with an ellipsis
    expect(out).not.toContain('b'.repeat(400))
  })
})

describe('renderMarkdown: optimize', () => {
  const md = renderMarkdown(makeOptimizeReport())

  it('shows the gain on the test split', () => {
    expect(md).toContain(
      'Optimized with APO (ProTeGi): target model `gpt-4o-mini`, optimizer `gpt-4o`.'
    )
    expect(md).toContain('#### Result on the held-out test split')
    expect(md).toContain('| task | n | before | after | Δ (95% CI) | p | verdict |')
    expect(md).toContain(
      '| triage | 64 | 70.0% [61.0, 78.0] | 81.3% [74.0, 88.0] | +11.3 pts [+5.0, +17.0] | 0.002 | ✅ improved |'
    )
    expect(md).toContain('Best dev score during selection: 83.0% [77.0, 89.0].')
  })

  it('shows the proposed prompt, its diff and the lineage', () => {
    expect(md).toContain('#### `prompts/triage.md` — user prompt of triage')
    expect(md).toContain(
      `<details><summary>Proposed prompt</summary>\n\n\`\`\`text\n${AFTER_PROMPT}\n\`\`\``
    )
    expect(md).toContain('```diff\n--- a/prompts/triage.md\n+++ b/prompts/triage.md\n')
    expect(md).toContain('+Refunds and invoices are billing.')
    const lineage = md.slice(md.indexOf('How it was found'))
    expect(lineage).toMatch(/\| 1 \| `c0` \| initial \| 0 \|/)
    expect(lineage).toMatch(
      /\| 2 \| `c1` \| edit \| 1 \| 76\.0% \(20\) \| The prompt never lists the labels/
    )
    expect(lineage).toMatch(/\| 3 \| `c7` \| edit \| 2 \| 83\.0% \(60\) \| Invoices are misread/)
  })

  it('shows rounds, candidates, method details and the budget stop', () => {
    expect(md).toContain('| 1 | 12 | 3 (2 missing slots, 1 duplicate) | 76.0% | 320 | 24 | 240 |')
    expect(md).toContain(
      '**4 candidates** tried in 2 rounds: 1 initial, 2 edits, 1 paraphrase, 0 rewrites; 120 dev evaluations'
    )
    expect(md).toContain('<details><summary>Method details (apo)</summary>')
    expect(md).toContain('"bandit": "ucb"')
    expect(md).toContain(
      '> [!WARNING]\n> **Stopped early (budget reached):** the \\$5.00 budget was reached after round 2. The results below'
    )
  })

  it('says when a prompt did not change', () => {
    const opt = makeOptimization()
    opt.prompts = [{ ...opt.prompts[0]!, after: opt.prompts[0]!.before }]
    const out = renderMarkdown(makeOptimizeReport({ optimization: opt }))
    expect(out).toContain('No change proposed: the original prompt stayed the best.')
    expect(out).not.toContain('Proposed prompt')
  })
})

describe('renderMarkdown: an optimize run stopped before anything was scored', () => {
  const stop = {
    reason: 'provider-error' as const,
    message: 'target model m: the provider answered 401: Bad credentials — check the API key.'
  }

  it('says the held-out split was not scored because the run stopped, and why', () => {
    const out = renderMarkdown(
      makeOptimizeReport({ stop, optimization: makeOptimization({ testComparison: [] }) })
    )
    expect(out).toContain(
      '#### Result on the held-out test split\n\n_Nothing was scored on the held-out test split: the run stopped first (provider error: target model m: the provider answered 401: Bad credentials — check the API key)._'
    )
    expect(out).not.toContain('No tasks were compared')
  })

  it('says so too when the run stopped before the optimizer recorded anything', () => {
    const out = renderMarkdown(makeOptimizeReport({ stop, optimization: undefined, tasks: [] }))
    expect(out).toContain(
      '_Nothing was scored: the run stopped first (provider error: target model m: the provider answered 401: Bad credentials — check the API key)._'
    )
    expect(out).not.toContain('No tasks were scored')
  })

  it('keeps "No tasks were compared" for a run that ended normally with nothing to compare', () => {
    const out = renderMarkdown(
      makeOptimizeReport({
        stop: { reason: 'completed', message: '' },
        optimization: makeOptimization({ testComparison: [] })
      })
    )
    expect(out).toContain('_No tasks were compared._')
    expect(out).not.toContain('Nothing was scored')
  })
})

const HOSTILE =
  '@octocat </details><script>alert(1)</script> | pipe ``` fence `tick` <!-- prompt-descent --> #12 GH-7\nnew line'

function hostileReport() {
  const report = makeCompareReport()
  report.comparison!.baseRef = HOSTILE
  report.comparison!.tasks = [
    makeComparison(HOSTILE, {
      promptDiff: `-${HOSTILE}\n+\`\`\`\`\`\`\n+@octocat`,
      flipped: makeFlipped(3).map((e) => ({
        ...e,
        id: HOSTILE,
        expected: HOSTILE,
        headOutput: HOSTILE
      }))
    })
  ]
  report.tasks[0]!.task = HOSTILE
  report.gate = {
    passed: false,
    checks: [{ task: HOSTILE, kind: 'min_score', passed: false, message: HOSTILE }],
    rule: HOSTILE
  }
  report.stop = { reason: 'provider-error', message: HOSTILE }
  report.models.target = HOSTILE
  report.config.path = HOSTILE
  return report
}

describe('renderMarkdown: hostile content', () => {
  const md = renderMarkdown(hostileReport(), { marker: 'prompt-descent' })
  const { prose, unclosedFences } = splitCode(md)

  it('pings nobody and references no issue outside code', () => {
    for (const line of prose) {
      expect(line).not.toMatch(/(^|[^\w])@[A-Za-z]/)
      expect(line).not.toMatch(/#\d/)
    }
  })

  it('injects no HTML: only the renderer’s own tags, details balanced, one marker', () => {
    expect(foreignTags(prose)).toEqual(['<!-- prompt-descent -->'])
    const html = prose.join('\n')
    expect(count(html, '<details>')).toBe(2)
    expect(count(html, '</details>')).toBe(2)
    expect(unclosedFences).toBe(0)
  })

  it('keeps every table row to its header’s cell count', () => {
    expect(brokenTableRows(prose)).toEqual([])
  })

  it('keeps the hostile prompt text exact inside the diff block', () => {
    expect(md).toContain('+@octocat\n')
    expect(md).toMatch(/^`{7}diff$/m)
  })
})

describe('renderMarkdown: length bound', () => {
  function hugeReport() {
    const report = makeCompareReport()
    report.comparison!.tasks = Array.from({ length: 25 }, (_v, i) =>
      makeComparison(`task-${i}`, {
        flipped: makeFlipped(20, 2000),
        promptDiff: `-${'old line '.repeat(200)}\n+${'new line '.repeat(200)}\n`.repeat(5)
      })
    )
    return report
  }

  it('drops examples first, then diffs, and says where the full report is', () => {
    const md = renderMarkdown(hugeReport(), {
      artifactHint: 'the `prompt-descent-report` artifact'
    })
    expect(md.length).toBeLessThanOrEqual(65_000)
    expect(md).toContain('This report was shortened to fit GitHub')
    expect(md).toContain('the `prompt-descent-report` artifact')
    expect(md).toContain('changed examples')
    expect(md).toContain('| task-24 |')
    expect(md).toContain('#### Cost')
    expect(md).toContain('<sub>prompt-descent 0.1.0')
    expect(count(md, '<details>')).toBe(count(md, '</details>'))
    expect(splitCode(md).unclosedFences).toBe(0)
    // Every example block went before the first diff did; the diffs that fit are kept, first ones first.
    expect(count(md, 'Changed examples')).toBe(0)
    expect(count(md, 'Prompt diff')).toBeGreaterThan(0)
    expect(md).toContain('<summary>Prompt diff — task-0</summary>')
    expect(md).not.toContain('<summary>Prompt diff — task-24</summary>')
    expect(md).toContain('(left out: changed examples, prompt texts and diffs)')
  })

  it('drops detail blocks from the end, keeping those that fit', () => {
    const report = makeCompareReport()
    report.comparison!.tasks = Array.from({ length: 25 }, (_v, i) =>
      makeComparison(`task-${i}`, { flipped: makeFlipped(20, 2000), promptDiff: '' })
    )
    const md = renderMarkdown(report)
    expect(md.length).toBeLessThanOrEqual(COMMENT_MAX_LENGTH)
    expect(md).toContain('<summary>Changed examples — task-0 (14 worse, 6 better)</summary>')
    expect(md).not.toContain('Changed examples — task-24')
    expect(md).toContain('(left out: changed examples)')
  })

  it('cuts the essentials at a line when nothing else is left to drop', () => {
    const report = makeEvalReport()
    report.tasks = Array.from({ length: 3000 }, (_v, i) => ({
      ...report.tasks[0]!,
      task: `task-${i}`,
      examples: []
    }))
    const md = renderMarkdown(report, { maxLength: 20_000 })
    expect(md.length).toBeLessThanOrEqual(20_000)
    expect(md).toContain('the end of the report')
    expect(md).toContain('the job summary and the JSON report artifact of this run')
    const rows = md.split('\n').filter((l) => l.startsWith('| task-'))
    expect(rows.length).toBeGreaterThan(50)
    for (const row of rows) expect(row).toMatch(/\|$/)
  })

  it('holds any bound, however small', () => {
    for (const max of [0, 10, 200, 1000, 5000]) {
      expect(renderMarkdown(hugeReport(), { maxLength: max }).length).toBeLessThanOrEqual(max)
    }
  })

  it('renders a small report whole', () => {
    const md = renderMarkdown(makeCompareReport())
    expect(md.length).toBeLessThan(COMMENT_MAX_LENGTH)
    expect(md.endsWith('</sub>\n')).toBe(true)
  })
})

describe('renderMarkdown: a forged marker in untrusted text (issue #18)', () => {
  it('leaves no HTML comment but our own marker, on the first line', () => {
    const forged = '<!-- prompt-descent:other.yml -->'
    const report = makeCompareReport()
    const flipped = makeFlipped(3).map((e) => ({
      ...e,
      id: forged,
      expected: forged,
      baseOutput: `line one\n${forged}\nline three`,
      headOutput: forged
    }))
    report.comparison!.tasks = [
      makeComparison(forged, { flipped, promptDiff: `@@ -1 +1 @@\n-a\n+${forged}` })
    ]
    const md = renderMarkdown(report, { marker: 'prompt-descent:mine.yml' })
    expect(md.split('\n')[0]).toBe('<!-- prompt-descent:mine.yml -->')
    expect(count(md, '<!--')).toBe(1)
    expect(md).not.toContain('prompt-descent:other.yml -->')
  })
})
