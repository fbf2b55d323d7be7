import { isMap, isScalar, isSeq, LineCounter, parseDocument } from 'yaml'
import type { Node } from 'yaml'
import { InputError } from '../errors.js'

export type KeyPath = ReadonlyArray<string | number>

/** A parsed YAML file that can say on which line a key path sits. */
export interface YamlSource {
  /** The document as plain JavaScript values. */
  value: unknown
  /**
   * 1-based line of the key at `path` (of the item, for a list index). When the path does not exist
   * (a required key is missing), the line of its deepest existing ancestor; undefined for the root.
   */
  lineOf(path: KeyPath): number | undefined
  /** The top-level node, for callers that walk the document themselves (YAML datasets). */
  root: Node | null
  /** 1-based line of a character offset. */
  lineAt(offset: number): number
}

/** Parses YAML keeping positions. Malformed YAML is an InputError with its line and column. */
export function parseYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true })
  const error = doc.errors[0]
  if (error !== undefined) {
    const pos = error.linePos?.[0]
    // The library's message repeats the position and quotes the source; keep only the sentence.
    const sentence = error.message.split('\n')[0]?.replace(/ at line \d+, column \d+:?$/, '') ?? ''
    const location = pos ? `line ${pos.line}, column ${pos.col}` : undefined
    // The parser recurses: data nested thousands deep overflows its stack, and it says so.
    const reason = /call stack/i.test(sentence)
      ? 'the data is nested too deeply to read (lists or mappings thousands deep)'
      : sentence
    throw new InputError(`invalid YAML: ${reason}`, { file, location })
  }
  const root = doc.contents as Node | null
  const lineAt = (offset: number): number => lineCounter.linePos(offset).line
  return {
    value: doc.toJS() as unknown,
    root,
    lineAt,
    lineOf: (path) => {
      let node: unknown = root
      let line: number | undefined
      for (const segment of path) {
        const found = childOf(node, segment)
        if (found === undefined) break
        line = found.start === undefined ? line : lineAt(found.start)
        node = found.node
      }
      return line
    }
  }
}

function childOf(
  node: unknown,
  segment: string | number
): { node: unknown; start: number | undefined } | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = pair.key
      const name = isScalar(key) ? String(key.value) : String(key)
      if (name === String(segment)) {
        const start = isScalar(key) ? key.range?.[0] : (pair.value as Node | null)?.range?.[0]
        return { node: pair.value, start }
      }
    }
    return undefined
  }
  if (isSeq(node) && typeof segment === 'number') {
    const item = node.items[segment] as Node | undefined
    if (item === undefined) return undefined
    return { node: item, start: item.range?.[0] }
  }
  return undefined
}

/** `['tasks', 1, 'metric', 'choices']` → `tasks[1].metric.choices`. */
export function formatKeyPath(path: KeyPath): string {
  let out = ''
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`
    else if (/^[A-Za-z_][\w-]*$/.test(segment)) out += out === '' ? segment : `.${segment}`
    else out += `[${JSON.stringify(segment)}]`
  }
  return out
}
