import { InputError } from '../errors.js'

/** One problem found in an input file, with where it is. */
export interface Issue {
  /** File the problem is in, relative to the repository root. */
  file: string
  /** 1-based line, when known. */
  line?: number
  /** 1-based column, when known (YAML syntax errors). */
  column?: number
  /** Key path in YAML form, e.g. `tasks[1].metric.choices`. */
  path?: string
  /** What is wrong and what was expected. */
  message: string
}

/**
 * An InputError that carries every problem found, so a caller (the action) can annotate each line,
 * while the message alone still reads well in a terminal: one problem per line.
 */
export class InputIssuesError extends InputError {
  readonly issues: readonly Issue[]
  constructor(issues: readonly Issue[]) {
    const sorted = sortIssues(issues)
    const first = sorted[0]
    if (first === undefined) throw new Error('InputIssuesError needs at least one issue')
    const sameFile = sorted.every((issue) => issue.file === first.file)
    if (sorted.length === 1) {
      super(first.message, { file: first.file, location: issueLocation(first) })
    } else if (sameFile) {
      const lines = shown(sorted).map((issue) => joinWhere(issueLocation(issue), issue.message))
      super(listMessage(sorted.length, lines), { file: first.file })
    } else {
      const lines = shown(sorted).map((issue) =>
        joinWhere([issue.file, issueLocation(issue)].filter(Boolean).join(': '), issue.message)
      )
      super(listMessage(sorted.length, lines))
    }
    this.issues = sorted
  }
}

/** `line 3, column 5, tasks[0].name` — the parts that are known. */
function issueLocation(issue: Pick<Issue, 'line' | 'column' | 'path'>): string | undefined {
  const parts: string[] = []
  if (issue.line !== undefined) parts.push(`line ${issue.line}`)
  if (issue.column !== undefined) parts.push(`column ${issue.column}`)
  if (issue.path) parts.push(issue.path)
  return parts.length > 0 ? parts.join(', ') : undefined
}

/** Throws one InputIssuesError for all issues, if there are any. */
export function throwIssues(issues: readonly Issue[]): void {
  if (issues.length > 0) throw new InputIssuesError(issues)
}

/** At most this many problems are spelled out in the message (all are kept in `issues`). */
const MAX_LISTED = 20

function shown(issues: readonly Issue[]): readonly Issue[] {
  return issues.slice(0, MAX_LISTED)
}

function listMessage(total: number, lines: readonly string[]): string {
  const more = total > lines.length ? `\n  … and ${total - lines.length} more` : ''
  return `${total} problems:\n${lines.map((line) => `  ${line}`).join('\n')}${more}`
}

function joinWhere(where: string | undefined, message: string): string {
  return where ? `${where}: ${message}` : message
}

function sortIssues(issues: readonly Issue[]): Issue[] {
  // Stable: issues in one file keep their discovery order among equal lines.
  return issues
    .map((issue, index) => ({ issue, index }))
    .sort(
      (a, b) =>
        a.issue.file.localeCompare(b.issue.file) ||
        (a.issue.line ?? 0) - (b.issue.line ?? 0) ||
        a.index - b.index
    )
    .map(({ issue }) => issue)
}
