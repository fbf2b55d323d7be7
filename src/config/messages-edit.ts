/**
 * Writing an optimized message back into its messages file (YAML or JSON) by replacing the bytes of
 * that one `content` value and nothing else: comments, key order, the quoting and block styles of
 * every other value, and every other key stay byte-for-byte as they were. The new value is written
 * in the old one's style where it can be (a block scalar stays a block scalar at the same indent, a
 * quoted string stays quoted), and the result is parsed back to prove it holds exactly the new text
 * and leaves every other value equal. A multi-line text in a block context becomes a literal block.
 * An unchanged content returns the text as it was; a CRLF file's new lines end in CRLF, and a BOM
 * is kept.
 */
import { isDeepStrictEqual } from 'node:util'
import { isMap, isScalar, isSeq, parseDocument, Scalar } from 'yaml'
import type { Node } from 'yaml'
import { InputError } from '../errors.js'

/** Replaces `messages[index].content` in a messages file's text; throws when it cannot. */
export function replaceMessageContent(
  text: string,
  index: number,
  content: string,
  file: string
): string {
  const bom = text.startsWith('\uFEFF') ? '\uFEFF' : ''
  const body = bom ? text.slice(1) : text
  const doc = parseDocument(body)
  const node = contentNode(doc.contents as Node | null, index)
  if (node?.range === undefined || node.range === null) {
    throw new InputError(`cannot find messages[${index}].content to write the optimized prompt`, {
      file
    })
  }
  const [start, end] = node.range
  // An unchanged content is no edit: the file's bytes stay exactly as they are.
  if (node.value === content) return text
  const before = doc.toJS() as unknown
  // A file with CRLF line endings keeps them in the new content's lines.
  const crlf = body.includes('\r\n')
  for (const candidate of candidates(body, node, start, end, content)) {
    const source = crlf ? candidate.replace(/\r?\n/g, '\r\n') : candidate
    const next = body.slice(0, start) + source + body.slice(end)
    if (holds(next, before, index, content)) return bom + next
  }
  throw new InputError(
    `cannot write the optimized prompt into messages[${index}].content without changing other values`,
    { file }
  )
}

function contentNode(root: Node | null, index: number): Scalar | undefined {
  if (!isMap(root)) return undefined
  const messages = root.get('messages', true)
  if (!isSeq(messages)) return undefined
  const item = messages.items[index]
  if (!isMap(item)) return undefined
  const value = item.get('content', true)
  return isScalar(value) ? value : undefined
}

/** Replacement sources to try, in order of preference: the old style first, JSON string last. */
function* candidates(
  text: string,
  node: Scalar,
  start: number,
  end: number,
  content: string
): Generator<string> {
  const old = text.slice(start, end)
  const lineStart = text.lastIndexOf('\n', start - 1) + 1
  // The key's indent, counting a sequence entry's `- ` as indent.
  const column = /^[ -]*/.exec(text.slice(lineStart, start))?.[0].length ?? 0
  const isBlock = node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED
  // A multi-line prompt reads best (and diffs best) as a literal block, where the context allows one.
  if (isBlock || (content.includes('\n') && !inFlowContext(text, start))) {
    const block = blockLiteral(old, content, column, isBlock)
    if (block !== undefined) yield block
  }
  if (node.type === Scalar.QUOTE_SINGLE && !content.includes('\n'))
    yield `'${content.replace(/'/g, "''")}'`
  if (node.type === Scalar.PLAIN && !content.includes('\n')) yield content
  yield JSON.stringify(content)
}

/** True when the scalar at `start` sits inside a flow collection (`{…}` / `[…]`, e.g. JSON). */
function inFlowContext(text: string, start: number): boolean {
  let depth = 0
  for (let i = start - 1; i >= 0; i--) {
    const c = text[i]
    if (c === '}' || c === ']') depth++
    else if (c === '{' || c === '[') {
      if (depth === 0) return true
      depth--
    }
  }
  return false
}

/**
 * `content` as a literal block scalar. The indent is the old block's (or two spaces past the key's
 * indent), the chomping indicator keeps the text's trailing newlines exactly, and the old block's
 * trailing line break (which belongs to the node's range) is kept.
 */
function blockLiteral(
  old: string,
  content: string,
  column: number,
  wasBlock: boolean
): string | undefined {
  // A first line that starts with a space would need an indentation indicator; let JSON do it.
  if (/^[ \t]/.test(content) || content === '') return undefined
  const lines = old.split('\n')
  const contentLine = wasBlock ? lines.slice(1).find((l) => l.trim() !== '') : undefined
  const indent = contentLine ? (/^ */.exec(contentLine)?.[0].length ?? 0) : column + 2
  const trailing = /\n*$/.exec(content)?.[0].length ?? 0
  const chomp = trailing === 0 ? '-' : trailing === 1 ? '' : '+'
  const core = trailing === 0 ? content : content.slice(0, -trailing)
  const pad = ' '.repeat(Math.max(1, indent))
  const bodyLines = core.split('\n').map((l) => (l === '' ? '' : pad + l))
  const extra = trailing > 1 ? Array.from({ length: trailing - 1 }, () => '') : []
  const end = old.endsWith('\n') ? '\n' : ''
  return `|${chomp}\n${[...bodyLines, ...extra].join('\n')}${end}`
}

/** The edited text parses, holds `content` at the index, and every other value is unchanged. */
function holds(next: string, before: unknown, index: number, content: string): boolean {
  const doc = parseDocument(next)
  if (doc.errors.length > 0) return false
  const after = doc.toJS() as { messages?: Array<{ content?: unknown }> }
  if (after.messages?.[index]?.content !== content) return false
  const expected = structuredClone(before) as { messages: Array<{ content: unknown }> }
  const message = expected.messages[index]
  if (message === undefined) return false
  message.content = content
  return isDeepStrictEqual(after, expected)
}
