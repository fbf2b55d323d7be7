import { OPTIMIZE_METHODS, type OptimizeMethod } from '../config/methods.js'
import * as core from '@actions/core'
import path from 'node:path'
import { InputError } from '../errors.js'
import { DEFAULT_HISTORY_BRANCH } from '../github/history-branch.js'
import { DEFAULT_HISTORY_MAX_RECORDS } from '../run/history-run.js'

/** Input names, in one place (they match action.yml; a test keeps them in step). */
export const INPUTS = {
  config: 'config',
  mode: 'mode',
  apiKey: 'api-key',
  baseUrl: 'base-url',
  githubToken: 'github-token',
  comment: 'comment',
  failOn: 'fail-on',
  failWithoutKey: 'fail-without-key',
  tasks: 'tasks',
  split: 'split',
  baseRef: 'base-ref',
  budgetUsd: 'budget-usd',
  maxCalls: 'max-calls',
  maxTokens: 'max-tokens',
  maxMinutes: 'max-minutes',
  samples: 'samples',
  cache: 'cache',
  reportDir: 'report-dir',
  method: 'method',
  task: 'task',
  prompt: 'prompt',
  prLabels: 'pr-labels',
  prReviewers: 'pr-reviewers',
  prDraft: 'pr-draft',
  history: 'history',
  historyBranch: 'history-branch',
  historyMaxRecords: 'history-max-records',
  alertOnRegression: 'alert-on-regression'
} as const

export interface ActionSettings {
  configPath: string
  mode: 'eval' | 'optimize'
  apiKey: string
  baseUrl: string | undefined
  githubToken: string
  comment: boolean
  failOn: 'gate' | 'never'
  failWithoutKey: boolean
  tasks: string[]
  split: 'dev' | 'test' | 'all'
  baseRef: string | undefined
  budget: { usd?: number; calls?: number; tokens?: number; minutes?: number }
  /** Target replies per example for every task (1–100), over the config's. */
  samples: number | undefined
  cache: boolean
  reportDir: string
  /** Optimize mode: the method (the config's optimize.method when unset). */
  method: OptimizeMethod | undefined
  /** Optimize mode, APO: the task (the only task when unset). */
  task: string | undefined
  /** Optimize mode, APO: which prompt to edit (the config's optimize.apo.target when unset). */
  prompt: 'user' | 'system' | undefined
  prLabels: string[]
  /** Logins, or `org/team` for a team. */
  prReviewers: string[]
  prDraft: boolean
  /** Eval mode on a push: append the scores to the history on a data branch. */
  history: boolean
  historyBranch: string
  historyMaxRecords: number
  /** A significant drop against the previous record: comment on the commit, also fail, or only report. */
  alertOnRegression: 'comment' | 'fail' | 'off'
}

function choice<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
  const value = core.getInput(name).trim() || fallback
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InputError(`input \`${name}\` must be one of ${allowed.join(', ')}, got "${value}"`)
  }
  return value as T
}

/** An optional choice: undefined when the input is empty. */
function maybe<T extends string>(name: string, allowed: readonly T[]): T | undefined {
  return core.getInput(name).trim() === '' ? undefined : choice(name, allowed, allowed[0] as T)
}

/** A list input: names separated by spaces, commas or newlines. */
function list(name: string): string[] {
  return core
    .getInput(name)
    .split(/[\s,]+/)
    .filter(Boolean)
}

function bool(name: string, fallback: boolean): boolean {
  const value = core.getInput(name).trim().toLowerCase()
  if (value === '') return fallback
  if (['true', 'yes', 'on', '1'].includes(value)) return true
  if (['false', 'no', 'off', '0'].includes(value)) return false
  throw new InputError(`input \`${name}\` must be true or false, got "${value}"`)
}

function positive(name: string, whole = false): number | undefined {
  const value = core.getInput(name).trim()
  if (value === '') return undefined
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0 || (whole && !Number.isInteger(n))) {
    const what = whole ? 'a positive whole number' : 'a positive number'
    throw new InputError(`input \`${name}\` must be ${what}, got "${value}"`)
  }
  return n
}

/**
 * A folder the action writes to: relative to the workspace and inside it, never in `.git/`. (The
 * writes themselves also refuse a symbolic link that leads out.)
 */
function folderInWorkspace(name: string, fallback: string): string {
  const value = core.getInput(name).trim() || fallback
  const normal = path.posix.normalize(value.replace(/\\/g, '/'))
  const segments = normal.split('/')
  if (
    value.includes('\0') ||
    path.posix.isAbsolute(normal) ||
    path.win32.isAbsolute(value) ||
    segments[0] === '..' ||
    segments.some((segment) => segment.toLowerCase() === '.git')
  ) {
    throw new InputError(
      `input \`${name}\` must be a folder inside the workspace, outside .git/ (a relative path such as ${fallback}), got "${value}"`
    )
  }
  return value
}

function sampleCount(name: string): number | undefined {
  const n = positive(name, true)
  if (n !== undefined && n > 100) {
    throw new InputError(`input \`${name}\` must be a whole number from 1 to 100, got "${n}"`)
  }
  return n
}

/** Reads every input once into typed settings; bad values name the input and what was expected. */
export function readSettings(): ActionSettings {
  const apiKey = core.getInput(INPUTS.apiKey).trim()
  if (apiKey) core.setSecret(apiKey)
  const settings: ActionSettings = {
    configPath: core.getInput(INPUTS.config).trim() || 'prompt-descent.yml',
    mode: choice(INPUTS.mode, ['eval', 'optimize'] as const, 'eval'),
    apiKey,
    baseUrl: core.getInput(INPUTS.baseUrl).trim() || undefined,
    githubToken: core.getInput(INPUTS.githubToken).trim(),
    comment: bool(INPUTS.comment, true),
    failOn: choice(INPUTS.failOn, ['gate', 'never'] as const, 'gate'),
    failWithoutKey: bool(INPUTS.failWithoutKey, false),
    tasks: list(INPUTS.tasks),
    split: choice(INPUTS.split, ['dev', 'test', 'all'] as const, 'all'),
    baseRef: core.getInput(INPUTS.baseRef).trim() || undefined,
    budget: {
      usd: positive(INPUTS.budgetUsd),
      calls: positive(INPUTS.maxCalls, true),
      tokens: positive(INPUTS.maxTokens, true),
      minutes: positive(INPUTS.maxMinutes)
    },
    samples: sampleCount(INPUTS.samples),
    cache: bool(INPUTS.cache, true),
    reportDir: folderInWorkspace(INPUTS.reportDir, 'prompt-descent-report'),
    method: maybe(INPUTS.method, OPTIMIZE_METHODS),
    task: core.getInput(INPUTS.task).trim() || undefined,
    prompt: maybe(INPUTS.prompt, ['user', 'system'] as const),
    prLabels: list(INPUTS.prLabels),
    prReviewers: list(INPUTS.prReviewers).map((r) => r.replace(/^@/, '')),
    prDraft: bool(INPUTS.prDraft, false),
    history: bool(INPUTS.history, false),
    historyBranch: core.getInput(INPUTS.historyBranch).trim() || DEFAULT_HISTORY_BRANCH,
    historyMaxRecords: positive(INPUTS.historyMaxRecords, true) ?? DEFAULT_HISTORY_MAX_RECORDS,
    alertOnRegression: choice(
      INPUTS.alertOnRegression,
      ['comment', 'fail', 'off'] as const,
      'comment'
    )
  }
  if (settings.githubToken) core.setSecret(settings.githubToken)
  for (const [key, value] of Object.entries(settings)) {
    if (key !== 'apiKey' && key !== 'githubToken') core.debug(`${key}: ${JSON.stringify(value)}`)
  }
  return settings
}
