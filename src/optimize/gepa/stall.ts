/**
 * GEPA's stall stop: a search whose proposals keep admitting nothing has stopped paying off.
 *
 * Late in a run most proposals repeat a prompt already in the pool or one the minibatch gate
 * already turned away; each costs one reflection and no target call, so the iteration allowance
 * alone let a run with a large `optimize.gepa.max_calls` pay hundreds of reflections for nothing.
 * The loop stops once GEPA_STALL_PROPOSALS proposals in a row (reflections asked for) admitted no
 * candidate. Iterations whose minibatch the parent solved ask for no reflection and neither count
 * nor reset the run; an admission resets it. The multi-component loop allows the limit per
 * component (its proposals rotate over them; measured with `npm run bench:gepa-multi`, seeds 1-20,
 * a single 54 changed one seed's seen score by −14 pts, the per-component limit changed none), and
 * a merge counts as a proposal there (it admits or not like one, though it asks for no reflection).
 */
import { GEPA_ITERATIONS_PER_PASS } from './presets.js'
import type { GepaOutcome } from './types.js'

/**
 * Nine dev passes' worth of iterations (54). Why, measured with `npm run bench:gepa` (100 seeds,
 * paired with the run before the stop): the gap before an admission has median 1 and 90th
 * percentile 12 proposals, but a tenth of the gaps were longer, up to 288. Stopping after 18 or 36
 * kept the Pareto runs' test scores and cut reflections most (586 → 49 or 76 at APO's calls), but
 * cost best-only selection −0.53 [−1.69, +0.09] or −0.16 [−0.53, 0.00] pts; after 54 no setting
 * moved by more than −0.02 pts while reflections still fell from 586 to 101 (README, GEPA).
 */
export const GEPA_STALL_PROPOSALS = 9 * GEPA_ITERATIONS_PER_PASS

/** Counts the proposals in a row that admitted nothing, by why. */
export class StallWatch {
  private duplicates = 0
  private gated = 0
  private other = 0

  constructor(private readonly limit: number = GEPA_STALL_PROPOSALS) {}

  /** Notes an iteration's outcome; `duplicate` when the guard turned it away as a repeat. */
  note(outcome: GepaOutcome, duplicate: boolean): void {
    switch (outcome) {
      case 'solved-minibatch':
        return
      case 'admitted':
        this.reset()
        return
      case 'gate':
        this.gated++
        return
      case 'guard':
        if (duplicate) this.duplicates++
        else this.other++
        return
      case 'no-proposal':
      case 'confirm':
        this.other++
        return
    }
  }

  /** A merge admitted a candidate: the search moved. */
  reset(): void {
    this.duplicates = 0
    this.gated = 0
    this.other = 0
  }

  get count(): number {
    return this.duplicates + this.gated + this.other
  }

  get stalled(): boolean {
    return this.count >= this.limit
  }

  /** The stop message: how many proposals in a row admitted nothing, and why. */
  message(): string {
    return `the search stalled: ${this.count} proposals in a row admitted no candidate (${this.duplicates} duplicates, ${this.gated} turned away by the minibatch gate, ${this.other} by the guard or the confirmation rows)`
  }
}
