import { describe, expect, it } from 'vitest'
import {
  indexToX,
  renderSparkline,
  renderTrendSvg,
  scoreToY,
  sparklineText,
  trendGeometry
} from '../../src/report/svg-chart.js'
import { attributeValues, xmlProblems } from './xml-check.js'

const POINTS = [
  { label: 'a1b2c3d', date: '2026-07-01', value: 0.7, low: 0.62, high: 0.78 },
  { label: 'b2c3d4e', value: 0.75, low: 0.68, high: 0.82 },
  { label: 'c3d4e5f', value: 0.5, low: 0.4, high: 0.6 },
  { label: 'd4e5f6a', value: 1, low: 0.95, high: 1 }
]

describe('renderTrendSvg', () => {
  it('is a well-formed standalone SVG', () => {
    const svg = renderTrendSvg(POINTS, { title: 'triage score', threshold: 0.8 })
    expect(xmlProblems(svg)).toEqual([])
    expect(svg).toMatch(
      /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="640" height="240" viewBox="0 0 640 240"/
    )
    expect(svg).toContain('<title>triage score</title>')
  })

  it('puts each value at its y and the points evenly across', () => {
    const svg = renderTrendSvg(POINTS, { title: 't' })
    const g = trendGeometry(640, 240)
    expect(g).toEqual({ left: 48, right: 624, top: 32, bottom: 204 })
    expect(attributeValues(svg, 'circle', 'cy').map(Number)).toEqual([83.6, 75, 118, 32])
    expect(attributeValues(svg, 'circle', 'cy').map(Number)).toEqual(
      POINTS.map((p) => scoreToY(p.value, g))
    )
    expect(attributeValues(svg, 'circle', 'cx').map(Number)).toEqual([48, 240, 432, 624])
    expect(indexToX(0, 1, g)).toBe(336)
    expect(scoreToY(2, g)).toBe(32)
    expect(scoreToY(-1, g)).toBe(204)
  })

  it('draws the axis 0–100%, the band, the threshold and the labels', () => {
    const svg = renderTrendSvg(POINTS, { title: 't', threshold: 0.8 })
    for (const tick of ['0%', '25%', '50%', '75%', '100%']) expect(svg).toContain(`>${tick}</text>`)
    expect(svg).toMatch(/<polygon class="b" points="48,69\.8 /)
    const y = scoreToY(0.8, trendGeometry(640, 240))
    expect(svg).toContain(`<line class="r" x1="48" y1="${y}" x2="624" y2="${y}"/>`)
    expect(svg).toContain('threshold 80.0%')
    for (const p of POINTS) expect(svg).toContain(`>${p.label}</text>`)
    expect(svg).toContain('<title>a1b2c3d (2026-07-01): 70.0% [62.0, 78.0]</title>')
  })

  it('escapes labels and titles', () => {
    const svg = renderTrendSvg([{ label: '<b>&"', value: 0.5, low: 0.4, high: 0.6 }], {
      title: '</svg><script>alert(1)</script>'
    })
    expect(xmlProblems(svg)).toEqual([])
    expect(svg).not.toContain('<script')
    expect(svg).toContain('&lt;b&gt;&amp;"')
    expect(svg).toContain('aria-label="&lt;/svg&gt;&lt;script&gt;')
  })

  it('thins x labels when there are many points, keeping the last', () => {
    const many = Array.from({ length: 60 }, (_v, i) => ({
      label: `sha${String(i).padStart(4, '0')}`,
      value: i / 60,
      low: 0,
      high: 1
    }))
    const svg = renderTrendSvg(many, { title: 't' })
    expect(xmlProblems(svg)).toEqual([])
    const labels = [...svg.matchAll(/>(sha\d{4})<\/text>/g)].map((m) => m[1])
    expect(labels.length).toBeLessThan(15)
    expect(labels.length).toBeGreaterThan(3)
    expect(labels[labels.length - 1]).toBe('sha0059')
    expect(attributeValues(svg, 'circle', 'cy')).toHaveLength(60)
  })

  it('renders an empty history as a frame with a note', () => {
    const svg = renderTrendSvg([], { title: 't', width: 320, height: 120 })
    expect(xmlProblems(svg)).toEqual([])
    expect(svg).toContain('no data yet')
    expect(svg).not.toContain('<circle')
  })
})

describe('sparklines', () => {
  it('maps values to block heights over their range', () => {
    expect(sparklineText([0, 0.5, 1])).toBe('▁▅█')
    expect(sparklineText([0.7, 0.7])).toBe('▅▅')
    expect(sparklineText([0.2, Number.NaN, 0.4], { min: 0, max: 1 })).toBe('▂ ▄')
    expect(sparklineText([])).toBe('')
  })

  it('draws a small well-formed SVG', () => {
    const svg = renderSparkline([0.2, 0.8, 0.5])
    expect(xmlProblems(svg)).toEqual([])
    expect(attributeValues(svg, 'polyline', 'points')).toEqual(['1.5,14.5 40,1.5 78.5,8'])
    expect(xmlProblems(renderSparkline([]))).toEqual([])
  })
})
