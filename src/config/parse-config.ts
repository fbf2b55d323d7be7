import { sha256 } from '../util/hash.js'
import { throwIssues } from './issues.js'
import type { Issue } from './issues.js'
import { normalizeConfig } from './normalize.js'
import { rawConfigSchema } from './schema.js'
import { describeZodIssue } from './schema-issues.js'
import type { PathIssue } from './schema-issues.js'
import type { Config } from './types.js'
import { formatKeyPath, parseYamlSource } from './yaml-source.js'
import type { KeyPath } from './yaml-source.js'

/** A validated config with what is needed to point back into its file. */
export interface ParsedConfig {
  config: Config
  /** sha256 of the file's text. */
  configHash: string
  /** 1-based line of a key path in the file (see YamlSource.lineOf). */
  lineOf(path: KeyPath): number | undefined
}

/**
 * Parses and validates the text of `prompt-descent.yml`. Every problem is reported at once, each
 * with its line and key path, in one InputError (an InputIssuesError).
 */
export function loadConfigText(text: string, file: string): ParsedConfig {
  const source = parseYamlSource(text.startsWith('\uFEFF') ? text.slice(1) : text, file)
  const toIssue = (issue: PathIssue): Issue => ({
    file,
    line: source.lineOf(issue.path),
    path: formatKeyPath(issue.path) || undefined,
    message: issue.message
  })
  const value = source.value ?? {}
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throwIssues([
      {
        file,
        line: 1,
        message: 'expected a mapping of settings at the top of the file (provider, models, tasks…)'
      }
    ])
  }
  const result = rawConfigSchema.safeParse(value)
  if (!result.success) {
    throwIssues(
      result.error.issues
        .flatMap((issue) => describeZodIssue(issue, value, rawConfigSchema))
        .map(toIssue)
    )
    throw new Error('unreachable')
  }
  const { config, issues } = normalizeConfig(result.data)
  throwIssues(issues.map(toIssue))
  return { config, configHash: sha256(text), lineOf: source.lineOf }
}

/** Parses and validates the text of `prompt-descent.yml` into the normalised Config. */
export function parseConfig(text: string, file: string): Config {
  return loadConfigText(text, file).config
}
