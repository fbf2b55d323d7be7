/**
 * The history file's format lives in src/report/history-file.ts (it is pure); re-exported here so
 * the GitHub glue and its callers keep their import path.
 */
export {
  HISTORY_SCHEMA_VERSION,
  parseHistoryFile,
  renderHistoryFile
} from '../report/history-file.js'
