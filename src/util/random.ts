/**
 * A small seeded PRNG (mulberry32) so every sampling decision is reproducible from the run's seed.
 * Never use Math.random in the core.
 */
export interface Random {
  /** A float in [0, 1). */
  next(): number
  /** An integer in [0, n). */
  int(n: number): number
  /** A new array with the items in a random order (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[]
  /** k items drawn without replacement (all of them, shuffled, when k >= length). */
  sample<T>(items: readonly T[], k: number): T[]
  /** An independent generator derived from this one's seed and a label. */
  fork(label: string): Random
}

/** 32-bit FNV-1a hash of a string, used to turn labels and seeds into generator states. */
export function hashString32(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

export function createRandom(seed: number | string): Random {
  const base = typeof seed === 'number' ? seed >>> 0 : hashString32(seed)
  let state = base
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number): number => Math.floor(next() * n)
  const shuffle = <T>(items: readonly T[]): T[] => {
    const out = items.slice()
    for (let i = out.length - 1; i > 0; i--) {
      const j = int(i + 1)
      const tmp = out[i] as T
      out[i] = out[j] as T
      out[j] = tmp
    }
    return out
  }
  return {
    next,
    int,
    shuffle,
    sample: <T>(items: readonly T[], k: number): T[] => shuffle(items).slice(0, Math.max(0, k)),
    fork: (label: string): Random => createRandom(hashString32(`${base}:${label}`))
  }
}
