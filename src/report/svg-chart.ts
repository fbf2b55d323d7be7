/**
 * Score history as pictures: a standalone SVG trend chart (score line, interval band, threshold,
 * 0–100% axis, commit labels) for the history branch and READMEs, and sparklines (SVG or Unicode
 * blocks) for Markdown tables. Pure string building; colours follow the viewer's light/dark scheme.
 */
import { xmlAttr, xmlText } from './xml.js'
import { formatInterval, formatScore } from './format.js'
import { thresholdLabel, xLabels } from './svg-chart-labels.js'

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
  /** Short text right-aligned on the title line (e.g. the latest score). */
  subtitle?: string
  /** A score in [0, 1] drawn as a dashed line (e.g. the gate's min_score). */
  threshold?: number
  /**
   * `full` (default): the y axis spans 0–100%. `fit`: it spans the scores, intervals and threshold
   * on round ticks, so a few points of change stay visible; it falls back to 0–100% when they span
   * most of it anyway.
   */
  yAxis?: 'full' | 'fit'
  width?: number
  height?: number
}

/** The plot area inside the chart, in SVG user units, and the scores at its bottom and top. */
export interface TrendGeometry {
  left: number
  right: number
  top: number
  bottom: number
  /** Score at the bottom edge (default 0). */
  min?: number
  /** Score at the top edge (default 1). */
  max?: number
}

/** Where the plot area sits in a chart of the given size; `range` is the y axis (default 0–1). */
export function trendGeometry(
  width: number,
  height: number,
  range?: { min: number; max: number }
): TrendGeometry {
  const g: TrendGeometry = { left: 48, right: width - 16, top: 32, bottom: height - 36 }
  return range ? { ...g, min: range.min, max: range.max } : g
}

const FULL_TICKS = [0, 0.25, 0.5, 0.75, 1]
const FIT_STEPS = [0.01, 0.02, 0.05, 0.1, 0.2]

const round = (n: number): number => Math.round(n * 10) / 10
const tidy = (n: number): number => Math.round(n * 1e6) / 1e6

/**
 * The y axis of a chart: 0–100% in quarters, or (`fit`) the smallest round range holding every
 * value, interval end and the threshold, with at most 8 ticks.
 */
export function trendAxis(
  points: readonly TrendPoint[],
  options: Pick<TrendOptions, 'threshold' | 'yAxis'>
): { min: number; max: number; ticks: number[] } {
  const full = { min: 0, max: 1, ticks: FULL_TICKS }
  if (options.yAxis !== 'fit') return full
  const values = points.flatMap((p) => [p.value, p.low, p.high])
  if (options.threshold !== undefined) values.push(options.threshold)
  const finite = values.filter((v) => Number.isFinite(v)).map((v) => Math.min(1, Math.max(0, v)))
  if (finite.length === 0) return full
  const lo = Math.min(...finite)
  const hi = Math.max(...finite)
  const pad = Math.max(hi - lo, 0.04) * 0.1
  for (const step of FIT_STEPS) {
    const min = Math.max(0, tidy(Math.floor((lo - pad) / step) * step))
    const max = Math.min(1, tidy(Math.ceil((hi + pad) / step) * step))
    const count = Math.round((max - min) / step)
    if (count > 7) continue
    if (max - min >= 0.6) return full
    const ticks = Array.from({ length: count + 1 }, (_v, i) => tidy(min + i * step))
    return { min, max, ticks }
  }
  return full
}

/** The y coordinate of a score (clamped to the axis, by default 0–1). */
export function scoreToY(value: number, geometry: TrendGeometry): number {
  const min = geometry.min ?? 0
  const max = geometry.max ?? 1
  const v = Number.isFinite(value) ? Math.min(max, Math.max(min, value)) : min
  const t = max > min ? (v - min) / (max - min) : 0.5
  return round(geometry.bottom - t * (geometry.bottom - geometry.top))
}

const tickText = (tick: number): string => `${Number((tick * 100).toFixed(1))}%`

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
  '.d{font-size:10px}',
  '.k{fill:#cf222e;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}',
  '@media (prefers-color-scheme:dark){.t{fill:#9198a1}.h{fill:#f0f6fc}.g{stroke:#3d444d}' +
    '.l{stroke:#4493f8}.b{fill:#4493f8;fill-opacity:.25}.p{fill:#4493f8}.r{stroke:#f85149}' +
    '.k{fill:#f85149;stroke:#0d1117}}'
].join('')

/** A standalone SVG line chart of scores over commits, with the interval as a band. */
export function renderTrendSvg(points: TrendPoint[], options: TrendOptions): string {
  const width = options.width ?? 640
  const height = options.height ?? 240
  const axis = trendAxis(points, options)
  const g = trendGeometry(width, height, options.yAxis === 'fit' ? axis : undefined)
  const n = points.length
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${xmlAttr(options.title)}">`,
    `<title>${xmlText(options.title)}</title>`,
    `<style>${STYLE}</style>`,
    `<text class="t h" x="${g.left}" y="20">${xmlText(options.title)}</text>`
  ]
  if (options.subtitle) {
    out.push(
      `<text class="t" x="${g.right}" y="20" text-anchor="end">${xmlText(options.subtitle)}</text>`
    )
  }
  for (const tick of axis.ticks) {
    const y = scoreToY(tick, g)
    out.push(`<line class="g" x1="${g.left}" y1="${y}" x2="${g.right}" y2="${y}"/>`)
    out.push(
      `<text class="t" x="${g.left - 6}" y="${round(y + 4)}" text-anchor="end">${tickText(tick)}</text>`
    )
  }
  const xs = points.map((_p, i) => indexToX(i, n, g))
  const ys = points.map((p) => scoreToY(p.value, g))
  if (n === 0) {
    const cx = round((g.left + g.right) / 2)
    const cy = round((g.top + g.bottom) / 2)
    out.push(`<text class="t" x="${cx}" y="${cy}" text-anchor="middle">no data yet</text>`)
  } else {
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
    out.push(
      `<polyline class="l" points="${points.map((_p, i) => `${xs[i]},${ys[i]}`).join(' ')}"/>`
    )
    points.forEach((p, i) => {
      const tip = `${p.label}${p.date ? ` (${p.date})` : ''}: ${formatInterval({ ...p, level: 0 })}`
      out.push(
        `<circle class="p" cx="${xs[i]}" cy="${ys[i]}" r="3"><title>${xmlText(tip)}</title></circle>`
      )
    })
    out.push(...xLabels(points, xs, g))
  }
  if (options.threshold !== undefined && Number.isFinite(options.threshold)) {
    const y = scoreToY(options.threshold, g)
    const text = `threshold ${formatScore(options.threshold)}`
    const at = thresholdLabel(y, text, g, xs, ys)
    out.push(`<line class="r" x1="${g.left}" y1="${y}" x2="${g.right}" y2="${y}"/>`)
    out.push(
      `<text class="t k" x="${at.x}" y="${round(at.y)}" text-anchor="${at.anchor}">${xmlText(text)}</text>`
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
