/**
 * Score history as pictures: a standalone SVG trend chart (score line, interval band, threshold,
 * 0–100% axis, commit labels) for the history branch and READMEs, and sparklines (SVG or Unicode
 * blocks) for Markdown tables. Pure string building; colours follow the viewer's light/dark scheme.
 */
import { xmlAttr, xmlText } from './xml.js'
import { formatInterval, formatScore } from './format.js'

/** One commit's score with its interval, in [0, 1]. */
export interface TrendPoint {
  /** Short label under the axis, usually the short commit sha. */
  label: string
  date?: string
  value: number
  low: number
  high: number
}

export interface TrendOptions {
  title: string
  /** A score in [0, 1] drawn as a dashed line (e.g. the gate's min_score). */
  threshold?: number
  width?: number
  height?: number
}

/** The plot area inside the chart, in SVG user units. */
export interface TrendGeometry {
  left: number
  right: number
  top: number
  bottom: number
}

/** Where the plot area sits in a chart of the given size. */
export function trendGeometry(width: number, height: number): TrendGeometry {
  return { left: 48, right: width - 16, top: 32, bottom: height - 36 }
}

const Y_TICKS = [0, 0.25, 0.5, 0.75, 1]
const MIN_LABEL_SPACING = 56

const round = (n: number): number => Math.round(n * 10) / 10
const clamp01 = (n: number): number => (Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0)

/** The y coordinate of a score in [0, 1] (clamped). */
export function scoreToY(value: number, geometry: TrendGeometry): number {
  return round(geometry.bottom - clamp01(value) * (geometry.bottom - geometry.top))
}

/** The x coordinate of point `index` of `count` evenly spaced points. */
export function indexToX(index: number, count: number, geometry: TrendGeometry): number {
  if (count <= 1) return round((geometry.left + geometry.right) / 2)
  return round(geometry.left + (index * (geometry.right - geometry.left)) / (count - 1))
}

const STYLE = [
  '.t{font:11px -apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;fill:#59636e}',
  '.h{font-size:13px;font-weight:600;fill:#1f2328}',
  '.g{stroke:#d1d9e0;stroke-width:1}',
  '.l{stroke:#0969da;stroke-width:2;fill:none}',
  '.b{fill:#0969da;fill-opacity:.15}',
  '.p{fill:#0969da}',
  '.r{stroke:#cf222e;stroke-width:1.5;stroke-dasharray:6 4}',
  '@media (prefers-color-scheme:dark){.t{fill:#9198a1}.h{fill:#f0f6fc}.g{stroke:#3d444d}' +
    '.l{stroke:#4493f8}.b{fill:#4493f8}.p{fill:#4493f8}.r{stroke:#f85149}}'
].join('')

/** A standalone SVG line chart of scores over commits, with the interval as a band. */
export function renderTrendSvg(points: TrendPoint[], options: TrendOptions): string {
  const width = options.width ?? 640
  const height = options.height ?? 240
  const g = trendGeometry(width, height)
  const n = points.length
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${xmlAttr(options.title)}">`,
    `<title>${xmlText(options.title)}</title>`,
    `<style>${STYLE}</style>`,
    `<text class="t h" x="${g.left}" y="20">${xmlText(options.title)}</text>`
  ]
  for (const tick of Y_TICKS) {
    const y = scoreToY(tick, g)
    out.push(`<line class="g" x1="${g.left}" y1="${y}" x2="${g.right}" y2="${y}"/>`)
    out.push(
      `<text class="t" x="${g.left - 6}" y="${round(y + 4)}" text-anchor="end">${tick * 100}%</text>`
    )
  }
  if (n === 0) {
    const cx = round((g.left + g.right) / 2)
    const cy = round((g.top + g.bottom) / 2)
    out.push(`<text class="t" x="${cx}" y="${cy}" text-anchor="middle">no data yet</text>`)
  } else {
    const xs = points.map((_p, i) => indexToX(i, n, g))
    const upper = points.map((p, i) => `${xs[i]},${scoreToY(p.high, g)}`)
    const lower = points.map((p, i) => `${xs[i]},${scoreToY(p.low, g)}`).reverse()
    if (n > 1) out.push(`<polygon class="b" points="${[...upper, ...lower].join(' ')}"/>`)
    else {
      const p = points[0]
      if (p) {
        const top = scoreToY(p.high, g)
        out.push(
          `<rect class="b" x="${round((xs[0] ?? 0) - 4)}" y="${top}" width="8" height="${round(scoreToY(p.low, g) - top)}"/>`
        )
      }
    }
    const line = points.map((p, i) => `${xs[i]},${scoreToY(p.value, g)}`).join(' ')
    out.push(`<polyline class="l" points="${line}"/>`)
    points.forEach((p, i) => {
      const tip = `${p.label}${p.date ? ` (${p.date})` : ''}: ${formatInterval({ ...p, level: 0 })}`
      out.push(
        `<circle class="p" cx="${xs[i]}" cy="${scoreToY(p.value, g)}" r="3"><title>${xmlText(tip)}</title></circle>`
      )
    })
    const every = Math.max(1, Math.ceil((n * MIN_LABEL_SPACING) / Math.max(1, g.right - g.left)))
    points.forEach((p, i) => {
      // The last label is always shown: it is the commit people look for.
      if (i % every !== 0 && i !== n - 1) return
      if (i !== n - 1 && n - 1 - i < every) return
      const label = p.label.length > 10 ? `${p.label.slice(0, 9)}…` : p.label
      out.push(
        `<text class="t" x="${xs[i]}" y="${g.bottom + 16}" text-anchor="middle">${xmlText(label)}</text>`
      )
    })
  }
  if (options.threshold !== undefined && Number.isFinite(options.threshold)) {
    const y = scoreToY(options.threshold, g)
    out.push(`<line class="r" x1="${g.left}" y1="${y}" x2="${g.right}" y2="${y}"/>`)
    out.push(
      `<text class="t" x="${g.right}" y="${round(y - 4)}" text-anchor="end">threshold ${formatScore(options.threshold)}</text>`
    )
  }
  out.push('</svg>')
  return out.join('\n') + '\n'
}

function range(values: number[], options: { min?: number; max?: number }): [number, number] {
  const finite = values.filter((v) => Number.isFinite(v))
  const min = options.min ?? (finite.length > 0 ? Math.min(...finite) : 0)
  const max = options.max ?? (finite.length > 0 ? Math.max(...finite) : 1)
  return [min, max]
}

/** A small inline SVG line of the values, scaled to their range (or to min/max when given). */
export function renderSparkline(
  values: number[],
  options: { width?: number; height?: number; min?: number; max?: number } = {}
): string {
  const width = options.width ?? 80
  const height = options.height ?? 16
  const [min, max] = range(values, options)
  const pad = 1.5
  const points = values
    .map((v, i) => {
      if (!Number.isFinite(v)) return null
      const x = values.length <= 1 ? width / 2 : pad + (i * (width - 2 * pad)) / (values.length - 1)
      const t = max > min ? (Math.min(max, Math.max(min, v)) - min) / (max - min) : 0.5
      return `${round(x)},${round(height - pad - t * (height - 2 * pad))}`
    })
    .filter((p): p is string => p !== null)
  const head = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`
  if (points.length === 0) return `${head}</svg>`
  return `${head}<polyline fill="none" stroke="#0969da" stroke-width="1.5" points="${points.join(' ')}"/></svg>`
}

const BLOCKS = '▁▂▃▄▅▆▇█'

/** The values as Unicode blocks (e.g. "▁▃▅▇"), for a Markdown table cell; gaps for missing values. */
export function sparklineText(
  values: number[],
  options: { min?: number; max?: number } = {}
): string {
  const [min, max] = range(values, options)
  return values
    .map((v) => {
      if (!Number.isFinite(v)) return ' '
      const t = max > min ? (Math.min(max, Math.max(min, v)) - min) / (max - min) : 0.5
      return BLOCKS[Math.round(t * (BLOCKS.length - 1))] ?? ' '
    })
    .join('')
}
