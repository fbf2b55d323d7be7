/**
 * How the simulated target reads an example: it strips what a trait adds (an injected note, the
 * text before an update, an opinion reported from someone else, sarcasm markers, a second issue,
 * the other side of a comparison), then reads the label cues that remain, with negation. That gives
 * the true label from the text alone. For each trait, `trapOf` gives the label a reader falls for
 * when nothing told it to mind the trait.
 */
import { hashString32 } from '../util/random.js'
import type { KindLexicon } from './lexicon.js'
import {
  COMPARATIVE,
  INJECTION,
  REPORTER,
  SARCASM_MARKER,
  TWO_ISSUES_CONNECTOR,
  UPDATE_MARKER
} from './detectors.js'
import type { TraitId } from './traits.js'

interface CueCounts {
  /** Label → cues read (a negated cue of a binary kind counts for the opposite label). */
  counts: Map<string, number>
  /** Label → cues that were negated (for multi-class kinds these are dropped from `counts`). */
  negated: Map<string, number>
}

const TOKEN = /[\p{L}\p{N}#'-]+|[.,!?;:()]/gu
const PUNCT = /^[.,!?;:()]$/

function isNegator(token: string): boolean {
  return (
    token === 'not' ||
    token === 'never' ||
    token === 'hardly' ||
    token === 'cannot' ||
    token.endsWith("n't")
  )
}

function tokens(text: string): string[] {
  return Array.from(text.toLowerCase().replace(/’/g, "'").matchAll(TOKEN), (m) => m[0])
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1)
}

/** Cue phrases and emoji of each label found in the text. */
function readCues(text: string, lex: KindLexicon): CueCounts {
  const toks = tokens(text)
  const negatedAt = new Set<number>()
  for (let i = 0; i < toks.length; i++) {
    if (!isNegator(toks[i] as string)) continue
    for (let j = i + 1, words = 0; j < toks.length && words < 3; j++) {
      if (PUNCT.test(toks[j] as string)) break
      negatedAt.add(j)
      words++
    }
  }
  const counts = new Map<string, number>()
  const negated = new Map<string, number>()
  for (const label of lex.labels) {
    for (const cue of lex.cues[label] ?? []) {
      const parts = cue.split(' ')
      for (let i = 0; i + parts.length <= toks.length; i++) {
        if (!parts.every((p, k) => toks[i + k] === p)) continue
        if (negatedAt.has(i)) {
          bump(negated, label)
          const flipped = lex.opposite?.[label]
          if (flipped !== undefined) bump(counts, flipped)
        } else {
          bump(counts, label)
        }
      }
    }
    for (const emoji of lex.emoji[label] ?? []) {
      const n = text.split(emoji).length - 1
      for (let k = 0; k < n; k++) bump(counts, label)
    }
  }
  return { counts, negated }
}

/** The label with strictly the most cues, or null when none or tied. */
export function decide(counts: Map<string, number>): string | null {
  let best: string | null = null
  let bestN = 0
  let tied = false
  for (const [label, n] of counts) {
    if (n > bestN) {
      best = label
      bestN = n
      tied = false
    } else if (n === bestN && n > 0) {
      tied = true
    }
  }
  return tied ? null : best
}

/** The text with every trait's additions removed, and what was removed per trait. */
function coreOf(text: string): { core: string; removed: Partial<Record<TraitId, string>> } {
  const removed: Partial<Record<TraitId, string>> = {}
  let core = text
  const injected: string[] = []
  core = core.replace(INJECTION, (m) => {
    injected.push(m)
    return ' '
  })
  if (injected.length > 0) removed.injection = injected.join(' ')
  UPDATE_MARKER.lastIndex = 0
  const parts = core.split(UPDATE_MARKER)
  if (parts.length > 1) {
    removed.update = parts.slice(0, -1).join(' ')
    core = parts[parts.length - 1] as string
  }
  const reported = new RegExp(`${REPORTER.source}([\\s\\S]*?),\\s*but\\s+`, 'i').exec(core)
  if (reported) {
    removed.reported = reported[1] ?? ''
    core = core.replace(reported[0], ' ')
  }
  core = core.replace(SARCASM_MARKER, ' ')
  const connector = TWO_ISSUES_CONNECTOR.exec(core)
  if (connector) {
    removed['two-issues'] = core.slice(connector.index + connector[0].length)
    core = core.slice(0, connector.index)
  }
  const comparison = new RegExp(`(?:${COMPARATIVE.source})[^.!?]*`, 'gi')
  const compared: string[] = []
  core = core.replace(comparison, (m) => {
    compared.push(m)
    // keep the comparative word itself: "better than X" still says "better"
    return m.split(/\s+/)[0] ?? ' '
  })
  if (compared.length > 0) removed.comparative = compared.join(' ')
  return { core, removed }
}

/** The true label of a text for a kind, or null when the text carries no clear cue. */
export function truthOf(text: string, lex: KindLexicon): string | null {
  return decide(readCues(coreOf(text).core, lex).counts)
}

/** The wrong label a reader gives when a trait of the text goes unheeded (never the truth). */
export function trapOf(trait: TraitId, text: string, truth: string, lex: KindLexicon): string {
  const guess = structuralTrap(trait, text, lex) ?? defaultTrap(trait, truth, lex)
  if (guess !== null && guess !== truth && lex.labels.includes(guess)) return guess
  const others = lex.labels.filter((l) => l !== truth)
  return others[hashString32(`${trait}:${text}`) % others.length] as string
}

function structuralTrap(trait: TraitId, text: string, lex: KindLexicon): string | null {
  const { removed } = coreOf(text)
  switch (trait) {
    case 'update':
    case 'reported':
    case 'two-issues': {
      const part = removed[trait]
      return part === undefined ? null : decide(readCues(part, lex).counts)
    }
    case 'injection': {
      const lower = (removed.injection ?? '').toLowerCase()
      return lex.labels.find((l) => new RegExp(`\\b${l}\\b`).test(lower)) ?? null
    }
    case 'negation':
      return lex.opposite ? null : decide(readCues(text, lex).negated)
    default:
      return null
  }
}

const MULTI_CLASS_TRAPS: Partial<Record<string, Partial<Record<TraitId, string>>>> = {
  triage: {
    sarcasm: 'other',
    hedging: 'other',
    rhetorical: 'other',
    caps: 'other',
    numeric: 'bug'
  },
  intent: { caps: 'cancel', numeric: 'track', hedging: 'track', rhetorical: 'track' }
}

function defaultTrap(trait: TraitId, truth: string, lex: KindLexicon): string | null {
  if (lex.opposite) return lex.opposite[truth] ?? null
  return MULTI_CLASS_TRAPS[lex.kind]?.[trait] ?? null
}
