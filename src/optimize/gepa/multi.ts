/**
 * GEPA on several components: the shared system prompt of a multi-task repository and, optionally,
 * each task's user prompt (../shared/research/gepa.md §8). A candidate is a set of components; the
 * Pareto pool is over the dev rows of every task (per row, keyed `task/row`). A mutation picks one
 * component of its parent, round robin as in the reference, draws its minibatch from the rows that
 * component serves (every task for the system prompt, its task for a user prompt; rows the parent
 * fails first) and reflects on them. A merge joins two lineages that changed different components
 * (./merge.ts), is first scored on dev rows that separate its parents, and gets a full dev pass only
 * if it is no worse than the better parent there.
 *
 * The preset's dev passes count per component (round robin hands each component its share of the
 * mutations); merges have their own cap (MAX_MERGES admitted) and do not use the preset's passes.
 * The budget is exact as in ./gepa.ts: an iteration starts only when the cap covers its worst case
 * (a mutation 2b + 2c + V target calls and one optimizer call; a merge V target calls), and merges
 * spend at most `optimize.gepa.merge_share` of the search's target calls. Every (candidate, row)
 * score is kept, so nothing is scored twice. Same seed, same tree.
 */
import type { Example, LoadedTask } from '../../config/project-types.js'
import { templateSlots } from '../../config/template.js'
import { InputError } from '../../errors.js'
import { bootstrapMeanInterval } from '../../eval/stats.js'
import type { ExampleResult } from '../../eval/types.js'
import { throwIfAborted } from '../../llm/abort.js'
import { createRandom, type Random } from '../../util/random.js'
import { CandidateRegistry, outputMarkers } from '../candidate-guard.js'
import { toFailingExample } from '../failing-examples.js'
import { providerStop, stopFromError } from '../stop.js'
import type { RoundRecord } from '../types.js'
import { exampleFeedback } from './feedback.js'
import { MAX_MERGES, pickMerge, separatingRows, type MergeNode } from './merge.js'
import {
  SYSTEM_COMPONENT,
  userComponent,
  type GepaMultiDetails,
  type GepaMultiInput,
  type GepaMultiLedger,
  type GepaMultiNode,
  type GepaMultiResult
} from './multi-types.js'
import { systemReflectionMessages, userReflectionMessages } from './multi-reflect.js'
import { iterationRound, summarizePool } from './run-records.js'
import { bestByMean, frontWeights, meanOf, selectParent } from './pareto.js'
import { GEPA_ITERATIONS_PER_PASS, iterationWorstCase, presetDevPasses } from './presets.js'
import { copyIndex, readReflection, type CopyIndex } from './reflect.js'
import { GEPA_STALL_PROPOSALS, StallWatch } from './stall.js'
import type { GepaIteration, GepaOutcome } from './types.js'

export type * from './multi-types.js'

/** One row of one task. */
interface Row {
  key: string
  task: LoadedTask
  example: Example
}

type Bucket =
  | 'seedDev'
  | 'parentMinibatch'
  | 'childMinibatch'
  | 'confirmParent'
  | 'confirmChild'
  | 'devCalls'
  | 'mergeCalls'

export function emptyMultiLedger(): GepaMultiLedger {
  return {
    targetCalls: 0,
    optimizerCalls: 0,
    memoHits: 0,
    seedDev: 0,
    parentMinibatch: 0,
    childMinibatch: 0,
    confirmParent: 0,
    confirmChild: 0,
    devPasses: 0,
    devCalls: 0,
    mergeCalls: 0,
    mergeAttempts: 0,
    mergesAccepted: 0
  }
}

/**
 * Dev passes a multi-component run's preset allows: the preset's per component (the reference's
 * `auto` budgets grow with the number of components too), since round robin gives each component
 * only its share of the mutations.
 */
export function multiDevPasses(
  preset: GepaMultiInput['config']['preset'],
  components: number
): number {
  return presetDevPasses(preset) * Math.max(1, components)
}

/** The search's target calls at most, before a cap: the preset's iterations at their worst. */
export function multiSearchCalls(
  config: GepaMultiInput['config'],
  sizes: { dev: number; minibatch: number; confirm: number; components: number }
): number {
  const passes = multiDevPasses(config.preset, sizes.components)
  const worst = iterationWorstCase(sizes.minibatch, sizes.confirm, sizes.dev)
  const bound = sizes.dev + passes * GEPA_ITERATIONS_PER_PASS * worst
  return config.maxCalls === undefined ? bound : Math.min(bound, config.maxCalls)
}

/** Up to `n` dev rows spread evenly over the tasks (a seeded sample of each). */
function stratifiedDev(tasks: readonly LoadedTask[], n: number, random: Random): Row[] {
  const per = tasks.map((t) => t.examples.filter((e) => e.split === 'dev'))
  const quota = tasks.map(() => 0)
  let left = n
  while (left > 0 && quota.some((q, k) => q < (per[k]?.length ?? 0))) {
    for (let k = 0; k < tasks.length && left > 0; k++) {
      if ((quota[k] ?? 0) < (per[k]?.length ?? 0)) {
        quota[k] = (quota[k] ?? 0) + 1
        left--
      }
    }
  }
  return tasks.flatMap((task, k) => {
    const all = per[k] ?? []
    return random
      .fork(`dev-rows:${task.name}`)
      .sample(all, quota[k] ?? 0)
      .sort((a, b) => all.indexOf(a) - all.indexOf(b))
      .map((example) => ({ key: `${task.name}/${example.id}`, task, example }))
  })
}

export async function runGepaMulti(input: GepaMultiInput): Promise<GepaMultiResult> {
  const { tasks, config } = input
  if (tasks.length === 0) throw new InputError('GEPA on the shared system prompt needs a task')
  for (const task of tasks) {
    const train = task.examples.filter((e) => e.split === 'train').length
    const dev = task.examples.filter((e) => e.split === 'dev').length
    if (train === 0 || dev === 0) {
      throw new InputError(
        `task "${task.name}": GEPA needs train and dev examples, found ${train} train and ${dev} dev; adjust the split`,
        { file: task.config.data }
      )
    }
  }
  const random = createRandom(input.seed).fork(`gepa-multi:${tasks.map((t) => t.name).join(',')}`)
  const dev = stratifiedDev(tasks, config.devRows, random.fork('dev'))
  const trainOf = new Map(
    tasks.map((t) => [
      t.name,
      t.examples
        .filter((e) => e.split === 'train')
        .map((example): Row => ({ key: `${t.name}/${example.id}`, task: t, example }))
    ])
  )
  const allTrain = tasks.flatMap((t) => trainOf.get(t.name) ?? [])
  const names = [
    SYSTEM_COMPONENT,
    ...(config.components === 'system' ? [] : tasks)
      .filter((t) => input.userTasks.includes(t.name))
      .map((t) => userComponent(t.name))
  ]
  const taskOf = new Map(tasks.map((t) => [userComponent(t.name), t]))
  const startComponents: Record<string, string> = { [SYSTEM_COMPONENT]: input.start.system }
  for (const name of names.slice(1))
    startComponents[name] = input.start.users.get(taskOf.get(name)?.name ?? '') ?? ''

  /** What each component may be: slots and answer markers kept, a length cap, no copied rows. */
  const rulesOf = new Map(
    names.map((name) => {
      const text = startComponents[name] ?? ''
      const own = taskOf.get(name)
      const markers = own
        ? outputMarkers(text, own.config.extract)
        : [...new Set(tasks.flatMap((t) => outputMarkers(text, t.config.extract)))]
      const rows = own ? (trainOf.get(own.name) ?? []) : allTrain
      return [
        name,
        {
          rules: { requiredSlots: templateSlots(text), requiredMarkers: markers },
          maxChars: config.maxPromptChars ?? Math.max(2000, 3 * text.length),
          copies: copyIndex(rows.map((r) => r.example)) as CopyIndex,
          rows
        }
      ] as const
    })
  )
  const b = Math.min(config.minibatch, ...names.map((n) => rulesOf.get(n)?.rows.length ?? 0))
  const c = Math.min(
    config.confirm,
    ...names.map((n) => Math.max(0, (rulesOf.get(n)?.rows.length ?? 0) - b))
  )
  const V = dev.length
  const devPassCap = multiDevPasses(config.preset, names.length)
  const maxIterations = devPassCap * GEPA_ITERATIONS_PER_PASS
  const mergeOn = config.merge && names.length >= 2
  const mergeCap = Math.floor(
    config.mergeShare *
      multiSearchCalls(config, { dev: V, minibatch: b, confirm: c, components: names.length })
  )
  const ledger = emptyMultiLedger()
  const registry = new CandidateRegistry()
  const guard: Record<string, number> = {}
  const nodes: GepaMultiNode[] = []
  const rounds: RoundRecord[] = []
  const pool: Array<{ node: number; scores: number[] }> = []
  const memo = new Map<string, Map<string, ExampleResult>>()
  const reflections = new Map<string, number>()
  /** Round robin: the next component index each candidate hands a mutation. */
  const nextComponent = new Map<string, number>()
  const triedMerges = new Set<string>()
  const keyOf = (components: Record<string, string>) =>
    names.map((n) => components[n] ?? '').join('\u0000\u241e\u0000')
  const partsFor = (node: GepaMultiNode, task: LoadedTask) => ({
    system: node.components[SYSTEM_COMPONENT] ?? input.start.system,
    user: node.components[userComponent(task.name)] ?? input.start.users.get(task.name) ?? ''
  })

  const scoreRows = async (
    node: GepaMultiNode,
    rows: readonly Row[],
    bucket: Bucket
  ): Promise<ExampleResult[]> => {
    const known = memo.get(node.id) ?? new Map<string, ExampleResult>()
    memo.set(node.id, known)
    const missing = rows.filter((r) => !known.has(r.key))
    ledger.memoHits += rows.length - missing.length
    if (missing.length > 0) {
      ledger.targetCalls += missing.length
      ledger[bucket] += missing.length
      for (const task of tasks) {
        const mine = missing.filter((r) => r.task === task)
        if (mine.length === 0) continue
        const results = await input.scoreFor(task)(
          partsFor(node, task),
          mine.map((r) => r.example),
          input.signal ? { signal: input.signal } : {}
        )
        mine.forEach((row, i) => {
          const result = results[i]
          if (result) known.set(row.key, result)
        })
      }
    }
    return rows.map((r) => known.get(r.key) as ExampleResult)
  }
  const scoresOf = (results: readonly ExampleResult[]) => results.map((r) => r.score)
  const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0)
  const poolEntries = () => pool.map((p, index) => ({ index, scores: p.scores }))
  const bestNode = (): number => pool[bestByMean(poolEntries())]?.node ?? 0
  const parentsOf = (n: GepaMultiNode): string[] =>
    n.merge ? [...n.merge.parents] : n.parentId === null ? [] : [n.parentId]
  const blank = (
    id: string,
    parentId: string | null,
    components: Record<string, string>
  ): GepaMultiNode => ({
    id,
    parentId,
    iteration: 0,
    prompt: '',
    minibatch: [],
    feedback: [],
    before: [],
    after: [],
    confirm: null,
    outcome: 'seed',
    rejected: null,
    devScores: null,
    devMean: null,
    wins: [],
    components,
    component: null,
    merge: null
  })

  const seed = blank('g0', null, { ...startComponents })
  nodes.push(seed)
  registry.claim(keyOf(seed.components), seed.id)

  let stop: GepaMultiResult['stop'] = {
    reason: 'completed',
    message: `${devPassCap} dev passes (preset ${config.preset})`
  }
  let iteration = 0
  // Proposals rotate over the components, so each gets the single-prompt loop's allowance.
  const stall = new StallWatch(GEPA_STALL_PROPOSALS * names.length)
  const worst = iterationWorstCase(b, c, V)
  const overCap = (calls: number): boolean =>
    config.maxCalls !== undefined && ledger.targetCalls + calls > config.maxCalls
  const record = (
    parentId: string,
    childId: string | null,
    outcome: GepaOutcome,
    before: GepaMultiLedger
  ): void => {
    const it: GepaIteration = { iteration, parentId, childId, outcome, ledger: { ...ledger } }
    const child = childId === null ? undefined : nodes.find((n) => n.id === childId)
    stall.note(outcome, child?.rejected?.startsWith('duplicates:') === true)
    rounds.push(
      iterationRound({
        round: iteration,
        outcome,
        childId,
        childRejected: child?.rejected,
        bestDev: nodes[bestNode()]?.devMean ?? 0,
        beam: pool.map((p) => nodes[p.node]?.id ?? ''),
        ledger,
        before
      })
    )
    input.onIteration?.(it)
  }
  const admit = async (node: GepaMultiNode): Promise<void> => {
    const devScores = scoresOf(await scoreRows(node, dev, 'devCalls'))
    ledger.devPasses++
    node.devScores = devScores
    node.devMean = meanOf(devScores)
    node.outcome = 'admitted'
    pool.push({ node: nodes.indexOf(node), scores: devScores })
  }

  /** One merge attempt; false when no pair qualifies (the iteration goes on as a mutation). */
  const tryMerge = async (it: Random): Promise<boolean> => {
    const admitted = pool.map((p) => nodes[p.node] as GepaMultiNode)
    const asMerge = (n: GepaMultiNode): MergeNode => ({
      id: n.id,
      parents: parentsOf(n),
      components: n.components,
      devMean: n.devMean ?? 0
    })
    const byId = new Map(nodes.map((n) => [n.id, asMerge(n)]))
    const survivors = frontWeights(poolEntries()).map((w) => admitted[w.index] as GepaMultiNode)
    const from = survivors.length >= 2 ? survivors : admitted
    const pick = pickMerge(from.map(asMerge), byId, triedMerges, it.fork('merge'))
    if (pick === undefined) return false
    const key = keyOf(pick.plan.components)
    const before = { ...ledger }
    ledger.mergeAttempts++
    const node = blank(`g${nodes.length}`, pick.i.id, pick.plan.components)
    node.iteration = iteration
    node.outcome = 'gate'
    const si = nodes.find((n) => n.id === pick.i.id)?.devScores ?? []
    const sj = nodes.find((n) => n.id === pick.j.id)?.devScores ?? []
    const rows = separatingRows(si, sj, it.fork('merge-rows')).map((k) => dev[k] as Row)
    const idx = rows.map((r) => dev.indexOf(r))
    const parentSums: [number, number] = [
      sum(idx.map((k) => si[k] ?? 0)),
      sum(idx.map((k) => sj[k] ?? 0))
    ]
    node.merge = {
      parents: [pick.i.id, pick.j.id],
      ancestor: pick.ancestor.id,
      sources: pick.plan.sources,
      rows: rows.map((r) => r.key),
      parentSums,
      sum: null
    }
    const duplicate = registry.claim(key, node.id)
    nodes.push(node)
    if (duplicate) {
      node.outcome = 'guard'
      node.rejected = `duplicates: same as ${duplicate.duplicateOf}`
      record(pick.i.id, node.id, 'guard', before)
      return true
    }
    const scores = scoresOf(await scoreRows(node, rows, 'mergeCalls'))
    node.merge.sum = sum(scores)
    if (node.merge.sum < Math.max(...parentSums)) {
      record(pick.i.id, node.id, 'gate', before)
      return true
    }
    await admit(node)
    ledger.mergesAccepted++
    record(pick.i.id, node.id, 'admitted', before)
    return true
  }

  /** The rows a component serves, ordered for a minibatch: known failures first, then unknown. */
  const minibatchFor = (
    parent: GepaMultiNode,
    component: string,
    order: Random
  ): { failing: Row[]; unknown: Row[]; pick: Row[] } => {
    const known = memo.get(parent.id) ?? new Map<string, ExampleResult>()
    const rows = rulesOf.get(component)?.rows ?? []
    const failing = rows.filter((r) => (known.get(r.key)?.score ?? 1) < 1)
    const unknown = rows.filter((r) => !known.has(r.key))
    const ranked = [...order.shuffle(failing), ...order.shuffle(unknown)]
    if (component !== SYSTEM_COMPONENT) return { failing, unknown, pick: ranked.slice(0, b) }
    // The shared prompt's minibatch spreads over the tasks: one row of each in turn.
    const queues = order.shuffle(tasks).map((t) => ranked.filter((r) => r.task === t))
    const pick: Row[] = []
    while (pick.length < b && queues.some((q) => q.length > 0)) {
      for (const q of queues) {
        const next = q.shift()
        if (next !== undefined && pick.length < b) pick.push(next)
      }
    }
    return { failing, unknown, pick }
  }

  try {
    throwIfAborted(input.signal)
    if (overCap(V)) {
      throw new InputError(
        `${config.maxCalls} is below one dev pass (${V} rows); raise it or lower optimize.gepa.dev_rows`,
        { location: 'optimize.gepa.max_calls' }
      )
    }
    const seedScores = scoresOf(await scoreRows(seed, dev, 'seedDev'))
    seed.devScores = seedScores
    seed.devMean = meanOf(seedScores)
    pool.push({ node: 0, scores: seedScores })
    let mergesDue = 0
    let lastAdmitted = false
    /** Target calls merges spent (their separating rows and dev passes), within mergeCap. */
    let mergeSpent = 0

    for (iteration = 1; iteration <= maxIterations; iteration++) {
      // The preset counts mutations' dev passes; merges have their own cap and share of the calls.
      if (ledger.devPasses - ledger.mergesAccepted >= devPassCap) break
      if (overCap(worst)) {
        stop = {
          reason: 'budget',
          message: `optimize.gepa.max_calls (${config.maxCalls}) cannot cover another iteration (${worst} target calls at most); stopped before iteration ${iteration}`
        }
        break
      }
      if (input.canAfford?.(worst, 1) === false) {
        stop = {
          reason: 'budget',
          message: `the budget cannot cover another iteration (${worst} target calls and 1 optimizer call at most); stopped before iteration ${iteration}`
        }
        break
      }
      if (stall.stalled) {
        stop = { reason: 'completed', message: stall.message() }
        break
      }
      throwIfAborted(input.signal)
      const it = random.fork(`iteration-${iteration}`)
      // A merge is owed after an admission, within its share of the calls (a merge costs ≤ V).
      if (
        mergeOn &&
        mergesDue > 0 &&
        lastAdmitted &&
        ledger.mergesAccepted < MAX_MERGES &&
        mergeSpent + V <= mergeCap
      ) {
        lastAdmitted = false
        const spentBefore = ledger.targetCalls
        const tried = await tryMerge(it)
        mergeSpent += ledger.targetCalls - spentBefore
        if (tried) {
          const last = nodes[nodes.length - 1] as GepaMultiNode
          if (last.outcome === 'admitted') {
            mergesDue--
            lastAdmitted = true
          }
          continue
        }
      }
      lastAdmitted = false
      const before = { ...ledger }
      const parentIndex =
        pool[selectParent(poolEntries(), config.selection, it.fork('parent'))]?.node ?? 0
      const parent = nodes[parentIndex] as GepaMultiNode
      const turn = nextComponent.get(parent.id) ?? 0
      nextComponent.set(parent.id, turn + 1)
      const component = names[turn % names.length] as string
      const {
        failing,
        unknown,
        pick: minibatch
      } = minibatchFor(parent, component, it.fork('minibatch'))
      if (failing.length === 0 && unknown.length === 0) {
        record(parent.id, null, 'solved-minibatch', before)
        continue
      }
      const parentResults = await scoreRows(parent, minibatch, 'parentMinibatch')
      const parentScores = scoresOf(parentResults)
      if (parentScores.every((s) => s >= 1)) {
        record(parent.id, null, 'solved-minibatch', before)
        continue
      }
      const records = minibatch.map((row, i) => {
        const result = parentResults[i] as ExampleResult
        const shown = toFailingExample(
          { example: row.example, result },
          partsFor(parent, row.task).user,
          row.task
        )
        return {
          task: row.task.name,
          input: shown.input,
          output: shown.output,
          feedback: exampleFeedback(row.example, result, row.task.config)
        }
      })
      const rules = rulesOf.get(component)
      const parentText = parent.components[component] ?? ''
      const own = taskOf.get(component)
      const maxChars = rules?.maxChars ?? 2000
      ledger.optimizerCalls++
      const sampleIndex = reflections.get(`${parent.id}:${component}`) ?? 0
      reflections.set(`${parent.id}:${component}`, sampleIndex + 1)
      const messages =
        own === undefined
          ? systemReflectionMessages({
              system: parentText,
              tasks: tasks.map((t) => t.name),
              records,
              maxChars
            })
          : userReflectionMessages({
              system: parent.components[SYSTEM_COMPONENT] ?? '',
              task: own.name,
              prompt: parentText,
              records,
              slots: rules?.rules.requiredSlots ?? [],
              maxChars
            })
      const reply = await input.optimizer.complete(
        { sampleIndex, messages },
        input.signal ? { signal: input.signal } : undefined
      )
      const child = blank(`g${nodes.length}`, parent.id, { ...parent.components })
      child.iteration = iteration
      child.component = component
      child.minibatch = minibatch.map((r) => r.key)
      child.feedback = records.map((r) => r.feedback)
      child.before = parentScores
      child.outcome = 'guard'
      nextComponent.set(child.id, turn + 1)
      const outcome = readReflection(
        reply.text,
        parentText,
        {
          requiredSlots: rules?.rules.requiredSlots ?? [],
          requiredMarkers: rules?.rules.requiredMarkers ?? [],
          repairFrom: parentText
        },
        maxChars,
        rules?.copies ?? copyIndex([])
      )
      if (!outcome.ok) {
        child.outcome = outcome.reason === 'missingTags' ? 'no-proposal' : 'guard'
        child.rejected = `${outcome.reason}: ${outcome.detail}`
        guard[outcome.reason] = (guard[outcome.reason] ?? 0) + 1
        nodes.push(child)
        record(parent.id, child.id, child.outcome, before)
        continue
      }
      child.prompt = outcome.prompt
      child.components[component] = outcome.prompt
      const duplicate = registry.claim(keyOf(child.components), child.id)
      nodes.push(child)
      if (duplicate) {
        child.rejected = `duplicates: same as ${duplicate.duplicateOf}`
        guard['duplicates'] = (guard['duplicates'] ?? 0) + 1
        record(parent.id, child.id, 'guard', before)
        continue
      }
      child.after = scoresOf(await scoreRows(child, minibatch, 'childMinibatch'))
      if (sum(child.after) <= sum(parentScores)) {
        child.outcome = 'gate'
        record(parent.id, child.id, 'gate', before)
        continue
      }
      if (c > 0) {
        const rest = (rules?.rows ?? []).filter((r) => !minibatch.includes(r))
        const fresh = it.fork('confirm').sample(rest, c)
        const p = scoresOf(await scoreRows(parent, fresh, 'confirmParent'))
        const q = scoresOf(await scoreRows(child, fresh, 'confirmChild'))
        child.confirm = { rows: fresh.map((r) => r.key), parent: p, child: q }
        if (sum(q) < sum(p)) {
          child.outcome = 'confirm'
          record(parent.id, child.id, 'confirm', before)
          continue
        }
      }
      await admit(child)
      lastAdmitted = true
      if (mergeOn && ledger.mergesAccepted + mergesDue < MAX_MERGES) mergesDue++
      record(parent.id, child.id, 'admitted', before)
    }
    if (stop.reason === 'completed' && iteration > maxIterations) {
      stop = {
        reason: 'completed',
        message: `${maxIterations} iterations (preset ${config.preset})`
      }
    }
  } catch (error) {
    const stopped = stopFromError(error, input.signal) ?? providerStop(error)
    if (stopped === undefined) throw error
    stop = stopped
  }

  const { front, best, candidates } = summarizePool({
    nodes,
    pool,
    rowKeys: dev.map((r) => r.key),
    bestNode: bestNode(),
    promptOf: (n) => n.components[SYSTEM_COMPONENT] ?? ''
  })
  const bestScores = best.devScores ?? []
  const details: GepaMultiDetails = {
    preset: config.preset,
    selection: config.selection,
    minibatch: b,
    confirm: c,
    devRows: dev.map((r) => r.key),
    devPassCap,
    maxCalls: config.maxCalls ?? null,
    maxPromptChars: Math.max(...names.map((n) => rulesOf.get(n)?.maxChars ?? 0)),
    ledger: { ...ledger },
    nodes,
    front,
    guard,
    tasks: tasks.map((t) => t.name),
    components: names,
    merge: { enabled: mergeOn, share: config.mergeShare, callCap: mergeCap }
  }
  const users = new Map(
    tasks.map((t) => [
      t.name,
      best.components[userComponent(t.name)] ?? input.start.users.get(t.name) ?? ''
    ])
  )
  return {
    best: { system: best.components[SYSTEM_COMPONENT] ?? input.start.system, users },
    bestId: best.id,
    bestDev:
      bestScores.length === 0
        ? null
        : bootstrapMeanInterval(bestScores, { level: 0.95, seed: input.seed }),
    candidates,
    rounds,
    stop,
    details
  }
}
