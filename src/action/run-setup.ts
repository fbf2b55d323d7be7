/**
 * What every mode does around its work: the API key put where the config expects it (or a clean
 * skip without one), and the response cache restored before and saved after.
 */
import * as core from '@actions/core'
import { resolve } from 'node:path'
import type { LoadedProject } from '../config/project-types.js'
import { errorMessage } from '../errors.js'
import {
  cacheKeys,
  countCacheFiles,
  restoreResponseCache,
  saveResponseCache
} from './actions-cache.js'
import type { ActionSettings } from './inputs.js'

/**
 * Puts the API key where the config expects it (masked). With no key (a fork's pull request gets no
 * secrets) it writes a summary that says so and skips, unless told to fail.
 */
export async function prepareCredentials(
  settings: ActionSettings,
  project: LoadedProject
): Promise<boolean> {
  const { provider } = project.config
  if (settings.baseUrl) project.config.provider.baseUrl = settings.baseUrl
  if (provider.type === 'simulated') {
    core.setOutput('skipped', 'false')
    return true
  }
  // GitHub Models needs no secret: without an api-key, the workflow's own token is used.
  const githubModels = provider.type === 'github-models'
  const key =
    settings.apiKey ||
    process.env[provider.apiKeyEnv] ||
    (githubModels ? settings.githubToken : '') ||
    ''
  if (key === '') {
    const message = githubModels
      ? `no GitHub token for GitHub Models: keep the \`github-token\` input's default (the workflow's GITHUB_TOKEN) and grant \`permissions: models: read\`, so this run skipped scoring.`
      : `no API key: set the \`api-key\` input (or the ${provider.apiKeyEnv} environment variable) from a secret. Pull requests from forks get no secrets, so this run skipped scoring.`
    await skipRun(settings, message)
    return false
  }
  core.setSecret(key)
  process.env[provider.apiKeyEnv] = key
  core.setOutput('skipped', 'false')
  return true
}

/** Ends the run as skipped: output, job summary with the reason, and a warning (or a failure). */
export async function skipRun(settings: ActionSettings, message: string): Promise<void> {
  core.setOutput('skipped', 'true')
  // Awaited and guarded: a runner without job summaries must not turn a skip into a crash.
  try {
    await core.summary.addHeading('prompt-descent: skipped', 3).addRaw(message, true).write()
  } catch (error) {
    core.warning(`could not write the job summary: ${errorMessage(error)}`)
  }
  if (settings.failWithoutKey) core.setFailed(message)
  else core.warning(message)
}

/**
 * True when an error is GitHub Models refusing the workflow token on a fork's pull request (the
 * token may lack `models: read` there): the run is skipped rather than failed, unless asked to fail.
 */
export function isForkModelsRefusal(
  status: number | undefined,
  project: LoadedProject,
  fork: boolean
): boolean {
  return (
    fork && project.config.provider.type === 'github-models' && (status === 401 || status === 403)
  )
}

/** Runs `body` between restoring and saving the response cache (when enabled and available). */
export async function runWithCache<T>(
  settings: ActionSettings,
  project: LoadedProject,
  body: () => Promise<T>
): Promise<T> {
  const enabled = settings.cache && project.config.cache.enabled
  const dir = resolve(project.root, project.config.cache.dir)
  const keys = cacheKeys(project, process.env['RUNNER_OS'] ?? process.platform, {
    id: process.env['GITHUB_RUN_ID'] ?? 'local',
    attempt: process.env['GITHUB_RUN_ATTEMPT'] ?? '1'
  })
  const restored = enabled ? await restoreResponseCache(dir, keys) : { available: false }
  const before = restored.available ? await countCacheFiles(dir) : 0
  try {
    return await body()
  } finally {
    // Saved on success, on a budget stop, on a cancel and on failure alike — answers already paid
    // for are kept — but only when the run added any (an unchanged re-run saves nothing).
    if (restored.available && (await countCacheFiles(dir)) > before) {
      await saveResponseCache(dir, keys.key)
    }
  }
}
