import { mkdir, writeFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { renderJson } from '../report/json.js'
import { renderJunit } from '../report/junit.js'
import { renderMarkdown } from '../report/markdown.js'
import type { RunReport } from '../report/types.js'

export interface ReportFiles {
  json: string | undefined
  markdown: string | undefined
  junit: string | undefined
  junitPerExample: boolean
  /** Relative paths are resolved against it (the CLI's io.cwd). */
  cwd: string
}

/** Writes the requested report files (relative to files.cwd); returns their paths. */
export async function writeReportFiles(report: RunReport, files: ReportFiles): Promise<string[]> {
  const written: string[] = []
  const put = async (path: string | undefined, text: () => string): Promise<void> => {
    if (path === undefined) return
    const full = resolve(files.cwd, path)
    await mkdir(dirname(full), { recursive: true })
    await writeFile(full, text(), 'utf8')
    written.push(path)
  }
  await put(files.json, () => renderJson(report))
  await put(files.markdown, () => renderMarkdown(report))
  await put(files.junit, () => renderJunit(report, { perExample: files.junitPerExample }))
  return written
}
