/**
 * Every candidate of an APO run with its lineage and its dev scores, and the step that admits a
 * round's proposals: guard outcome → dedup → id → successor cap, in beam order then proposal order,
 * so the candidate list does not depend on which call returned first.
 *
 * Dev scores are kept per candidate along one seeded order of the dev split, the same order for
 * every candidate (paired comparisons). A candidate re-competing in a later round re-reads its known
 * prefix without calling the model and extends it only with examples it has not seen.
 */
import type { Example } from '../../config/project-types.js'
import type { ApoConfig } from '../../config/types.js'
import { mean } from '../../eval/stats.js'
import type { Random } from '../../util/random.js'
import { pairWith, type Expansion } from './expand.js'
import type { ApoDetails } from './types.js'
import { CandidateRegistry, emptyRejectCounts, type RejectCounts } from '../candidate-guard.js'
import type { PromptParts } from '../../config/prompt.js'
import type { CandidateRecord, ScoreFn } from '../types.js'

export class CandidatePool {
  readonly candidates: CandidateRecord[] = []
  private readonly byId = new Map<string, CandidateRecord>()
  private readonly devScores = new Map<string, number[]>()
  readonly registry = new CandidateRegistry()

  constructor(
    private readonly start: PromptParts,
    private readonly edit: 'user' | 'system',
    private readonly devOrder: readonly Example[],
    private readonly score: ScoreFn
  ) {}

  get devSize(): number {
    return this.devOrder.length
  }

  add(c: Omit<CandidateRecord, 'devScore' | 'devEvaluations'>): void {
    const record: CandidateRecord = { ...c, devScore: null, devEvaluations: 0 }
    this.candidates.push(record)
    this.byId.set(record.id, record)
    this.devScores.set(record.id, [])
  }

  get(id: string): CandidateRecord {
    const record = this.byId.get(id)
    if (record === undefined) throw new Error(`unknown candidate ${id}`)
    return record
  }

  pair(id: string): PromptParts {
    return pairWith(this.start, this.edit, this.get(id).prompt)
  }

  /** Dev scores known for `id`, in dev order. */
  scores(id: string): readonly number[] {
    return this.devScores.get(id) ?? []
  }

  devMean(id: string): number {
    return mean(this.scores(id))
  }

  /** Scores `id` on the dev order up to position `upTo` (exclusive), calling only for new ones. */
  async extendDev(
    id: string,
    upTo: number,
    signal: AbortSignal | undefined,
    counters: { targetCalls: number }
  ): Promise<void> {
    const known = this.devScores.get(id) as number[]
    if (known.length >= upTo) return
    const slice = this.devOrder.slice(known.length, upTo)
    counters.targetCalls += slice.length
    const results = await this.score(this.pair(id), slice, { signal })
    for (const r of results) known.push(r.score)
  }

  /** Copies what is known of each candidate's dev scores into its record. */
  syncRecords(): void {
    for (const c of this.candidates) {
      const scores = this.scores(c.id)
      c.devEvaluations = scores.length
      c.devScore = scores.length === 0 ? null : mean(scores)
    }
  }
}

/**
 * Admits a round's proposals into the pool; returns the ids that go on to selection and the
 * rejections by reason. A paraphrase of a rewrite that turned out to be a duplicate gets the earlier
 * prompt as its parent.
 */
export function admitProposals(args: {
  pool: CandidatePool
  expansions: readonly Expansion[]
  round: number
  config: ApoConfig
  random: Random
  details: ApoDetails
}): { fresh: string[]; rejected: RejectCounts } {
  const { pool, round, details } = args
  const rejected = emptyRejectCounts()
  const fresh: string[] = []
  let serial = 0
  for (const exp of args.expansions) {
    const { parentId } = exp
    details.expansions.push({
      round,
      parentId,
      minibatch: exp.minibatch,
      errors: exp.errors,
      critiqueMissing: exp.critiqueMissing
    })
    rejected.missingTags += exp.critiqueMissing
    const resolved: Array<string | null> = []
    const accepted: string[] = []
    for (const p of exp.proposals) {
      if (!p.outcome.ok) {
        rejected[p.outcome.reason]++
        resolved.push(null)
        continue
      }
      const id = `r${round}-${serial}`
      const dup = pool.registry.claim(p.outcome.prompt, id)
      if (dup !== undefined) {
        rejected.duplicates++
        resolved.push(dup.duplicateOf)
        continue
      }
      serial++
      pool.add({
        id,
        round,
        parentId: p.source === null ? parentId : (resolved[p.source] ?? parentId),
        origin: p.origin,
        critique: p.critique,
        prompt: p.outcome.prompt,
        kept: false
      })
      if (p.outcome.repairedSlots.length > 0) details.repaired.push(id)
      resolved.push(id)
      accepted.push(id)
    }
    let chosen = accepted
    if (accepted.length > args.config.successorsPerParent) {
      const picked = args.random
        .fork(`cap:round-${round}:${parentId}`)
        .sample(
          accepted.map((_, i) => i),
          args.config.successorsPerParent
        )
        .sort((a, b) => a - b)
      chosen = picked.map((i) => accepted[i] as string)
      details.cappedOut.push(...accepted.filter((id) => !chosen.includes(id)))
    }
    fresh.push(...chosen)
  }
  return { fresh, rejected }
}
