import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { RELAUNCH_ENV, SEMI_SPACE_MB, relaunchArgv } from '../../src/cli/relaunch.js'
import type { LaunchState } from '../../src/cli/relaunch.js'

const state = (over: Partial<LaunchState> = {}): LaunchState => ({
  execPath: '/usr/bin/node',
  execArgv: ['--enable-source-maps'],
  argv: ['/usr/bin/node', '/app/dist/cli/index.js', 'eval', '--json', 'out.json'],
  env: {},
  canExecve: true,
  ...over
})

describe('relaunchArgv', () => {
  it('restarts with the flag before the node flags, then the script and its arguments', () => {
    expect(relaunchArgv(state())).toEqual([
      '/usr/bin/node',
      `--max-semi-space-size=${SEMI_SPACE_MB}`,
      '--enable-source-maps',
      '/app/dist/cli/index.js',
      'eval',
      '--json',
      'out.json'
    ])
  })

  it('runs as launched when execve is missing, opted out, or the size is already chosen', () => {
    expect(relaunchArgv(state({ canExecve: false }))).toBeUndefined()
    expect(relaunchArgv(state({ env: { [RELAUNCH_ENV]: '0' } }))).toBeUndefined()
    expect(relaunchArgv(state({ execArgv: ['--max-semi-space-size=8'] }))).toBeUndefined()
    expect(relaunchArgv(state({ execArgv: ['--max-semi-space-size', '8'] }))).toBeUndefined()
    expect(
      relaunchArgv(state({ env: { NODE_OPTIONS: '--trace-gc --max-semi-space-size=4' } }))
    ).toBeUndefined()
    expect(relaunchArgv(state({ argv: ['/usr/bin/node'] }))).toBeUndefined()
  })

  it('restarts when NODE_OPTIONS sets other flags only', () => {
    expect(relaunchArgv(state({ env: { NODE_OPTIONS: '--max-old-space-size=512' } }))).toHaveLength(
      7
    )
  })
})

describe('relaunchWithSmallYoungGeneration in a real process', () => {
  it('replaces the process once: same PID, the flag in execArgv, arguments kept', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pd-relaunch-'))
    try {
      const script = join(dir, 'probe.mjs')
      const module = new URL('../../src/cli/relaunch.ts', import.meta.url).href
      await writeFile(
        script,
        [
          `const { relaunchWithSmallYoungGeneration } = await import(${JSON.stringify(module)})`,
          'const before = process.pid',
          'relaunchWithSmallYoungGeneration()',
          'console.log(JSON.stringify({ pid: process.pid, execArgv: process.execArgv, args: process.argv.slice(2) }))'
        ].join('\n')
      )
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--experimental-strip-types', '--no-warnings', script, 'a b', '--c'],
        { env: { ...process.env, [RELAUNCH_ENV]: '', NODE_OPTIONS: '' } }
      )
      const lines = stdout.trim().split('\n')
      // One line: the first image was replaced before printing, and the second did not restart.
      expect(lines).toHaveLength(1)
      const seen = JSON.parse(lines[0] ?? '{}') as { execArgv: string[]; args: string[] }
      expect(seen.args).toEqual(['a b', '--c'])
      if (typeof process.execve === 'function' && process.platform !== 'win32') {
        expect(seen.execArgv).toContain(`--max-semi-space-size=${SEMI_SPACE_MB}`)
      } else {
        expect(seen.execArgv.some((a) => a.startsWith('--max-semi-space-size'))).toBe(false)
      }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
