import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

/** Benchmarks only (never part of `npm test`): one long run each, printed as a table. */
export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: {
    include: ['bench/**/*.bench.ts'],
    environment: 'node',
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks'
  }
})
