/**
 * `optimize --method gepa --prompt system` on the demo's multi-task repository, end to end on the
 * simulated provider: GEPA evolves the shared system prompt (and the tasks' user prompts), the
 * run scores the source tasks and the unseen ones on test, and the shared system prompt is written.
 */
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parse, stringify } from 'yaml'
import { writeDemoRepository } from '../../src/simulate/demo-repo.js'
import { runCli } from './fixture.js'

const dirs: string[] = []
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true })
})

async function multiRepo(gepa: Record<string, unknown>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'pd-gepa-shared-'))
  dirs.push(root)
  const demo = await writeDemoRepository(root, { seed: 3, rows: 60, multiTask: true })
  const config = parse(await readFile(demo.configPath, 'utf8')) as {
    optimize: Record<string, unknown>
  }
  config.optimize['gepa'] = gepa
  await writeFile(demo.configPath, stringify(config), 'utf8')
  return root
}

describe('optimize --method gepa --prompt system on several tasks', () => {
  it('writes the shared system prompt and reports lineage, merges and the unseen tasks', async () => {
    const root = await multiRepo({
      preset: 'light',
      dev_rows: 16,
      components: 'all',
      merge: true,
      merge_share: 0.5
    })
    const out = join(root, 'out')
    const result = await runCli(
      [
        'optimize',
        '--method',
        'gepa',
        '--prompt',
        'system',
        '--seed',
        '2',
        '--out',
        out,
        '--json',
        'report.json',
        '--markdown',
        'report.md'
      ],
      { cwd: root }
    )
    expect(result.stderr).not.toMatch(/at .*\.ts:\d+/)
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(/GEPA on the shared system prompt of reviews-/)
    const report = JSON.parse(await readFile(join(root, 'report.json'), 'utf8')) as {
      optimization: {
        method: string
        prompts: Array<{ kind: string; task: string | null; before: string; after: string }>
        testComparison: Array<{ task: string }>
        transfer?: { tasks: Array<{ task: string }> }
        details: { components: string[]; nodes: Array<{ component: string | null }> }
      }
    }
    const opt = report.optimization
    expect(opt.method).toBe('gepa')
    expect(opt.details.components[0]).toBe('system')
    expect(opt.details.components.length).toBeGreaterThan(1)
    const system = opt.prompts.find((p) => p.kind === 'system')
    expect(system?.task).toBeNull()
    expect(system?.after).not.toBe(system?.before)
    expect(opt.testComparison.length).toBe(4)
    expect(opt.transfer?.tasks.map((t) => t.task)).toEqual([
      'reviews-electronics',
      'reviews-pets',
      'reviews-sports'
    ])
    // The shared system prompt is written; user prompts only with --write-user-prompts.
    const written = await readdir(out, { recursive: true })
    expect(written.filter((f) => f.endsWith('.md'))).toEqual(['prompts/system.md'])
    expect((await readFile(join(out, 'prompts/system.md'), 'utf8')).trim()).toBe(
      system?.after.trim()
    )
    const md = await readFile(join(root, 'report.md'), 'utf8')
    expect(md).toMatch(/Candidate tree/)
  }, 120_000)
})
