/**
 * A domain family: related synthetic tasks (product reviews of seven domains) that share the global
 * traits — reading to the end, ignoring instructions inside the data, judging the writer's own view
 * — and differ in their local ones. Four tasks meta-train a system prompt; three are held out as
 * the unseen tasks it must transfer to. The layout follows the Amazon review domain of MetaSPO.
 */
import { createRandom } from '../util/random.js'
import { makeSyntheticTask } from './tasks.js'
import type { SyntheticTask } from './tasks.js'
import type { TraitId } from './traits.js'

export interface DomainFamilySpec {
  seed: number | string
  /** Rows per task (default 80). */
  size?: number
  /** Share of rows with no trait (default 0.25). */
  plainRate?: number
}

export interface DomainFamily {
  name: string
  /** Meta-training tasks. */
  train: SyntheticTask[]
  /** Unseen tasks, held out of meta-training. */
  holdout: SyntheticTask[]
  /** Traits every task of the family carries, whose fix belongs in the system prompt. */
  globalTraits: TraitId[]
  /** The weak default system prompt. */
  systemPrompt: string
}

const DOMAINS: ReadonlyArray<{ name: string; products: string[]; holdout: boolean }> = [
  { name: 'beauty', products: ['face cream', 'shampoo', 'lipstick', 'hair dryer'], holdout: false },
  {
    name: 'games',
    products: ['controller', 'headset', 'board game', 'gaming mouse'],
    holdout: false
  },
  {
    name: 'baby',
    products: ['stroller', 'baby monitor', 'high chair', 'car seat'],
    holdout: false
  },
  {
    name: 'office',
    products: ['desk lamp', 'office chair', 'stapler', 'notebook'],
    holdout: false
  },
  { name: 'electronics', products: ['charger', 'tablet', 'speaker', 'keyboard'], holdout: true },
  { name: 'pets', products: ['dog bed', 'cat toy', 'leash', 'litter box'], holdout: true },
  {
    name: 'sports',
    products: ['yoga mat', 'football', 'water bottle', 'tennis racket'],
    holdout: true
  }
]

const LOCAL_POOL: readonly TraitId[] = [
  'sarcasm',
  'negation',
  'hedging',
  'rhetorical',
  'caps',
  'emoji',
  'comparative'
]

export const FAMILY_GLOBAL_TRAITS: readonly TraitId[] = ['update', 'reported', 'injection']

export const DEFAULT_SYSTEM_PROMPT = 'You are a helpful assistant.'

/** Seven review-sentiment tasks: 4 meta-train (beauty, games, baby, office) + 3 unseen. */
export function makeDomainFamily(spec: DomainFamilySpec): DomainFamily {
  const rng = createRandom(`family:${String(spec.seed)}`)
  const tasks = DOMAINS.map((domain) => {
    const local = rng.sample(LOCAL_POOL, 3)
    const task = makeSyntheticTask({
      name: `reviews-${domain.name}`,
      kind: 'sentiment',
      size: spec.size ?? 80,
      seed: spec.seed,
      traits: [...local, ...FAMILY_GLOBAL_TRAITS],
      plainRate: spec.plainRate ?? 0.25,
      pairRate: 0.25,
      products: domain.products,
      subject: `${domain.name} product review`
    })
    return { task, holdout: domain.holdout }
  })
  return {
    name: 'reviews',
    train: tasks.filter((t) => !t.holdout).map((t) => t.task),
    holdout: tasks.filter((t) => t.holdout).map((t) => t.task),
    globalTraits: [...FAMILY_GLOBAL_TRAITS],
    systemPrompt: DEFAULT_SYSTEM_PROMPT
  }
}
