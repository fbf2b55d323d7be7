import { constants } from 'node:fs'
import { access, stat } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { InputError } from '../errors.js'
import type { CliArgs } from './args.js'

export interface ReportPath {
  /** The flag that named it, e.g. `--json`. */
  flag: string
  path: string | undefined
}

/**
 * Checks the report files a run was asked for before it makes its first call, so a path that
 * cannot be written fails in a second instead of after the run was paid for: not a folder, not
 * named twice, and inside a folder that exists (or can be created) and can be written.
 * Creates nothing.
 * @throws InputError naming the flag and the path.
 */
export async function checkReportPaths(paths: readonly ReportPath[], cwd: string): Promise<void> {
  const seen = new Map<string, string>()
  for (const { flag, path } of paths) {
    if (path === undefined) continue
    const full = resolve(cwd, path)
    const earlier = seen.get(full)
    if (earlier !== undefined) {
      throw new InputError(
        `${flag} ${path}: ${earlier} writes the same file; give each report its own path`
      )
    }
    seen.set(full, flag)
    const found = await stat(full).catch(() => undefined)
    if (found?.isDirectory()) {
      throw new InputError(
        `${flag} ${path}: is a folder; give a file path, e.g. ${path.replace(/[/\\]+$/, '')}/${defaultName(flag)}`
      )
    }
    if (found) {
      // The file is replaced (written beside it, then renamed): its folder must be writable.
      await writable(
        dirname(full),
        `${flag} ${path}: the folder ${dirname(full)} cannot be written`
      )
      continue
    }
    // The nearest existing folder above must be a folder we can write (the rest is created).
    let folder = dirname(full)
    for (;;) {
      const info = await stat(folder).catch(() => undefined)
      if (info) {
        if (!info.isDirectory()) {
          throw new InputError(
            `${flag} ${path}: ${folder} is a file, so the folder for the report cannot be created`
          )
        }
        await writable(folder, `${flag} ${path}: the folder ${folder} cannot be written`)
        break
      }
      const parent = dirname(folder)
      if (parent === folder) break
      folder = parent
    }
  }
}

function defaultName(flag: string): string {
  if (flag === '--markdown') return 'report.md'
  if (flag === '--junit') return 'junit.xml'
  return 'report.json'
}

async function writable(path: string, message: string): Promise<void> {
  try {
    await access(path, constants.W_OK)
  } catch (error) {
    throw new InputError(message, { cause: error })
  }
}

/** The report files a command line asks for. */
export function reportPathsOf(args: Pick<CliArgs, 'json' | 'markdown' | 'junit'>): ReportPath[] {
  return [
    { flag: '--json', path: args.json },
    { flag: '--markdown', path: args.markdown },
    { flag: '--junit', path: args.junit }
  ]
}
