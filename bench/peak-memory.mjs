// Preloaded into the benchmarked CLI process (node --import): records the process's own peak
// memory and writes it, as JSON, to $BENCH_PEAK_FILE when the process exits.
import { writeFileSync } from 'node:fs'
import { setInterval } from 'node:timers'

const peak = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 }
const sample = () => {
  const usage = process.memoryUsage()
  for (const key of Object.keys(peak)) peak[key] = Math.max(peak[key], usage[key])
}
setInterval(sample, 25).unref()

process.on('exit', () => {
  sample()
  const file = process.env.BENCH_PEAK_FILE
  if (!file) return
  // maxRSS (KiB) is the kernel's high-water mark, so it catches peaks between samples.
  const maxRss = process.resourceUsage().maxRSS * 1024
  writeFileSync(file, JSON.stringify({ maxRss, sampled: peak }))
})
