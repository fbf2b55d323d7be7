import { conversationText, partsOf } from '../config/prompt.js'
import * as cache from '@actions/cache'
import * as core from '@actions/core'
import { errorMessage } from '../errors.js'
import type { LoadedProject } from '../config/project-types.js'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { hashValue } from '../util/hash.js'

const PREFIX = 'prompt-descent-v1'

/**
 * Keys for the response cache in the Actions cache. Entries of the Actions cache are immutable, so
 * every run that wrote new answers saves under a key of its own (the run id and attempt); a run
 * restores the newest cache of the same prompts and data first, else the newest of this config.
 * The content-addressed cache holds answers for any prompt, so any earlier run's cache helps.
 */
export function cacheKeys(
  project: LoadedProject,
  runnerOs: string,
  run: { id: string; attempt: string } = { id: 'local', attempt: '1' }
): { key: string; restoreKeys: string[] } {
  const scope = `${PREFIX}-${runnerOs}-${project.configPath.replace(/[^\w.-]/g, '_')}`
  const content = hashValue({
    config: project.configHash,
    system: project.sharedSystemPrompt?.text ?? null,
    tasks: project.tasks.map((t) => ({
      name: t.name,
      prompt: conversationText(t.prompt),
      system: partsOf(t.prompt).system ?? null,
      data: t.dataHash
    }))
  }).slice(0, 24)
  return {
    key: `${scope}-${content}-${run.id}-${run.attempt}`,
    restoreKeys: [`${scope}-${content}-`, `${scope}-`]
  }
}

/** Files in the cache folder (entries sit one level down), to tell whether a run wrote any. */
export async function countCacheFiles(dir: string): Promise<number> {
  let count = 0
  const top = await readdir(dir, { withFileTypes: true }).catch(() => [])
  for (const entry of top) {
    if (entry.isDirectory()) count += (await readdir(join(dir, entry.name)).catch(() => [])).length
    else count++
  }
  return count
}

/** Restores the response cache; where the cache service is missing it warns once and goes on. */
export async function restoreResponseCache(
  dir: string,
  keys: { key: string; restoreKeys: string[] }
): Promise<{ available: boolean }> {
  if (!cache.isFeatureAvailable()) {
    core.warning(
      'the Actions cache service is not available here (self-hosted runner or a local run): the response cache will not be kept between runs'
    )
    return { available: false }
  }
  try {
    const hit = await cache.restoreCache([dir], keys.key, keys.restoreKeys)
    core.info(hit ? `restored the response cache from ${hit}` : 'no response cache to restore yet')
    return { available: true }
  } catch (error) {
    core.warning(`could not restore the response cache: ${errorMessage(error)}`)
    return { available: true }
  }
}

/** Saves the response cache under the run's own key. */
export async function saveResponseCache(dir: string, key: string): Promise<void> {
  try {
    await cache.saveCache([dir], key)
    core.info(`saved the response cache as ${key}`)
  } catch (error) {
    core.warning(`could not save the response cache: ${errorMessage(error)}`)
  }
}
