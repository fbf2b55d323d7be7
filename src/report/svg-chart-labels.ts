/**
 * Placing the trend chart's text: commit labels thinned so they never overlap, and the threshold's
 * label on whichever side of its line keeps clear of the score line.
 */
import type { TrendGeometry, TrendPoint } from './svg-chart.js'
import { xmlText } from './xml.js'

/** Labels closer than this (SVG units, centre to centre) would crowd the axis. */
const MIN_LABEL_SPACING = 56

/** Rough width of `text` at the 11px label font, for placing labels clear of the data. */
const textWidth = (text: string): number => Array.from(text).length * 6.2

/** The y of the score line at x (linear between points), or undefined outside it. */
function lineYAt(x: number, xs: number[], ys: number[]): number | undefined {
  for (let i = 0; i < xs.length; i++) {
    const x0 = xs[i] as number
    const x1 = xs[i + 1]
    if (x === x0) return ys[i]
    if (x1 !== undefined && x > x0 && x < x1) {
      const y0 = ys[i] as number
      return y0 + (((ys[i + 1] as number) - y0) * (x - x0)) / (x1 - x0)
    }
  }
  return undefined
}

/**
 * Where the threshold's label goes: at the right or left end, above or below the dashed line,
 * whichever keeps farthest from the score line (right and above when all are clear).
 */
export function thresholdLabel(
  lineY: number,
  text: string,
  g: TrendGeometry,
  xs: number[],
  ys: number[]
): { x: number; y: number; anchor: 'start' | 'end' } {
  const w = textWidth(text)
  const candidates = [
    { x: g.right, y: lineY - 4, anchor: 'end' as const },
    { x: g.right, y: lineY + 13, anchor: 'end' as const },
    { x: g.left + 4, y: lineY - 4, anchor: 'start' as const },
    { x: g.left + 4, y: lineY + 13, anchor: 'start' as const }
  ].filter((c) => c.y - 10 >= g.top - 4 && c.y + 2 <= g.bottom)
  let best = candidates[0] ?? { x: g.right, y: lineY - 4, anchor: 'end' as const }
  let bestClearance = -Infinity
  for (const c of candidates) {
    const x0 = c.anchor === 'end' ? c.x - w : c.x
    const x1 = x0 + w
    const samples = [x0, x1, ...xs.filter((x) => x > x0 && x < x1)]
    let clearance = Infinity
    for (const x of samples) {
      const y = lineYAt(x, xs, ys)
      if (y === undefined) continue
      const top = c.y - 10
      const bottom = c.y + 2
      clearance = Math.min(clearance, y < top ? top - y : y > bottom ? y - bottom : 0)
    }
    // Prefer the first candidate unless another is clearly better.
    if (clearance > bestClearance + 2) {
      best = c
      bestClearance = clearance
    }
  }
  return best
}

/**
 * Commit labels under the axis, thinned to fit; the first and last are always shown (the last is
 * the commit people look for) and carry their date on a second line. The end labels are anchored
 * inwards so they are not cut at the chart's edges.
 */
export function xLabels(points: TrendPoint[], xs: number[], g: TrendGeometry): string[] {
  const n = points.length
  const every = Math.max(1, Math.ceil((n * MIN_LABEL_SPACING) / Math.max(1, g.right - g.left)))
  const placed = points.map((p, i) => {
    const anchor = n > 1 && i === 0 ? 'start' : n > 1 && i === n - 1 ? 'end' : 'middle'
    const at = xs[i] ?? 0
    const x = anchor === 'start' ? at - 4 : anchor === 'end' ? at + 4 : at
    const text = p.label.length > 10 ? `${p.label.slice(0, 9)}…` : p.label
    const w = textWidth(text)
    const x0 = anchor === 'start' ? x : anchor === 'end' ? x - w : x - w / 2
    return { i, p, anchor, x, text, x0, x1: x0 + w }
  })
  const last = placed[n - 1]
  const shown: typeof placed = []
  for (const label of placed) {
    const end = label.i === n - 1
    if (!end && label.i % every !== 0) continue
    // Middle labels give way to their neighbours: the first and last are always shown.
    const previous = shown[shown.length - 1]
    if (!end && previous && label.x0 < previous.x1 + 8) continue
    if (!end && last && label.i !== 0 && label.x1 + 8 > last.x0) continue
    shown.push(label)
  }
  const out: string[] = []
  for (const { i, p, anchor, x, text } of shown) {
    out.push(
      `<text class="t" x="${x}" y="${g.bottom + 16}" text-anchor="${anchor}">${xmlText(text)}</text>`
    )
    if (p.date && (i === 0 || i === n - 1)) {
      out.push(
        `<text class="t d" x="${x}" y="${g.bottom + 29}" text-anchor="${anchor}">${xmlText(p.date)}</text>`
      )
    }
  }
  return out
}
