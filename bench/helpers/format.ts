/** Plain-text tables and number formats for the benchmark printouts. */

/** A table with a header rule; columns after the first are right-aligned. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd()
  return [line(header), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n')
}

/** A score in [0, 1] as percent with one decimal, or '–'. */
export function pct(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? '–'
    : `${(value * 100).toFixed(1)}%`
}

/** A difference of scores in points, signed. */
export function pts(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–'
  const p = value * 100
  return `${p >= 0 ? '+' : ''}${p.toFixed(digits)}`
}

/** An integer with thousands separators. */
export function int(value: number): string {
  return Math.round(value).toLocaleString('en-US')
}

export function ratio(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined || !Number.isFinite(value)
    ? '–'
    : value.toFixed(digits)
}

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`
}

export function bytes(n: number): string {
  return n < 1024
    ? `${n} B`
    : n < 1024 * 1024
      ? `${(n / 1024).toFixed(1)} KiB`
      : `${(n / 1048576).toFixed(2)} MiB`
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? NaN : values.reduce((a, b) => a + b, 0) / values.length
}

export const mark = (ok: boolean): string => (ok ? '✓' : '✗')

/** Seeds from BENCH_SEEDS (or `name`): "1,2,3" or "1-6"; else the default. */
export function seedsFromEnv(fallback: readonly number[], name = 'BENCH_SEEDS'): number[] {
  const raw = process.env[name]
  if (!raw) return [...fallback]
  const range = /^(\d+)-(\d+)$/.exec(raw.trim())
  if (range) {
    const [a, b] = [Number(range[1]), Number(range[2])]
    return Array.from({ length: b - a + 1 }, (_, i) => a + i)
  }
  return raw
    .split(',')
    .map((s) => Number(s.trim()))
    .filter((n) => Number.isInteger(n))
}

/** Seeds for a title: "1-600" for a run of consecutive seeds, else the list. */
export function seedList(seeds: readonly number[]): string {
  const consecutive = seeds.every((s, i) => i === 0 || s === (seeds[i - 1] as number) + 1)
  return consecutive && seeds.length > 2 ? `${seeds[0]}-${seeds.at(-1)}` : seeds.join(', ')
}

/** Writes lines to stdout (vitest shows them under the test). */
export function print(lines: readonly string[]): void {
  process.stdout.write(`${lines.join('\n')}\n`)
}
