import { readFile, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { InputError, errorMessage } from '../errors.js'
import { compareRecords, regressionsOf } from '../eval/trend.js'
import { renderHistoryFile } from '../report/history-file.js'
import { readHistoryText } from '../report/history-check.js'
import { renderAlertLines } from '../report/history-text.js'
import { historyRecordOf } from '../report/history-record.js'
import type { HistoryRecord } from '../report/history-record.js'
import { runEval } from '../run/eval-run.js'
import { createGitReader } from '../run/git-reader.js'
import { DEFAULT_HISTORY_MAX_RECORDS } from '../run/history-run.js'
import type { CommandContext } from './context.js'
import { finish } from './eval-command.js'
import { withCommandSession } from './session.js'

async function readExisting(path: string, name: string): Promise<HistoryRecord[]> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw new InputError(`could not read the history file: ${errorMessage(error)}`, { file: name })
  }
  return readHistoryText(text, name)
}

/**
 * `prompt-descent history append --file FILE`: scores the tasks as `eval` does, then appends the
 * commit's record (git HEAD of the config's folder) to FILE — the record the action keeps on its
 * data branch (./report/history-record.ts), so any CI can keep a history in a file. A record of
 * the same commit is replaced; the newest {@link DEFAULT_HISTORY_MAX_RECORDS} are kept; a
 * significant drop against the previous record is a warning. A run that stopped early is not
 * recorded.
 */
export async function runHistoryAppendCommand(context: CommandContext): Promise<number> {
  const { args, io, logger } = context
  const name = args.file ?? ''
  const path = resolve(io.cwd, name)
  // Read (and check) the file before paying for a run: a broken history fails first.
  const before = await readExisting(path, name)
  const { report, gate, sha } = await withCommandSession(context, async (session) => {
    const { sha } = await createGitReader(session.project.root, 'HEAD')
    const report = await runEval(session, {
      tasks: args.tasks,
      split: args.split ?? 'all',
      seed: session.project.config.seed
    })
    return { report, gate: session.project.config.gate, sha }
  })
  const code = await finish(report, context)
  if (report.stop.reason !== 'completed') {
    logger.warn(
      `history: not recorded, the run stopped early (${report.stop.reason}); a partial score is not kept`
    )
    return code
  }
  const record = historyRecordOf(report, {
    sha,
    date: new Date().toISOString(),
    ...(gate.minScore !== undefined ? { threshold: gate.minScore } : {})
  })
  const others = before.filter((r) => r.sha !== sha)
  const records = [...others, record].slice(-DEFAULT_HISTORY_MAX_RECORDS)
  try {
    await writeFile(path, renderHistoryFile(records), 'utf8')
  } catch (error) {
    throw new InputError(`could not write the history file: ${errorMessage(error)}`, { file: name })
  }
  logger.info(`history: ${records.length} record(s) in ${name} (${sha.slice(0, 7)} appended)`)
  const previous = others.at(-1)
  if (previous) {
    const trends = compareRecords(previous, record, { level: gate.confidence })
    // The same alert rule as the action's history: significant, and beyond max_drop when set.
    for (const line of renderAlertLines(regressionsOf(trends, gate.maxDrop))) {
      logger.warn(`history: ${line}`)
    }
  }
  return code
}
