import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  cacheKey,
  cachePath,
  DiskCache,
  providerIdentity,
  type CacheKeyParts
} from '../../src/llm/cache.js'

const parts: CacheKeyParts = {
  provider: 'openai:https://api.openai.com/v1',
  model: 'gpt-4o-mini',
  messages: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'Classify: my card was charged twice' }
  ],
  temperature: 0,
  maxTokens: undefined,
  sampleIndex: 0
}

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pd-cache-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function listFiles(root: string): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(root, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) out.push(join(entry.parentPath, entry.name))
  }
  return out.sort()
}

describe('cacheKey', () => {
  it('is a sha256 that changes with every part that decides an answer', () => {
    const key = cacheKey(parts)
    expect(key).toMatch(/^[0-9a-f]{64}$/)
    expect(cacheKey({ ...parts })).toBe(key)
    const variants: CacheKeyParts[] = [
      { ...parts, sampleIndex: 1 },
      { ...parts, temperature: 0.7 },
      { ...parts, maxTokens: 10 },
      { ...parts, model: 'gpt-4o' },
      { ...parts, provider: 'openai:http://127.0.0.1:11434/v1' },
      { ...parts, messages: [{ role: 'user', content: 'Classify: my card was charged twice' }] }
    ]
    const keys = new Set(variants.map(cacheKey))
    expect(keys.size).toBe(variants.length)
    expect(keys.has(key)).toBe(false)
  })

  it('keeps the key of a request without response format or parameters byte-identical', () => {
    // The key the version before response formats and model parameters gave these parts, so an
    // existing cache directory keeps answering unchanged requests.
    const before = '1f8b869fb97d2f00441ff029ca2054c7f0fe4918697afeaa7b16428a682a5739'
    expect(cacheKey(parts)).toBe(before)
    expect(cacheKey({ ...parts, responseFormat: undefined, params: undefined })).toBe(before)
  })

  it('changes with the response format and with every model parameter', () => {
    const schema = { type: 'object', properties: { a: { type: 'string' } } }
    const variants: CacheKeyParts[] = [
      { ...parts, responseFormat: { type: 'json_object' } },
      {
        ...parts,
        responseFormat: { type: 'json_schema', json_schema: { name: 'r', strict: false, schema } }
      },
      {
        ...parts,
        responseFormat: { type: 'json_schema', json_schema: { name: 'r', strict: true, schema } }
      },
      { ...parts, params: { topP: 0.9 } },
      { ...parts, params: { seed: 1 } },
      { ...parts, params: { stop: ['END'] } },
      { ...parts, params: { reasoningEffort: 'low' } },
      { ...parts, params: { extra: { top_k: 40 } } },
      { ...parts, params: { extra: { top_k: 41 } } }
    ]
    const keys = new Set([cacheKey(parts), ...variants.map(cacheKey)])
    expect(keys.size).toBe(variants.length + 1)
  })

  it('names the provider without credentials or query', () => {
    expect(providerIdentity('openai', 'https://user:sk-secret@example.com/v1/?key=sk-secret')).toBe(
      'openai:https://example.com/v1'
    )
    expect(
      providerIdentity('openai', 'https://x.openai.azure.com/openai', 'api-version=2024-10-21')
    ).toBe('openai:https://x.openai.azure.com/openai:api-version=2024-10-21')
  })
})

describe('DiskCache', () => {
  it('stores an entry at <dir>/<first2>/<hash>.json holding only text and usage', async () => {
    const cache = new DiskCache(dir)
    const key = cacheKey(parts)
    expect(await cache.get(key)).toBeUndefined()
    await cache.set(key, { text: 'billing', usage: { inputTokens: 12, outputTokens: 1 } })
    expect(cachePath(dir, key)).toBe(join(dir, key.slice(0, 2), `${key}.json`))
    const stored = JSON.parse(await readFile(cachePath(dir, key), 'utf8')) as Record<
      string,
      unknown
    >
    expect(Object.keys(stored).sort()).toEqual(['text', 'usage', 'v'])
    // a new cache object on the same directory (a new process) finds it
    expect(await new DiskCache(dir).get(key)).toEqual({
      text: 'billing',
      usage: { inputTokens: 12, outputTokens: 1 }
    })
  })

  it('ignores a corrupt entry and overwrites it', async () => {
    const cache = new DiskCache(dir)
    const key = cacheKey(parts)
    await cache.set(key, { text: 'x', usage: { inputTokens: 1, outputTokens: 1 } })
    for (const junk of [
      '{"v":1,"text":"half',
      '{"v":1,"text":5}',
      '[]',
      '{"v":99,"text":"old","usage":{"inputTokens":1,"outputTokens":1}}'
    ]) {
      await writeFile(cachePath(dir, key), junk)
      expect(await cache.get(key)).toBeUndefined()
    }
    await cache.set(key, { text: 'fresh', usage: { inputTokens: 2, outputTokens: 3 } })
    expect((await cache.get(key))?.text).toBe('fresh')
  })

  it('is safe with concurrent writers: every entry whole, no temporary file left', async () => {
    const writers = [new DiskCache(dir), new DiskCache(dir), new DiskCache(dir)]
    const keys = Array.from({ length: 40 }, (_, i) => cacheKey({ ...parts, sampleIndex: i % 20 }))
    await Promise.all(
      keys.flatMap((key, i) =>
        writers.map((cache) =>
          cache.set(key, {
            text: `answer ${i % 20} `.repeat(200),
            usage: { inputTokens: i % 20, outputTokens: 7 }
          })
        )
      )
    )
    const files = await listFiles(dir)
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([])
    expect(files).toHaveLength(20)
    const reader = new DiskCache(dir)
    for (let i = 0; i < 20; i++) {
      const entry = await reader.get(cacheKey({ ...parts, sampleIndex: i }))
      expect(entry?.text).toBe(`answer ${i} `.repeat(200))
      expect(entry?.usage).toEqual({ inputTokens: i, outputTokens: 7 })
    }
  })
})
