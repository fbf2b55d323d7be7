/**
 * GEPA (Agrawal et al., 2025): reflective prompt evolution with a per-example Pareto pool. Each
 * iteration draws a parent from the pool (./pareto.ts), scores it on a train minibatch, shows the
 * optimizer model those rows with per-example feedback (./feedback.ts) and asks for a new prompt
 * (./reflect.ts); the child is kept only if it beats the parent on that minibatch, does not lose on
 * fresh train rows, and is then scored on every Pareto dev row.
 *
 * Where the reference falls short (../shared/research/gepa.md §6), this does better:
 * - the budget is exact: an iteration starts only when the cap covers its worst case
 *   (2·minibatch + 2·confirm + dev rows target calls and one optimizer call), so no cap overshoots;
 * - every (candidate, row) score is kept, so a parent is never re-scored on a row (free, counted as
 *   memo hits);
 * - minibatches are drawn first from rows the parent is known to fail, then from rows it was never
 *   scored on; a minibatch it solves costs only the rows not yet known and proposes nothing;
 * - a confirmation on fresh train rows comes before paying for a dev pass;
 * - selection ignores dev rows nobody or everybody solves and keeps a floor for the best mean.
 *
 * Every sampling decision draws from createRandom(seed).fork(label): same seed, same tree.
 */
import { templateSlots } from '../../config/template.js'
import type { Example } from '../../config/project-types.js'
import { InputError } from '../../errors.js'
import { bootstrapMeanInterval } from '../../eval/stats.js'
import type { ExampleResult } from '../../eval/types.js'
import { throwIfAborted } from '../../llm/abort.js'
import { createRandom } from '../../util/random.js'
import { pairWith } from '../apo/expand.js'
import { CandidateRegistry, outputMarkers } from '../candidate-guard.js'
import { conversationContext } from '../conversation.js'
import { toFailingExample } from '../failing-examples.js'
import { providerStop, stopFromError } from '../stop.js'
import type { RoundRecord } from '../types.js'
import { exampleFeedback } from './feedback.js'
import {
  devPassCap as devPassCapOf,
  GEPA_ITERATIONS_PER_PASS,
  iterationWorstCase
} from './presets.js'
import { iterationRound, summarizePool } from './run-records.js'
import { bestByMean, meanOf, selectParent } from './pareto.js'
import { StallWatch } from './stall.js'
import { copyIndex, readReflection, reflectionMessages } from './reflect.js'
import type {
  GepaDetails,
  GepaInput,
  GepaIteration,
  GepaLedger,
  GepaNode,
  GepaOutcome,
  GepaResult
} from './types.js'

export type * from './types.js'

export function emptyLedger(): GepaLedger {
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
    devCalls: 0
  }
}

type Bucket =
  'seedDev' | 'parentMinibatch' | 'childMinibatch' | 'confirmParent' | 'confirmChild' | 'devCalls'

export async function runGepa(input: GepaInput): Promise<GepaResult> {
  const { task, config, edit } = input
  const train = task.examples.filter((e) => e.split === 'train')
  const devAll = task.examples.filter((e) => e.split === 'dev')
  if (train.length === 0 || devAll.length === 0) {
    throw new InputError(
      `task "${task.name}": GEPA needs train and dev examples, found ${train.length} train and ${devAll.length} dev; adjust the split`,
      { file: task.config.data }
    )
  }
  const random = createRandom(input.seed).fork(`gepa:${task.name}`)
  const dev = random
    .fork('dev-rows')
    .sample(devAll, Math.min(config.devRows, devAll.length))
    .sort((a, b) => devAll.indexOf(a) - devAll.indexOf(b))
  const b = Math.min(config.minibatch, train.length)
  const c = Math.min(config.confirm, Math.max(0, train.length - b))
  const startText = edit === 'user' ? input.start.user : (input.start.system ?? '')
  const maxChars = config.maxPromptChars ?? Math.max(2000, 3 * startText.length)
  const devPassCap = devPassCapOf(config.preset, config.maxCalls, dev.length)
  const maxIterations = devPassCap * GEPA_ITERATIONS_PER_PASS
  const ledger = emptyLedger()
  const rules = {
    requiredSlots: templateSlots(startText),
    requiredMarkers: outputMarkers(startText, task.config.extract),
    repairFrom: undefined as string | undefined
  }
  const copies = copyIndex(train)
  const conversation = conversationContext(task.prompt, edit)
  const registry = new CandidateRegistry()
  const guard: Record<string, number> = {}
  const nodes: GepaNode[] = []
  const rounds: RoundRecord[] = []
  /** Admitted candidates (node indices) and their dev scores, in admission order. */
  const pool: Array<{ node: number; scores: number[] }> = []
  const memo = new Map<string, Map<string, ExampleResult>>()
  /** Reflections asked of each parent so far (the next one's sample index). */
  const reflections = new Map<string, number>()

  /** Scores `text` on rows, re-using what the memo knows; counts new calls into `bucket`. */
  const scoreRows = async (
    id: string,
    text: string,
    rows: readonly Example[],
    bucket: Bucket
  ): Promise<ExampleResult[]> => {
    const known = memo.get(id) ?? new Map<string, ExampleResult>()
    memo.set(id, known)
    const missing = rows.filter((r) => !known.has(r.id))
    ledger.memoHits += rows.length - missing.length
    if (missing.length > 0) {
      ledger.targetCalls += missing.length
      ledger[bucket] += missing.length
      const results = await input.score(pairWith(input.start, edit, text), missing, {
        ...(input.signal ? { signal: input.signal } : {})
      })
      missing.forEach((row, i) => {
        const result = results[i]
        if (result) known.set(row.id, result)
      })
    }
    return rows.map((r) => known.get(r.id) as ExampleResult)
  }
  const scoresOf = (results: readonly ExampleResult[]): number[] => results.map((r) => r.score)

  const poolEntries = () => pool.map((p, index) => ({ index, scores: p.scores }))
  const bestNode = (): number => pool[bestByMean(poolEntries())]?.node ?? 0

  const seed: GepaNode = {
    id: 'g0',
    parentId: null,
    iteration: 0,
    prompt: startText,
    minibatch: [],
    feedback: [],
    before: [],
    after: [],
    confirm: null,
    outcome: 'seed',
    rejected: null,
    devScores: null,
    devMean: null,
    wins: []
  }
  nodes.push(seed)
  registry.claim(startText, seed.id)

  let stop: GepaResult['stop'] = {
    reason: 'completed',
    message: `${devPassCap} dev passes (preset ${config.preset})`
  }
  let iteration = 0
  const stall = new StallWatch()
  const worst = iterationWorstCase(b, c, dev.length)
  const overCap = (calls: number): boolean =>
    config.maxCalls !== undefined && ledger.targetCalls + calls > config.maxCalls

  const record = (
    parentId: string,
    childId: string | null,
    outcome: GepaOutcome,
    before: GepaLedger
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

  try {
    throwIfAborted(input.signal)
    if (overCap(dev.length)) {
      throw new InputError(
        `${config.maxCalls} is below one dev pass (${dev.length} rows); raise it or lower optimize.gepa.dev_rows`,
        { location: 'optimize.gepa.max_calls' }
      )
    }
    const seedScores = scoresOf(await scoreRows(seed.id, startText, dev, 'seedDev'))
    seed.devScores = seedScores
    seed.devMean = meanOf(seedScores)
    pool.push({ node: 0, scores: seedScores })

    for (iteration = 1; iteration <= maxIterations; iteration++) {
      if (ledger.devPasses >= devPassCap) break
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
      const before = { ...ledger }
      const it = random.fork(`iteration-${iteration}`)
      const parentIndex =
        pool[selectParent(poolEntries(), config.selection, it.fork('parent'))]?.node ?? 0
      const parent = nodes[parentIndex] as GepaNode
      const known = memo.get(parent.id) ?? new Map<string, ExampleResult>()
      const failing = train.filter((r) => (known.get(r.id)?.score ?? 1) < 1)
      const unknown = train.filter((r) => !known.has(r.id))
      if (failing.length === 0 && unknown.length === 0) {
        stop = { reason: 'completed', message: 'the parent drawn solves every train row' }
        break
      }
      const order = it.fork('minibatch')
      const minibatch = [...order.shuffle(failing), ...order.shuffle(unknown)].slice(0, b)
      const parentResults = await scoreRows(parent.id, parent.prompt, minibatch, 'parentMinibatch')
      const parentScores = scoresOf(parentResults)
      if (parentScores.every((s) => s >= 1)) {
        record(parent.id, null, 'solved-minibatch', before)
        continue
      }
      const records = minibatch.map((row, i) => {
        const result = parentResults[i] as ExampleResult
        const shown = toFailingExample(
          { example: row, result },
          pairWith(input.start, edit, parent.prompt).user,
          task
        )
        return {
          input: shown.input,
          output: shown.output,
          feedback: exampleFeedback(row, result, task.config)
        }
      })
      ledger.optimizerCalls++
      // A parent reflected on again asks for another sample, not the cached or repeated answer.
      const sampleIndex = reflections.get(parent.id) ?? 0
      reflections.set(parent.id, sampleIndex + 1)
      const reply = await input.optimizer.complete(
        {
          sampleIndex,
          messages: reflectionMessages({
            prompt: parent.prompt,
            kind: edit,
            conversation,
            records,
            slots: rules.requiredSlots,
            maxChars
          })
        },
        input.signal ? { signal: input.signal } : undefined
      )
      const child: GepaNode = {
        id: `g${nodes.length}`,
        parentId: parent.id,
        iteration,
        prompt: '',
        minibatch: minibatch.map((r) => r.id),
        feedback: records.map((r) => r.feedback),
        before: parentScores,
        after: [],
        confirm: null,
        outcome: 'guard',
        rejected: null,
        devScores: null,
        devMean: null,
        wins: []
      }
      const outcome = readReflection(
        reply.text,
        parent.prompt,
        { ...rules, repairFrom: parent.prompt },
        maxChars,
        copies
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
      const duplicate = registry.claim(outcome.prompt, child.id)
      if (duplicate) {
        child.rejected = `duplicates: same as ${duplicate.duplicateOf}`
        guard['duplicates'] = (guard['duplicates'] ?? 0) + 1
        nodes.push(child)
        record(parent.id, child.id, 'guard', before)
        continue
      }
      nodes.push(child)
      child.after = scoresOf(await scoreRows(child.id, child.prompt, minibatch, 'childMinibatch'))
      const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0)
      if (sum(child.after) <= sum(parentScores)) {
        child.outcome = 'gate'
        record(parent.id, child.id, 'gate', before)
        continue
      }
      if (c > 0) {
        const rest = train.filter((r) => !minibatch.includes(r))
        const fresh = it.fork('confirm').sample(rest, c)
        const p = scoresOf(await scoreRows(parent.id, parent.prompt, fresh, 'confirmParent'))
        const q = scoresOf(await scoreRows(child.id, child.prompt, fresh, 'confirmChild'))
        child.confirm = { rows: fresh.map((r) => r.id), parent: p, child: q }
        if (sum(q) < sum(p)) {
          child.outcome = 'confirm'
          record(parent.id, child.id, 'confirm', before)
          continue
        }
      }
      const devScores = scoresOf(await scoreRows(child.id, child.prompt, dev, 'devCalls'))
      ledger.devPasses++
      child.devScores = devScores
      child.devMean = meanOf(devScores)
      child.outcome = 'admitted'
      pool.push({ node: nodes.length - 1, scores: devScores })
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
    rowKeys: dev.map((r) => r.id),
    bestNode: bestNode(),
    promptOf: (n) => n.prompt
  })
  const bestScores = best.devScores ?? []
  const details: GepaDetails = {
    preset: config.preset,
    selection: config.selection,
    minibatch: b,
    confirm: c,
    devRows: dev.map((r) => r.id),
    devPassCap,
    maxCalls: config.maxCalls ?? null,
    maxPromptChars: maxChars,
    ledger: { ...ledger },
    nodes,
    front,
    guard
  }
  return {
    best: pairWith(input.start, edit, best.prompt),
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
