import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

/** Benchmarks only (never part of `npm test`): one long run each, printed as a table. */
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['bench/**/*.bench.ts'],
    environment: 'node',
    // Long on purpose: BENCH_SEEDS can ask for hundreds of seeds (the 600-seed selection run takes
    // about 15 minutes on a busy core).
    testTimeout: 3 * 3_600_000,
    hookTimeout: 600_000,
    pool: 'forks'
  }
})
