/**
 * Markdown for GEPA's own detail: the candidate tree with its lineage (parent, minibatch, the
 * feedback shown, minibatch before → after, confirmation, outcome, dev score, dev rows it wins) and
 * the Pareto front at the end. Prompts and feedback are model output: escaped in table cells.
 */
import type {
  GepaMultiDetails,
  GepaMultiLedger,
  GepaMultiNode
} from '../optimize/gepa/multi-types.js'
import type { GepaDetails, GepaNode } from '../optimize/gepa/types.js'
import type { OptimizationReport } from '../optimize/types.js'
import { formatScore } from './format.js'
import type { Block } from './markdown-blocks.js'
import { markdownTable } from './markdown-sections.js'
import { codeBlock, details, inlineCode, tableCell } from './sanitize.js'

const MAX_TREE_ROWS = 120
const FEEDBACK_CHARS = 400
const PROMPT_CHARS = 4_000

/** The details of a GEPA report, when they have the shape the run writes. */
export function gepaDetailsOf(opt: OptimizationReport): GepaDetails | undefined {
  const d = opt.details as Partial<GepaDetails>
  return Array.isArray(d.nodes) && Array.isArray(d.front) ? (d as GepaDetails) : undefined
}

function depthOf(node: GepaNode, byId: Map<string, GepaNode>): number {
  let depth = 0
  for (let p = node.parentId; p !== null && depth < 1000; p = byId.get(p)?.parentId ?? null) depth++
  return depth
}

function sum(xs: readonly number[]): string {
  const total = xs.reduce((s, x) => s + x, 0)
  return Number.isInteger(total) ? String(total) : total.toFixed(2)
}

/** Depth-first order: each child right under its parent, children in creation order. */
function treeOrder(nodes: readonly GepaNode[]): GepaNode[] {
  const children = new Map<string | null, GepaNode[]>()
  for (const n of nodes) children.set(n.parentId, [...(children.get(n.parentId) ?? []), n])
  const out: GepaNode[] = []
  const visit = (n: GepaNode): void => {
    out.push(n)
    for (const c of children.get(n.id) ?? []) visit(c)
  }
  for (const root of children.get(null) ?? []) visit(root)
  return out
}

/** Multi-component nodes (the shared system prompt of several tasks) carry what they changed. */
function asMulti(n: GepaNode): Partial<GepaMultiNode> {
  return n as Partial<GepaMultiNode>
}

/** What a node changed: a component, or for a merge which parent each component came from. */
function changedCell(n: GepaNode): string {
  const m = asMulti(n)
  if (m.merge) {
    const from = Object.entries(m.merge.sources)
      .map(([c, id]) => `${c} ← ${id}`)
      .join(', ')
    return tableCell(`merge: ${from} (ancestor ${m.merge.ancestor})`, 160)
  }
  return m.component ? inlineCode(m.component, 40, true) : '—'
}

function parentCell(n: GepaNode): string {
  const m = asMulti(n)
  if (m.merge) return m.merge.parents.map((p) => inlineCode(p, 20, true)).join(' + ')
  return n.parentId === null ? '—' : inlineCode(n.parentId, 20, true)
}

function treeTable(d: GepaDetails, bestId: string | undefined): string {
  const byId = new Map(d.nodes.map((n) => [n.id, n]))
  const ordered = treeOrder(d.nodes)
  const multi = d.nodes.some((n) => asMulti(n).components !== undefined)
  const rows = ordered.slice(0, MAX_TREE_ROWS).map((n) => {
    const mark = n.id === bestId ? ' ★' : d.front.includes(n.id) ? ' ◆' : ''
    const indent = '\u2003'.repeat(depthOf(n, byId))
    const merge = asMulti(n).merge
    return [
      `${indent}${inlineCode(n.id, 20, true)}${mark}`,
      parentCell(n),
      ...(multi ? [changedCell(n)] : []),
      String(n.iteration),
      merge
        ? `${sum([merge.parentSums[0]])} / ${sum([merge.parentSums[1]])} → ${merge.sum === null ? '—' : sum([merge.sum])} of ${merge.rows.length} dev`
        : n.minibatch.length === 0
          ? '—'
          : `${sum(n.before)} → ${n.after.length === 0 ? '—' : sum(n.after)} of ${n.minibatch.length}`,
      n.confirm === null ? '—' : `${sum(n.confirm.parent)} → ${sum(n.confirm.child)}`,
      n.rejected === null ? n.outcome : `${n.outcome}: ${tableCell(n.rejected, 80)}`,
      n.devMean === null ? '—' : formatScore(n.devMean),
      n.wins.length === 0 ? '—' : String(n.wins.length)
    ]
  })
  const table = markdownTable(
    [
      'candidate',
      'parent',
      ...(multi ? ['changed'] : []),
      'iter',
      'minibatch',
      'confirm',
      'outcome',
      'dev',
      'wins'
    ],
    rows,
    [
      'left',
      'left',
      ...(multi ? (['left'] as const) : []),
      'right',
      'right',
      'right',
      'left',
      'right',
      'right'
    ]
  )
  const more =
    ordered.length > MAX_TREE_ROWS
      ? `\n\n${ordered.length - MAX_TREE_ROWS} more candidates not shown.`
      : ''
  return table + more
}

function feedbackDetails(d: GepaDetails): string {
  const parts = d.nodes
    .filter((n) => n.feedback.length > 0)
    .map((n) => {
      const lines = n.minibatch.map(
        (row, i) =>
          `- ${inlineCode(row, 40, true)}: ${tableCell(n.feedback[i] ?? '', FEEDBACK_CHARS)}`
      )
      const prompt = n.prompt === '' ? '' : `\n\n${codeBlock(n.prompt, 'text', PROMPT_CHARS)}`
      return `**${inlineCode(n.id, 20, true)}** (from ${inlineCode(n.parentId ?? '', 20, true)}, ${n.outcome}) — the feedback its reflection was shown:\n\n${lines.join('\n')}${prompt}`
    })
  return parts.join('\n\n')
}

function frontTable(d: GepaDetails): string {
  const byId = new Map(d.nodes.map((n) => [n.id, n]))
  const rows = d.front.map((id) => {
    const n = byId.get(id)
    return [
      inlineCode(id, 20, true),
      n?.devMean === null || n?.devMean === undefined ? '—' : formatScore(n.devMean),
      String(n?.wins.length ?? 0),
      (n?.wins ?? [])
        .slice(0, 8)
        .map((w) => inlineCode(w, 40, true))
        .join(', ') || '—'
    ]
  })
  return markdownTable(['candidate', 'dev', 'rows won', 'some of them'], rows, [
    'left',
    'right',
    'right',
    'left'
  ])
}

/** GEPA's blocks: the ledger line, the candidate tree, the feedback per proposal, the front. */
export function gepaBlocks(opt: OptimizationReport): Block[] {
  const d = gepaDetailsOf(opt)
  if (d === undefined) return []
  const bestId = typeof opt.details['bestId'] === 'string' ? opt.details['bestId'] : undefined
  const l = d.ledger
  const ledger =
    `Target calls ${l.targetCalls}: seed on dev ${l.seedDev}, parents on minibatches ${l.parentMinibatch}, children on minibatches ${l.childMinibatch}, confirmation ${l.confirmParent} + ${l.confirmChild}, ${l.devPasses} dev passes ${l.devCalls}; ${l.memoHits} parent scores re-used for free. ` +
    `Optimizer calls (reflections) ${l.optimizerCalls}. Preset ${d.preset} (${d.devPassCap} dev passes), minibatch ${d.minibatch}, confirmation ${d.confirm}, ${d.devRows.length} Pareto dev rows, selection ${d.selection}.`
  const multi = d as Partial<GepaMultiDetails>
  const mergeLine =
    multi.merge === undefined || multi.components === undefined
      ? ''
      : ` Components: ${multi.components.map((c) => inlineCode(c, 60, true)).join(', ')}; merges ${multi.merge.enabled ? `on (≤ ${multi.merge.callCap} target calls): ${(l as Partial<GepaMultiLedger>).mergeAttempts ?? 0} tried, ${(l as Partial<GepaMultiLedger>).mergesAccepted ?? 0} admitted, ${(l as Partial<GepaMultiLedger>).mergeCalls ?? 0} calls on the rows that separate their parents` : 'off'}.`
  return [
    {
      text: `#### Candidate tree\n\n${treeTable(d, bestId)}\n\n★ the proposed prompt (best mean on the Pareto dev rows) · ◆ on the Pareto front. *minibatch*: the parent's → the child's score on the rows the reflection read; *confirm*: the same on fresh train rows; *wins*: dev rows where it is among the best while some candidate is not.${mergeLine === '' ? '' : " *changed*: the component a mutation rewrote, or for a merge the parent each component came from; a merge's *minibatch* is its parents' → its score on the dev rows that separate them."}\n\n${ledger}${mergeLine}`
    },
    { text: `#### Pareto front at the end\n\n${frontTable(d)}` },
    { text: details('Feedback shown to each reflection', feedbackDetails(d)), drop: 'detail' }
  ]
}
