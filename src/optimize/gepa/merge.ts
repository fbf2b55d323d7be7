/**
 * GEPA's system-aware merge (../shared/research/gepa.md §1.6): two candidates of different lineages
 * that share an ancestor, each having changed different components since, are joined by taking each
 * component from the one that changed it. Pure: the loop (./multi.ts) scores what this builds.
 */
import type { Random } from '../../util/random.js'
import type { Components } from './multi-types.js'

/** Rows of the Pareto dev set a merge is first scored on (the reference's 5). */
export const MERGE_ROWS = 5
/** Pair draws per merge attempt (the reference's 10 × 10). */
const PAIR_TRIES = 100
/** Accepted merges per run (the reference's max_merge_invocations). */
export const MAX_MERGES = 5

export interface MergeNode {
  id: string
  /** One parent for a mutation, two for a merge, none for the seed. */
  parents: readonly string[]
  components: Components
  devMean: number
}

/** Every ancestor of `id` (parents, their parents…), not `id` itself. */
export function ancestorsOf(id: string, byId: ReadonlyMap<string, MergeNode>): Set<string> {
  const out = new Set<string>()
  const stack = [...(byId.get(id)?.parents ?? [])]
  while (stack.length > 0) {
    const next = stack.pop() as string
    if (out.has(next)) continue
    out.add(next)
    stack.push(...(byId.get(next)?.parents ?? []))
  }
  return out
}

export interface MergePlan {
  components: Record<string, string>
  /** Per component, the node its text came from (a parent, or the ancestor when neither changed it). */
  sources: Record<string, string>
}

/**
 * Per component: the text of the child that changed it from the ancestor's; when both did, the
 * higher dev mean's (ties: `i`); when neither, the ancestor's. Undefined unless each parent
 * contributes a component the other lacks — otherwise the merge equals a parent.
 */
export function mergePlan(i: MergeNode, j: MergeNode, a: MergeNode): MergePlan | undefined {
  const components: Record<string, string> = {}
  const sources: Record<string, string> = {}
  for (const name of Object.keys(a.components)) {
    const ti = i.components[name] ?? ''
    const tj = j.components[name] ?? ''
    const ta = a.components[name] ?? ''
    let from: MergeNode
    if (ti === tj) from = ti === ta ? a : i
    else if (ti === ta) from = j
    else if (tj === ta) from = i
    else from = j.devMean > i.devMean ? j : i
    components[name] = from === a ? ta : (from.components[name] ?? '')
    sources[name] = from.id
  }
  const same = (n: MergeNode) =>
    Object.keys(components).every((k) => components[k] === (n.components[k] ?? ''))
  return same(i) || same(j) ? undefined : { components, sources }
}

export interface MergePick {
  i: MergeNode
  j: MergeNode
  ancestor: MergeNode
  plan: MergePlan
}

/**
 * A pair of `candidates` (neither an ancestor of the other) with a common ancestor no better than
 * either (drawn in proportion to its dev mean) whose merge differs from both and was not tried
 * before (`tried` holds `i+j+a` keys and is updated). Undefined when no pair qualifies.
 */
export function pickMerge(
  candidates: readonly MergeNode[],
  byId: ReadonlyMap<string, MergeNode>,
  tried: Set<string>,
  random: Random
): MergePick | undefined {
  if (candidates.length < 2) return undefined
  for (let t = 0; t < PAIR_TRIES; t++) {
    const [x, y] = random.sample([...candidates], 2)
    if (x === undefined || y === undefined) return undefined
    const [i, j] = x.id < y.id ? [x, y] : [y, x]
    const ai = ancestorsOf(i.id, byId)
    const aj = ancestorsOf(j.id, byId)
    if (ai.has(j.id) || aj.has(i.id)) continue
    const options = [...ai]
      .filter((id) => aj.has(id) && !tried.has(`${i.id}+${j.id}+${id}`))
      .map((id) => byId.get(id) as MergeNode)
      .filter((a) => a.devMean <= i.devMean && a.devMean <= j.devMean)
      .map((a) => ({ a, plan: mergePlan(i, j, a) }))
      .filter((o): o is { a: MergeNode; plan: MergePlan } => o.plan !== undefined)
    if (options.length === 0) continue
    const total = options.reduce((s, o) => s + o.a.devMean + 1e-6, 0)
    let u = random.next() * total
    const chosen = options.find((o) => (u -= o.a.devMean + 1e-6) < 0) ?? options[options.length - 1]
    if (chosen === undefined) continue
    tried.add(`${i.id}+${j.id}+${chosen.a.id}`)
    return { i, j, ancestor: chosen.a, plan: chosen.plan }
  }
  return undefined
}

/**
 * The dev rows (indices) that separate two parents: up to 2 where `i` beats `j`, up to 2 where `j`
 * beats `i`, filled to MERGE_ROWS from the rest, in a seeded order.
 */
export function separatingRows(
  si: readonly number[],
  sj: readonly number[],
  random: Random
): number[] {
  const rows = random.shuffle(si.map((_, k) => k))
  const iWins = rows.filter((k) => (si[k] ?? 0) > (sj[k] ?? 0)).slice(0, 2)
  const jWins = rows.filter((k) => (sj[k] ?? 0) > (si[k] ?? 0)).slice(0, 2)
  const chosen = [...iWins, ...jWins]
  for (const k of rows) {
    if (chosen.length >= MERGE_ROWS) break
    if (!chosen.includes(k)) chosen.push(k)
  }
  return chosen.sort((a, b) => a - b)
}
