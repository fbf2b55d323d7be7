import { resolve } from 'node:path'
import { errorMessage } from '../errors.js'
import { renderJson } from '../report/json.js'
import { renderJunit } from '../report/junit.js'
import { renderMarkdown } from '../report/markdown.js'
import type { RunReport } from '../report/types.js'
import { writeFileAtomic } from '../util/confined-write.js'

export interface ReportFiles {
  json: string | undefined
  markdown: string | undefined
  junit: string | undefined
  junitPerExample: boolean
  /** Relative paths are resolved against it (the CLI's io.cwd). */
  cwd: string
  /** Told of a file that could not be written (full disk, no permission); the others still are. */
  warn: (message: string) => void
}

/**
 * Writes the requested report files (relative to files.cwd), each atomically; returns the paths
 * written. The paths were given on the command line, so they are the user's to choose.
 */
export async function writeReportFiles(report: RunReport, files: ReportFiles): Promise<string[]> {
  const written: string[] = []
  const put = async (path: string | undefined, text: () => string): Promise<void> => {
    if (path === undefined) return
    try {
      await writeFileAtomic(resolve(files.cwd, path), text())
      written.push(path)
    } catch (error) {
      files.warn(`could not write the report ${path}: ${errorMessage(error)}`)
    }
  }
  await put(files.json, () => renderJson(report))
  await put(files.markdown, () => renderMarkdown(report))
  await put(files.junit, () => renderJunit(report, { perExample: files.junitPerExample }))
  return written
}
