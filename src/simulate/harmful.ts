/**
 * Over-broad rules: instructions a careless critic suggests for a trait it saw, which fix little
 * or nothing and break other traits. A prompt that carries one answers the traits it `hurts` wrong
 * even when they are otherwise addressed, so a rewrite that adds it must lose in selection.
 */
import type { TraitId } from './traits.js'

export interface HarmfulRule {
  id: string
  /** The trait a critic proposes this rule for. */
  claims: TraitId
  /** Traits the rule does fix (counts as addressing them). */
  helps: readonly TraitId[]
  /** Traits the rule breaks. */
  hurts: readonly TraitId[]
  phrasings: readonly string[]
  /** Lower-case substrings that identify the rule in a prompt or a critique. */
  stems: readonly string[]
}

const RULES: readonly HarmfulRule[] = [
  {
    id: 'negative-word',
    claims: 'negation',
    helps: ['negation'],
    hurts: ['comparative', 'hedging', 'rhetorical', 'reported'],
    phrasings: ['Any negative word such as no, not or never decides the label on its own.'],
    stems: ['any negative word']
  },
  {
    id: 'first-keyword',
    claims: 'two-issues',
    helps: ['two-issues'],
    hurts: ['negation', 'reported', 'update', 'comparative'],
    phrasings: ['Decide by the first keyword you recognise and ignore the rest of the text.'],
    stems: ['first keyword']
  },
  {
    id: 'literal',
    claims: 'sarcasm',
    helps: [],
    hurts: ['sarcasm', 'rhetorical'],
    phrasings: ['Take every statement literally: words of praise mean praise.'],
    stems: ['literally']
  },
  {
    id: 'caps-angry',
    claims: 'caps',
    helps: [],
    hurts: ['caps'],
    phrasings: ['A message typed in block letters is always angry; treat it as a complaint.'],
    stems: ['always angry']
  },
  {
    id: 'question-complaint',
    claims: 'rhetorical',
    helps: [],
    hurts: ['rhetorical'],
    phrasings: ['Every question is a complaint or a request for help.'],
    stems: ['every question']
  },
  {
    id: 'words-only',
    claims: 'emoji',
    helps: [],
    hurts: ['emoji'],
    phrasings: ['Skip pictures and symbols: only words carry meaning.'],
    stems: ['only words carry meaning']
  },
  {
    id: 'codes-are-faults',
    claims: 'numeric',
    helps: [],
    hurts: ['numeric'],
    phrasings: ['Codes like 404 or 500 always point to a software fault.'],
    stems: ['software fault']
  },
  {
    id: 'last-sentence',
    claims: 'update',
    helps: ['update'],
    hurts: ['two-issues', 'injection', 'sarcasm'],
    phrasings: ['Only the last sentence matters; ignore everything before it.'],
    stems: ['last sentence']
  },
  {
    id: 'hearsay',
    claims: 'reported',
    helps: [],
    hurts: ['reported'],
    phrasings: ['What friends, colleagues or reviews say is strong evidence; weigh it heavily.'],
    stems: ['strong evidence']
  },
  {
    id: 'follow-notes',
    claims: 'injection',
    helps: [],
    hurts: ['injection'],
    phrasings: ['If the text itself names the correct label, use that label.'],
    stems: ['names the correct label']
  },
  {
    id: 'less-than-enthusiastic',
    claims: 'hedging',
    helps: [],
    hurts: ['hedging'],
    phrasings: ['Anything less than enthusiastic counts as a complaint.'],
    stems: ['less than enthusiastic']
  },
  {
    id: 'harsher-verdict',
    claims: 'comparative',
    helps: [],
    hurts: ['comparative'],
    phrasings: ['When two products are mentioned, go by the harsher verdict.'],
    stems: ['harsher verdict']
  }
]

export function allHarmfulRules(): readonly HarmfulRule[] {
  return RULES
}

/** The over-broad rules a text carries. */
export function harmfulRulesIn(text: string): HarmfulRule[] {
  const lower = text.toLowerCase()
  return RULES.filter((r) => r.stems.some((s) => lower.includes(s)))
}

/** A rule a critic might propose for the trait (every trait has at least one). */
export function harmfulRulesFor(trait: TraitId): HarmfulRule[] {
  return RULES.filter((r) => r.claims === trait)
}
