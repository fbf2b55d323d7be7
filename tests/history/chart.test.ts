import { describe, expect, it } from 'vitest'
import {
  chartPath,
  historyChartSvg,
  historyCharts,
  historyTrendPoints
} from '../../src/report/history-chart.js'
import {
  historySparklines,
  renderHistoryMarkdown,
  scoreSparkline
} from '../../src/report/history-markdown.js'
import { renderHistoryText } from '../../src/report/history-text.js'
import { compareRecords } from '../../src/eval/trend.js'
import {
  indexToX,
  scoreToY,
  trendAxis,
  trendGeometry,
  renderTrendSvg
} from '../../src/report/svg-chart.js'
import { brokenTableRows, foreignTags, splitCode } from '../report/markdown-check.js'
import { attributeValues, xmlProblems } from '../report/xml-check.js'
import { SAMPLE_COMMITS, SAMPLE_DROP_AT, sampleHistory, sampleSha } from './sample-history.js'

const records = sampleHistory()

describe('history charts', () => {
  it('renders one well-formed chart per task, at charts/<task>.svg', () => {
    const charts = historyCharts(records, { threshold: 0.8 })
    expect(charts.map((c) => [c.task, c.path])).toEqual([
      ['triage', 'charts/triage.svg'],
      ['summarize', 'charts/summarize.svg']
    ])
    for (const chart of charts) {
      expect(xmlProblems(chart.content)).toEqual([])
      expect(chart.content).toMatch(
        /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="640" height="240"/
      )
    }
    expect(historyCharts(records, { tasks: ['summarize'] }).map((c) => c.task)).toEqual([
      'summarize'
    ])
  })

  it('puts every commit at its x, its score at its y on the fitted axis, and the threshold line', () => {
    const svg = historyChartSvg(records, 'triage', { threshold: 0.8 })
    const points = historyTrendPoints(records, 'triage')
    expect(points).toHaveLength(SAMPLE_COMMITS)
    const axis = trendAxis(points, { threshold: 0.8, yAxis: 'fit' })
    // The scores live between 60% and 95%: the axis zooms in on round ticks.
    expect(axis.min).toBeGreaterThan(0.4)
    expect(axis.max).toBeLessThanOrEqual(1)
    expect(axis.ticks[0]).toBe(axis.min)
    expect(axis.ticks[axis.ticks.length - 1]).toBe(axis.max)
    const g = trendGeometry(640, 240, axis)
    const cx = attributeValues(svg, 'circle', 'cx').map(Number)
    const cy = attributeValues(svg, 'circle', 'cy').map(Number)
    expect(cx).toEqual(points.map((_p, i) => indexToX(i, points.length, g)))
    expect(cy).toEqual(points.map((p) => scoreToY(p.value, g)))
    expect(cx[0]).toBe(g.left)
    expect(cx[cx.length - 1]).toBe(g.right)
    // Higher scores are drawn higher: the drop commit is the lowest point after the fix.
    const drop = cy[SAMPLE_DROP_AT] ?? 0
    expect(drop).toBeGreaterThan(cy[SAMPLE_DROP_AT - 1] ?? Infinity)
    expect(drop).toBeGreaterThan(cy[SAMPLE_DROP_AT + 1] ?? Infinity)
    // The score of each point lies inside its band.
    for (const p of points) {
      expect(scoreToY(p.high, g)).toBeLessThanOrEqual(scoreToY(p.value, g))
      expect(scoreToY(p.low, g)).toBeGreaterThanOrEqual(scoreToY(p.value, g))
    }
    const y = scoreToY(0.8, g)
    expect(svg).toContain(`<line class="r" x1="${g.left}" y1="${y}" x2="${g.right}" y2="${y}"/>`)
    expect(svg).toContain('threshold 80.0%')
    for (const tick of axis.ticks) {
      expect(svg).toContain(`>${Number((tick * 100).toFixed(1))}%</text>`)
    }
  })

  it('labels the axis with short shas, the first and last dates, and the latest score', () => {
    const svg = historyChartSvg(records, 'triage')
    const first = sampleSha(0).slice(0, 7)
    const last = sampleSha(SAMPLE_COMMITS - 1).slice(0, 7)
    expect(svg).toContain(`text-anchor="start">${first}</text>`)
    expect(svg).toContain(`text-anchor="end">${last}</text>`)
    expect(svg).toContain('>2026-06-01</text>')
    expect(svg).toContain('triage: accuracy per commit (band: 95% interval)')
    const newest = records[records.length - 1]?.tasks[0]
    expect(svg).toContain(`latest ${(100 * (newest?.score ?? 0)).toFixed(1)}%`)
    // The threshold falls back to the one recorded.
    expect(svg).toContain('threshold 80.0%')
    // Commit labels do not overlap (7 characters at ~6.2 px each), and the last one is shown.
    const labels = [...svg.matchAll(/<text class="t" x="([\d.]+)" y="220" text-anchor="(\w+)">/g)]
    const spans = labels.map(([, x, anchor]) => {
      const w = 7 * 6.2
      const at = Number(x)
      const x0 = anchor === 'start' ? at : anchor === 'end' ? at - w : at - w / 2
      return [x0, x0 + w] as const
    })
    expect(spans.length).toBeGreaterThan(4)
    spans.slice(1).forEach(([x0], i) => expect(x0).toBeGreaterThan(spans[i]?.[1] ?? 0))
    expect(spans[spans.length - 1]?.[1]).toBeLessThanOrEqual(640)
  })

  it('keeps the last N commits', () => {
    const points = historyTrendPoints(records, 'triage', 5)
    expect(points.map((p) => p.label)).toEqual(records.slice(-5).map((r) => r.sha.slice(0, 7)))
    expect(
      attributeValues(historyChartSvg(records, 'triage', { last: 5 }), 'circle', 'cx')
    ).toHaveLength(5)
  })

  it('falls back to the full axis when the scores span most of it', () => {
    const wide = [
      { label: 'a', value: 0.1, low: 0.05, high: 0.2 },
      { label: 'b', value: 0.9, low: 0.85, high: 0.95 }
    ]
    expect(trendAxis(wide, { yAxis: 'fit' })).toEqual({
      min: 0,
      max: 1,
      ticks: [0, 0.25, 0.5, 0.75, 1]
    })
    const flat = [{ label: 'a', value: 0.5, low: 0.5, high: 0.5 }]
    const axis = trendAxis(flat, { yAxis: 'fit' })
    expect(axis.min).toBeLessThan(0.5)
    expect(axis.max).toBeGreaterThan(0.5)
    expect(
      xmlProblems(renderTrendSvg(flat, { title: 'one', yAxis: 'fit', threshold: 0.5 }))
    ).toEqual([])
  })

  it('makes a safe file name of any task name', () => {
    expect(chartPath('triage.v2_x-y')).toBe('charts/triage.v2_x-y.svg')
    expect(chartPath('../a b')).toBe('charts/_-a-b.svg')
  })
})

describe('history as Markdown and text', () => {
  it('renders a table per task, newest first, with a sparkline and the chart', () => {
    const trends = compareRecords(records[SAMPLE_DROP_AT - 1]!, records[SAMPLE_DROP_AT]!, {
      level: 0.95
    })
    const upToDrop = records.slice(0, SAMPLE_DROP_AT + 1)
    const md = renderHistoryMarkdown(upToDrop, {
      last: 5,
      trends,
      chartUrl: (task) => `https://example.test/${task}.svg`,
      commitUrl: (sha) => `https://github.com/o/r/commit/${sha}`
    })
    const { prose } = splitCode(md)
    expect(brokenTableRows(prose)).toEqual([])
    expect(foreignTags(prose)).toEqual([])
    expect(md).toMatch(
      /^### prompt-descent score history\n\n21 records, newest first\. Threshold \(min_score\) 80\.0%\./
    )
    expect(md).toMatch(/#### triage [▁▂▃▄▅▆▇█]{21}\n/)
    expect(md).toContain('![triage score per commit](https://example.test/triage.svg)')
    const drop = sampleSha(SAMPLE_DROP_AT)
    const rows = md.split('\n').filter((l) => l.startsWith('| [`'))
    expect(rows[0]).toContain(`[\`${drop.slice(0, 7)}\`](https://github.com/o/r/commit/${drop})`)
    expect(rows[0]).toMatch(/🔻 −\d+\.\d pts \(p [<\d.]+\)/)
    expect(rows.filter((r) => r.includes('🔻'))).toHaveLength(1)
    expect(md).toContain('*16 older records not shown.*')
    expect(renderHistoryMarkdown([])).toContain('No history yet.')
  })

  it('gives a sparkline per task, flat for noise', () => {
    const lines = historySparklines(records, { last: 10 })
    expect([...lines.keys()]).toEqual(['triage', 'summarize'])
    expect(lines.get('triage')).toHaveLength(10)
    expect(scoreSparkline([0.8, 0.801, 0.799])).toBe('▅▅▄')
    expect(scoreSparkline([])).toBe('')
  })

  it('prints a terminal table per task', () => {
    const text = renderHistoryText(records, { tasks: ['triage'], last: 4 })
    const lines = text.split('\n')
    expect(lines[0]).toBe('triage  (accuracy)  30 records  threshold 80.0%')
    expect(lines[1]).toMatch(/^trend {2}[▁▂▃▄▅▆▇█]{4}$/)
    expect(lines[2]).toMatch(/^ {2}commit {3}date {8}\s*score \[95%\] {2}\s*n {2}\s*cost$/)
    expect(lines.slice(3, 7).map((l) => l.trim().slice(0, 7))).toEqual(
      records.slice(-4).map((r) => r.sha.slice(0, 7))
    )
    expect(lines[3]).toMatch(
      /2026-07-\d\d\s+\d+\.\d% \[\d+\.\d, \d+\.\d\]\s+240\s+\$0\.03 · 240 calls/
    )
    expect(text).toContain('(26 older records not shown)')
    expect(text).not.toContain('summarize')
  })
})
