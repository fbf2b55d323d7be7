/**
 * A content-addressed cache of completions on disk. The key is the hash of everything that decides
 * an answer (provider identity, model, messages, parameters, sample index), so an unchanged prompt
 * on unchanged data is answered from disk and costs nothing. Entries hold only the answer text and
 * its token usage: never a header, a key or a URL's credentials.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { writeFileAtomic } from '../util/confined-write.js'
import { InputError } from '../errors.js'
import { hashValue } from '../util/hash.js'
import type { ModelParams } from '../config/types.js'
import type { ChatMessage, ResponseFormat, TokenUsage } from './chat-model.js'
import { safeUrl } from './provider-env.js'

/** Bump when the key's parts or the entry's shape change, so old entries are simply not found. */
const CACHE_VERSION = 1

/** Everything that decides an answer. */
export interface CacheKeyParts {
  /** Who answers, without secrets: e.g. `openai:https://api.openai.com/v1` or `simulated:seed=1`. */
  provider: string
  model: string
  messages: ChatMessage[]
  temperature: number | undefined
  maxTokens: number | undefined
  sampleIndex: number
  /** Absent for plain text; then the key is what it was before response formats existed. */
  responseFormat?: ResponseFormat | undefined
  /** The role's further model parameters; absent when none are set (same key as before). */
  params?: ModelParams | undefined
}

export interface CacheEntry {
  text: string
  usage: TokenUsage
}

export interface ResponseCache {
  get(key: string): Promise<CacheEntry | undefined>
  set(key: string, entry: CacheEntry): Promise<void>
}

/** The cache key (a sha256 hex digest) of a request. */
export function cacheKey(parts: CacheKeyParts): string {
  return hashValue({
    v: CACHE_VERSION,
    provider: parts.provider,
    model: parts.model,
    messages: parts.messages.map((m) => ({ role: m.role, content: m.content })),
    temperature: parts.temperature,
    maxTokens: parts.maxTokens,
    sampleIndex: parts.sampleIndex,
    // Left out when absent (canonical JSON drops undefined), so the keys of requests without them
    // are byte-identical to those of earlier versions and existing caches stay valid.
    responseFormat: parts.responseFormat,
    params: parts.params
  })
}

/**
 * A provider identity for the cache key from a base URL: origin and path only, so credentials in
 * the URL and query parameters never reach a key (the key is a hash, but keep it clean anyway).
 */
export function providerIdentity(type: string, baseUrl: string | undefined, extra = ''): string {
  const where = baseUrl ? safeUrl(baseUrl) : ''
  return [type, where, extra].filter(Boolean).join(':')
}

/** `<dir>/<first two hex digits>/<hash>.json`. */
export function cachePath(dir: string, key: string): string {
  return join(dir, key.slice(0, 2), `${key}.json`)
}

/**
 * The on-disk cache. Reads treat a missing, unreadable or corrupt entry as a miss. With `root` (the
 * repository), a write whose real location leaves it through a symbolic link is refused.
 */
export class DiskCache implements ResponseCache {
  constructor(
    readonly dir: string,
    readonly root?: string
  ) {}

  async get(key: string): Promise<CacheEntry | undefined> {
    let text: string
    try {
      text = await readFile(cachePath(this.dir, key), 'utf8')
    } catch {
      return undefined
    }
    return parseEntry(text)
  }

  /**
   * Writes to a unique temporary file then renames it into place: a rename is atomic, so a reader
   * sees the old entry or the whole new one, and concurrent writers of the same key (same content)
   * simply replace each other.
   */
  async set(key: string, entry: CacheEntry): Promise<void> {
    const body = JSON.stringify({
      v: CACHE_VERSION,
      text: entry.text,
      usage: { inputTokens: entry.usage.inputTokens, outputTokens: entry.usage.outputTokens }
    })
    try {
      await writeFileAtomic(cachePath(this.dir, key), body, { root: this.root })
    } catch (error) {
      // Windows refuses to rename over a file another process holds open; that writer stored the
      // same content for the same key, so its entry is as good as ours.
      if (!(error instanceof InputError) && (await this.get(key)) !== undefined) return
      throw error
    }
  }
}

/** An in-memory cache, for tests and for runs with the disk cache switched off. */
export class MemoryCache implements ResponseCache {
  private readonly entries = new Map<string, CacheEntry>()
  get size(): number {
    return this.entries.size
  }
  async get(key: string): Promise<CacheEntry | undefined> {
    return this.entries.get(key)
  }
  async set(key: string, entry: CacheEntry): Promise<void> {
    this.entries.set(key, { text: entry.text, usage: { ...entry.usage } })
  }
}

function parseEntry(text: string): CacheEntry | undefined {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null) return undefined
  const record = value as { v?: unknown; text?: unknown; usage?: unknown }
  if (record.v !== CACHE_VERSION || typeof record.text !== 'string') return undefined
  const usage = record.usage as { inputTokens?: unknown; outputTokens?: unknown } | null
  if (typeof usage !== 'object' || usage === null) return undefined
  const { inputTokens, outputTokens } = usage
  if (!isCount(inputTokens) || !isCount(outputTokens)) return undefined
  return { text: record.text, usage: { inputTokens, outputTokens } }
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
}
