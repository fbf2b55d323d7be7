/**
 * Where a secret could leak from a run of the action: its logs, outputs, summary, the comments it
 * wrote and every file it left in the workspace (reports and the response cache).
 */
import { readdir, readFile, stat } from 'node:fs/promises'
import { join, relative } from 'node:path'
import type { ActionRun } from './run-action.js'

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = []
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name === '.git') continue
    const path = join(dir, entry.name)
    // A committed link to a folder (a hostile repository's) is followed: where it leads is where
    // a write through it would have gone.
    const folder = entry.isSymbolicLink()
      ? await stat(path).then(
          (s) => s.isDirectory(),
          () => undefined
        )
      : entry.isDirectory()
    if (folder === undefined) continue
    if (folder) out.push(...(await filesUnder(path)))
    else out.push(path)
  }
  return out
}

/**
 * Every place `secret` appears, by name. `::add-mask::<secret>` lines are how a step tells the
 * runner what to mask (the runner consumes them and never shows them), so they are the one
 * allowed occurrence in stdout.
 */
export async function findLeaks(
  secret: string,
  run: ActionRun,
  workspace: string,
  commentBodies: readonly string[]
): Promise<string[]> {
  const leaks: string[] = []
  const stdout = run.stdout
    .split('\n')
    .filter((line) => line !== `::add-mask::${secret}`)
    .join('\n')
  if (stdout.includes(secret)) leaks.push('stdout')
  if (run.stderr.includes(secret)) leaks.push('stderr')
  if (run.summary.includes(secret)) leaks.push('job summary')
  if (run.outputFile.includes(secret)) leaks.push('GITHUB_OUTPUT')
  for (const [path, text] of Object.entries(run.runnerFiles)) {
    if (text.includes(secret)) leaks.push(`runner file ${path}`)
  }
  commentBodies.forEach((body, i) => {
    if (body.includes(secret)) leaks.push(`comment #${i}`)
  })
  for (const file of await filesUnder(workspace)) {
    if ((await readFile(file)).includes(secret)) leaks.push(relative(workspace, file))
  }
  return leaks
}

/** The files a run left under `dir` (relative paths), e.g. to show that the cache was written. */
export async function listFiles(dir: string): Promise<string[]> {
  try {
    return (await filesUnder(dir)).map((f) => relative(dir, f))
  } catch {
    return []
  }
}
