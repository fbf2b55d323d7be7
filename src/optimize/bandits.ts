/**
 * Best-arm identification over candidate prompts, as in the textbooks (and unlike the reference code
 * of ProTeGi: running means that are real means, every arm pulled before it is ranked, exact budgets).
 *
 * Units. One *evaluation* is one (prompt, example) score, the textbook's single pull; the budget,
 * `pulls` and `spent` count evaluations. For efficiency a call to `pull` asks for a batch of
 * evaluations at once (UCB: `batch` of them); that is the same as that many textbook pulls made in a
 * row, so the UCB time index t and the counts N are in evaluations too.
 *
 * Streams. `pull(arm, count)` returns the scores of `count` NEW examples of that arm, drawn without
 * replacement from the arm's own stream; every arm's stream has the same example order, so arms are
 * compared on the same examples (paired). It may return fewer than asked when the stream runs out;
 * the arm is then exhausted and never pulled again, and only what came back is counted.
 *
 * Cache. The score function underneath is cached, so scoring an example a prompt already saw in an
 * earlier selection costs nothing; it is still counted here as an evaluation, as the textbook counts
 * it, so the budget means the same thing whether or not the cache is warm.
 *
 * Top-k. The caller keeps `keep` arms (APO's beam), not one. UCB1's index chases the single best
 * arm and spends little on the arms that decide which candidates make the cut, so `ucb` with
 * 1 < keep < arms samples as LUCB does (Kalyanakrishnan, Tewari, Auer & Stone, "PAC subset
 * selection in stochastic multi-armed bandits", ICML 2012): after the first pull of every arm,
 * each step pulls the member of the empirical top-k with the lowest lower bound and the outsider
 * with the highest upper bound, the two arms most likely to be on the wrong side of the cut. The
 * bounds are the UCB ones, mean ± c·sqrt(ln t / N). LUCB decides who is in the top-k but leaves
 * the members with few and unequal evaluations, while their order decides which prompt is the
 * best. So about the last `settle` share of the budget (default half; LUCB's last step may run a
 * pull or two into it) settles the beam: each step pulls the member of the current top-k with the
 * fewest evaluations, so the kept arms usually end with many, nearly equal evaluations on largely
 * the same examples (every stream has the same order), and the best is chosen on those. Members
 * with no examples left are skipped; when none has any, LUCB steps spend the rest. The budget is
 * spent to the end unless every arm runs out (fixed budget, no early stop). With keep = 1, or
 * keep ≥ arms (the set is then trivial and only the best arm is in question), `ucb` is UCB1 and
 * `settle` plays no part; `ucb-e` stays ProTeGi's best-arm UCB-E.
 */
import type { BanditName } from '../config/types.js'
import type { Random } from '../util/random.js'

export interface SelectBestInput {
  /** Number of candidates; arms are 0 … arms − 1 (put incumbents first: ties favour lower indices). */
  arms: number
  /** Scores of `count` new examples of `arm`, each in [0, 1]. */
  pull: (arm: number, count: number) => Promise<number[]>
  /** Evaluations the selection may spend in total (never exceeded). */
  budget: number
  /** How many of the best arms the caller keeps (the beam); `ucb` samples for this top-k. */
  keep: number
  algorithm: BanditName
  /** Exploration constant of UCB / UCB-E (the paper uses 2). */
  c: number
  /** Breaks ties between equal UCB indices. */
  random: Random
  /** Evaluations per UCB pull (the pull unit); default 4. */
  batch?: number
  /**
   * Share of the budget that `ucb` with a beam keeps to settle the beam (0 … 1, clamped; not a
   * finite number → the default, 0.5). UCB1 and UCB-E ignore it.
   */
  settle?: number
  /** UCB-E's exploration parameter a in c·sqrt(a / N); default c, as in ProTeGi's Algorithm 3. */
  ucbEA?: number
}

export interface SelectBestResult {
  /** Cumulative mean score per arm; −Infinity for an arm never pulled. */
  means: number[]
  /** Evaluations spent per arm. */
  pulls: number[]
  /** Evaluations spent in total (≤ budget). */
  spent: number
  /** All arms, best first; never-pulled arms last. */
  ranking: number[]
  /** The first `keep` arms of the ranking that were pulled at least once. */
  best: number[]
}

/** The bandit algorithms this module implements, for config validation and reports. */
export const BANDIT_NAMES: readonly BanditName[] = [
  'ucb',
  'ucb-e',
  'successive-rejects',
  'successive-halving',
  'uniform'
]

const DEFAULT_BATCH = 4
const DEFAULT_SETTLE = 0.5

class ArmStats {
  readonly sums: number[]
  readonly pulls: number[]
  readonly exhausted: boolean[]
  spent = 0

  constructor(
    readonly arms: number,
    readonly budget: number,
    private readonly pullFn: (arm: number, count: number) => Promise<number[]>
  ) {
    this.sums = new Array<number>(arms).fill(0)
    this.pulls = new Array<number>(arms).fill(0)
    this.exhausted = new Array<boolean>(arms).fill(false)
  }

  get remaining(): number {
    return this.budget - this.spent
  }

  mean(arm: number): number {
    const n = this.pulls[arm] ?? 0
    return n === 0 ? -Infinity : (this.sums[arm] ?? 0) / n
  }

  /** Pulls up to `count` evaluations of `arm`, never past the budget. */
  async pull(arm: number, count: number): Promise<void> {
    const n = Math.min(Math.floor(count), this.remaining)
    if (n <= 0 || this.exhausted[arm]) return
    const scores = await this.pullFn(arm, n)
    if (scores.length > n) {
      throw new Error(`bandit pull of arm ${arm} returned ${scores.length} scores for ${n} asked`)
    }
    for (const s of scores) {
      if (!Number.isFinite(s)) throw new Error(`bandit pull of arm ${arm} returned a score of ${s}`)
      this.sums[arm] = (this.sums[arm] ?? 0) + s
    }
    this.pulls[arm] = (this.pulls[arm] ?? 0) + scores.length
    this.spent += scores.length
    if (scores.length < n) this.exhausted[arm] = true
  }
}

/** `mean(b) - mean(a)` is NaN when both are −Infinity; treat that as a tie. */
function compareMeans(stats: ArmStats, a: number, b: number): number {
  const d = stats.mean(b) - stats.mean(a)
  return Number.isNaN(d) ? 0 : d
}

/**
 * Arms by cumulative mean, best first; an exact tie goes to the lower index, so a challenger must
 * beat an incumbent (listed first), not merely equal it.
 */
function rankByMean(stats: ArmStats, arms: readonly number[]): number[] {
  return [...arms].sort((a, b) => compareMeans(stats, a, b) || a - b)
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)

/** Budget below one evaluation per arm: pull arms in order, one evaluation each, while it lasts. */
async function tinyBudget(stats: ArmStats): Promise<number[]> {
  for (let arm = 0; arm < stats.arms && stats.remaining > 0; arm++) await stats.pull(arm, 1)
  return rankByMean(stats, range(stats.arms))
}

async function uniform(stats: ArmStats): Promise<number[]> {
  const each = Math.floor(stats.budget / stats.arms)
  for (let arm = 0; arm < stats.arms; arm++) await stats.pull(arm, each)
  return rankByMean(stats, range(stats.arms))
}

/** The arm of `candidates` with the highest `score`; exact ties are broken at random. */
function argmax(
  candidates: readonly number[],
  score: (arm: number) => number,
  random: Random
): number {
  let best = -Infinity
  let ties: number[] = []
  for (const arm of candidates) {
    const value = score(arm)
    if (value > best) {
      best = value
      ties = [arm]
    } else if (value === best) {
      ties.push(arm)
    }
  }
  return (ties.length === 1 ? ties[0] : ties[random.int(ties.length)]) as number
}

async function ucb(stats: ArmStats, input: SelectBestInput, batch: number): Promise<number[]> {
  const first = Math.min(batch, Math.floor(stats.budget / stats.arms))
  for (let arm = 0; arm < stats.arms; arm++) await stats.pull(arm, first)
  const a = input.ucbEA ?? input.c
  const keep = Math.floor(input.keep)
  const topK = input.algorithm === 'ucb' && keep > 1 && keep < stats.arms ? keep : 0
  const all = range(stats.arms)

  /** One step: UCB1 / UCB-E pull one arm, LUCB two; false when no arm has examples left. */
  const step = async (): Promise<boolean> => {
    const open = all.filter((arm) => !stats.exhausted[arm])
    if (open.length === 0) return false
    const t = Math.max(1, stats.spent)
    const bonus = (arm: number): number => {
      const n = stats.pulls[arm] ?? 0
      return input.algorithm === 'ucb-e'
        ? input.c * Math.sqrt(a / n)
        : input.c * Math.sqrt(Math.log(t) / n)
    }
    if (topK === 0) {
      await stats.pull(
        argmax(open, (arm) => stats.mean(arm) + bonus(arm), input.random),
        batch
      )
      return true
    }
    // LUCB: the weakest-looking member of the empirical top-k and the strongest-looking outsider.
    const ranked = rankByMean(stats, all)
    const inside = ranked.slice(0, topK).filter((arm) => !stats.exhausted[arm])
    const outside = ranked.slice(topK).filter((arm) => !stats.exhausted[arm])
    if (inside.length > 0) {
      await stats.pull(
        argmax(inside, (arm) => bonus(arm) - stats.mean(arm), input.random),
        batch
      )
    }
    if (outside.length > 0) {
      await stats.pull(
        argmax(outside, (arm) => stats.mean(arm) + bonus(arm), input.random),
        batch
      )
    }
    return true
  }

  const share =
    input.settle !== undefined && Number.isFinite(input.settle) ? input.settle : DEFAULT_SETTLE
  const settle = topK === 0 ? 0 : Math.floor(stats.budget * Math.min(1, Math.max(0, share)))
  while (stats.remaining > settle) {
    if (!(await step())) return rankByMean(stats, all)
  }
  // Settling: the beam member with the fewest evaluations, batch by batch, to the end of the
  // budget; once no member has examples left, LUCB steps spend the rest on the outsiders.
  while (topK > 0 && stats.remaining > 0) {
    const fewest = fewestInTopK(stats, all, topK)
    if (fewest !== undefined) await stats.pull(fewest, batch)
    else if (!(await step())) break
  }
  return rankByMean(stats, all)
}

/**
 * The member of the current empirical top-k with the fewest evaluations (ties: the higher-ranked),
 * among those with examples left; undefined when none has. Pulling it again and again brings the
 * kept arms level; an arm that drops out of the top-k stops being pulled, and the one that
 * replaces it is caught up.
 */
function fewestInTopK(stats: ArmStats, all: readonly number[], topK: number): number | undefined {
  const inside = rankByMean(stats, all)
    .slice(0, topK)
    .filter((arm) => !stats.exhausted[arm])
  if (inside.length === 0) return undefined
  return inside.reduce((a, b) => ((stats.pulls[b] ?? 0) < (stats.pulls[a] ?? 0) ? b : a))
}

/** log-bar(K) = 1/2 + Σ_{i=2..K} 1/i (Audibert & Bubeck 2010). */
export function logBar(k: number): number {
  let sum = 0.5
  for (let i = 2; i <= k; i++) sum += 1 / i
  return sum
}

/**
 * Successive-rejects phase lengths n_1 … n_{K−1}: cumulative evaluations per surviving arm after
 * phase k, n_k = ceil((n − K) / (logbar(K) · (K + 1 − k))), at least 1. With n ≥ K the total
 * Σ_{k<K} n_k + n_{K−1} never exceeds n (each n_k ≤ x_k + 1 and the x_k sum to n − K).
 */
export function successiveRejectsSchedule(arms: number, budget: number): number[] {
  const lb = logBar(arms)
  const out: number[] = []
  for (let k = 1; k < arms; k++) {
    out.push(Math.max(1, Math.ceil((budget - arms) / (lb * (arms + 1 - k)))))
  }
  return out
}

async function successiveRejects(stats: ArmStats): Promise<number[]> {
  const schedule = successiveRejectsSchedule(stats.arms, stats.budget)
  let alive = range(stats.arms)
  const rejected: number[] = []
  let previous = 0
  for (const nk of schedule) {
    for (const arm of alive) await stats.pull(arm, nk - previous)
    previous = nk
    // Reject the lowest cumulative mean; on a tie the higher index goes (incumbents come first).
    const worst = rankByMean(stats, alive).at(-1) as number
    alive = alive.filter((arm) => arm !== worst)
    rejected.push(worst)
  }
  return [...rankByMean(stats, alive), ...rejected.reverse()]
}

async function successiveHalving(stats: ArmStats): Promise<number[]> {
  const phases = Math.ceil(Math.log2(stats.arms))
  let alive = range(stats.arms)
  const dropped: number[][] = []
  for (let r = 0; r < phases && alive.length > 1; r++) {
    // Karnin et al.'s t_r = floor(T / (|S_r| ceil(log2 K))), computed on what is left so that
    // rounding leftovers (and the evaluations of exhausted arms) carry over to later phases.
    const each = Math.max(1, Math.floor(stats.remaining / (alive.length * (phases - r))))
    for (const arm of alive) await stats.pull(arm, each)
    const ranked = rankByMean(stats, alive)
    const keepCount = Math.ceil(alive.length / 2)
    alive = ranked.slice(0, keepCount)
    dropped.push(ranked.slice(keepCount))
  }
  return [...rankByMean(stats, alive), ...dropped.reverse().flat()]
}

/**
 * Spends at most `budget` evaluations to find the best of `arms` candidates and ranks them.
 * UCB / UCB-E: each arm gets one pull of min(batch, budget / arms) first, then the arm with the
 * highest index mean + c·sqrt(ln t / N) (UCB-E: mean + c·sqrt(a / N)) gets the next batch; UCB
 * with 1 < keep < arms pulls, per step, the top-k member with the lowest mean − c·sqrt(ln t / N)
 * and the outsider with the highest mean + c·sqrt(ln t / N) (LUCB), then spends the last `settle`
 * share of the budget on the top-k member with the fewest evaluations.
 * Successive rejects (Audibert & Bubeck): K − 1 phases, the lowest cumulative mean is rejected after
 * each. Successive halving (Karnin et al.): ceil(log2 K) phases, the bottom half is dropped after each.
 * Uniform: floor(budget / K) evaluations per arm.
 */
export async function selectBest(input: SelectBestInput): Promise<SelectBestResult> {
  const arms = Math.max(0, Math.floor(input.arms))
  const budget = Math.max(0, Math.floor(input.budget))
  const batch = Math.max(1, Math.floor(input.batch ?? DEFAULT_BATCH))
  const stats = new ArmStats(arms, budget, input.pull)
  let ranking: number[]
  if (arms === 0) ranking = []
  else if (budget < arms) ranking = await tinyBudget(stats)
  else if (arms === 1) {
    // Nothing to identify: one batch gives the caller an estimate.
    await stats.pull(0, batch)
    ranking = [0]
  } else {
    switch (input.algorithm) {
      case 'ucb':
      case 'ucb-e':
        ranking = await ucb(stats, input, batch)
        break
      case 'successive-rejects':
        ranking = await successiveRejects(stats)
        break
      case 'successive-halving':
        ranking = await successiveHalving(stats)
        break
      case 'uniform':
        ranking = await uniform(stats)
        break
    }
  }
  // Whatever the algorithm ranked, an arm never pulled cannot be ranked above one that was.
  const pulled = ranking.filter((arm) => (stats.pulls[arm] ?? 0) > 0)
  const unpulled = ranking.filter((arm) => (stats.pulls[arm] ?? 0) === 0)
  ranking = [...pulled, ...unpulled]
  return {
    means: range(arms).map((arm) => stats.mean(arm)),
    pulls: stats.pulls.slice(),
    spent: stats.spent,
    ranking,
    best: pulled.slice(0, Math.max(0, input.keep))
  }
}
