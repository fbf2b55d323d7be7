import * as cache from '@actions/cache'
import * as core from '@actions/core'
import { errorMessage } from '../errors.js'
import type { LoadedProject } from '../config/project-types.js'
import { hashValue } from '../util/hash.js'

const PREFIX = 'prompt-descent-v1'

/**
 * Keys for the response cache in the Actions cache. The content-addressed cache holds answers for
 * any prompt, so any earlier run's cache helps: the exact key is a hash of the config, prompts and
 * data, and the restore key falls back to the newest cache of this config.
 */
export function cacheKeys(
  project: LoadedProject,
  runnerOs: string
): { key: string; restoreKeys: string[] } {
  const scope = `${PREFIX}-${runnerOs}-${project.configPath.replace(/[^\w.-]/g, '_')}`
  const content = hashValue({
    config: project.configHash,
    system: project.sharedSystemPrompt?.text ?? null,
    tasks: project.tasks.map((t) => ({
      name: t.name,
      prompt: t.userPrompt.text,
      system: t.systemPrompt?.text ?? null,
      data: t.dataHash
    }))
  }).slice(0, 24)
  return { key: `${scope}-${content}`, restoreKeys: [`${scope}-`] }
}

/** Restores the response cache; where the cache service is missing it warns once and goes on. */
export async function restoreResponseCache(
  dir: string,
  keys: { key: string; restoreKeys: string[] }
): Promise<{ available: boolean; exactHit: boolean }> {
  if (!cache.isFeatureAvailable()) {
    core.warning(
      'the Actions cache service is not available here (self-hosted runner or a local run): the response cache will not be kept between runs'
    )
    return { available: false, exactHit: false }
  }
  try {
    const hit = await cache.restoreCache([dir], keys.key, keys.restoreKeys)
    core.info(hit ? `restored the response cache from ${hit}` : 'no response cache to restore yet')
    return { available: true, exactHit: hit === keys.key }
  } catch (error) {
    core.warning(`could not restore the response cache: ${errorMessage(error)}`)
    return { available: true, exactHit: false }
  }
}

/** Saves the response cache under the run's key (skipped when that key was restored exactly). */
export async function saveResponseCache(dir: string, key: string): Promise<void> {
  try {
    await cache.saveCache([dir], key)
    core.info(`saved the response cache as ${key}`)
  } catch (error) {
    core.warning(`could not save the response cache: ${errorMessage(error)}`)
  }
}
