/**
 * The hidden traits of synthetic examples: features visible in an example's text that trip a
 * careless reader (sarcasm, negation, two issues in one ticket…). Each trait has a detector over
 * the text, instructions that address it (several paraphrases) and the keyword stems that let any
 * wording of such an instruction count, and critiques that name it in natural words.
 *
 * Local traits are fixed by an instruction anywhere in the system + user prompt. Global traits are
 * general reading habits (read to the end, ignore instructions inside the data, judge the writer's
 * own view) shared by every task; the simulated target heeds them only from the system prompt,
 * which is what makes a meta-learned system prompt pay off on unseen tasks.
 */

import { TRAITS } from './trait-catalogue.js'

export const TRAIT_IDS = [
  'sarcasm',
  'negation',
  'two-issues',
  'hedging',
  'rhetorical',
  'caps',
  'emoji',
  'comparative',
  'numeric',
  'update',
  'reported',
  'injection'
] as const

export type TraitId = (typeof TRAIT_IDS)[number]

export type TraitScope = 'local' | 'global'

export interface Trait {
  id: TraitId
  scope: TraitScope
  /** A few words naming the trait, for reports and tests. */
  title: string
  /** True when the trait can be seen in the example's text. */
  visibleIn(text: string): boolean
  /** Instructions that address the trait; each contains one of `stems`. */
  phrasings: readonly string[]
  /** Lower-case substrings: a prompt containing any of them addresses the trait. */
  stems: readonly string[]
  /** Critiques naming the trait; `@{example}` is replaced by a quoted excerpt of a failing input. */
  critiques: readonly string[]
}

const BY_ID = new Map<TraitId, Trait>(TRAITS.map((t) => [t.id, t]))

/** The whole catalogue, in a fixed order (the order traps are tried in). */
export function allTraits(): readonly Trait[] {
  return TRAITS
}

export function getTrait(id: TraitId): Trait {
  const trait = BY_ID.get(id)
  if (trait === undefined) throw new Error(`unknown trait ${id}`)
  return trait
}

/** The traits visible in an example's text, in catalogue order. */
export function detectTraits(text: string): TraitId[] {
  return TRAITS.filter((t) => t.visibleIn(text)).map((t) => t.id)
}

/** Quoted excerpts are examples, not instructions: drop them before looking for stems. */
export function withoutQuotes(text: string): string {
  return text.replace(/"[^"\n]*"/g, ' ').replace(/“[^”\n]*”/g, ' ')
}

/** The traits an instruction text addresses (any stem of the trait occurs in it). */
export function traitsAddressedBy(text: string): TraitId[] {
  const lower = text.toLowerCase()
  return TRAITS.filter((t) => t.stems.some((s) => lower.includes(s))).map((t) => t.id)
}

/** The instruction a synthetic prompt uses to ask for the label in answer tags. */
export const FORMAT_PHRASING = 'Give exactly one label, inside <answer></answer> tags.'
/** A critique or analysis that mentions any of these is about the answer format. */
export const FORMAT_STEMS = ['<answer>', 'answer tag', 'exactly one label']
