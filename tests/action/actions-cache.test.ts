import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { plainPrompt } from '../../src/config/prompt.js'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cacheKeys, countCacheFiles } from '../../src/action/actions-cache.js'
import type { LoadedProject } from '../../src/config/project-types.js'

function project(prompt: string): LoadedProject {
  return {
    root: '/repo',
    configPath: 'prompt-descent.yml',
    configHash: 'c0ffee',
    sharedSystemPrompt: undefined,
    tasks: [
      {
        name: 'triage',
        prompt: plainPrompt(undefined, { path: 'prompts/triage.md', text: prompt }),
        dataHash: 'da7a'
      }
    ]
  } as unknown as LoadedProject
}

describe('response cache keys in the Actions cache', () => {
  it('saves each run under its own key and restores the same content first, then any', () => {
    const a = cacheKeys(project('v1 {{x}}'), 'Linux', { id: '101', attempt: '1' })
    const b = cacheKeys(project('v1 {{x}}'), 'Linux', { id: '102', attempt: '1' })
    const changed = cacheKeys(project('v2 {{x}}'), 'Linux', { id: '103', attempt: '1' })
    // Immutable entries: a later run of the same content must not be shut out of saving.
    expect(a.key).not.toBe(b.key)
    expect(a.restoreKeys).toEqual(b.restoreKeys)
    expect(a.key.startsWith(a.restoreKeys[0]!)).toBe(true)
    expect(a.restoreKeys[0]!.startsWith(a.restoreKeys[1]!)).toBe(true)
    // New prompts: the exact-content prefix differs, the config-wide fallback stays.
    expect(changed.restoreKeys[0]).not.toBe(a.restoreKeys[0])
    expect(changed.restoreKeys[1]).toBe(a.restoreKeys[1])
  })

  it('counts the entries in the cache folder (missing folder: 0)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pd-cache-count-'))
    try {
      expect(await countCacheFiles(join(dir, 'absent'))).toBe(0)
      await mkdir(join(dir, 'ab'))
      await mkdir(join(dir, 'cd'))
      await writeFile(join(dir, 'ab', 'ab1.json'), '{}')
      await writeFile(join(dir, 'ab', 'ab2.json'), '{}')
      await writeFile(join(dir, 'cd', 'cd1.json'), '{}')
      expect(await countCacheFiles(dir)).toBe(3)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
