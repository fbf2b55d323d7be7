/**
 * What the simulated target "knows" about each kind of synthetic task: its labels, and the cue
 * phrases and emoji that carry each label in text. The reader (./reader.ts) decodes an example's
 * true label from these cues alone, so the simulation works on text it has never seen before —
 * across processes and over HTTP — with no registry of rows.
 */

export type TaskKind = 'sentiment' | 'triage' | 'spam' | 'intent'

export const TASK_KINDS: readonly TaskKind[] = ['sentiment', 'triage', 'spam', 'intent']

export interface KindLexicon {
  kind: TaskKind
  labels: readonly string[]
  /** Label → lower-case cue phrases (whole words). */
  cues: Readonly<Record<string, readonly string[]>>
  /** Label → emoji that carry it. */
  emoji: Readonly<Record<string, readonly string[]>>
  /** Binary kinds: label → its opposite (a negated cue counts for the opposite). */
  opposite: Readonly<Record<string, string>> | undefined
}

const SENTIMENT: KindLexicon = {
  kind: 'sentiment',
  labels: ['positive', 'negative'],
  cues: {
    positive: [
      'love',
      'excellent',
      'superb',
      'works perfectly',
      'sturdy',
      'well made',
      'great value',
      'reliable',
      'fantastic',
      'better',
      'best',
      'fine',
      'does the job',
      'easier',
      'recommend',
      'happy',
      'okay',
      'wait so long',
      'worth every penny'
    ],
    negative: [
      'broke',
      'stopped working',
      'flimsy',
      'leaks',
      'fell apart',
      'fall apart',
      'waste of money',
      'disappointed',
      'worse',
      'terrible',
      'useless',
      'faulty',
      'bad',
      'awful'
    ]
  },
  emoji: { positive: ['😍', '👍', '🔥', '💯', '🥰'], negative: ['😡', '👎', '💩', '🤮', '😤'] },
  opposite: { positive: 'negative', negative: 'positive' }
}

const TRIAGE: KindLexicon = {
  kind: 'triage',
  labels: ['billing', 'bug', 'account', 'other'],
  cues: {
    billing: [
      'charged',
      'invoice',
      'refund',
      'payment',
      'billed',
      'credit card',
      'receipt',
      'subscription fee',
      'overcharged'
    ],
    bug: [
      'crash',
      'crashes',
      'error message',
      'freezes',
      'glitch',
      'blank screen',
      'export fails',
      'stuck loading',
      'broken'
    ],
    account: [
      'password',
      'log in',
      'locked out',
      'username',
      'two-factor',
      'email address',
      'delete my account',
      'profile'
    ],
    other: [
      'feature request',
      'suggestion',
      'partnership',
      'opening hours',
      'feedback',
      'dark mode',
      'job opening',
      'press inquiry'
    ]
  },
  emoji: {},
  opposite: undefined
}

const SPAM: KindLexicon = {
  kind: 'spam',
  labels: ['spam', 'ham'],
  cues: {
    spam: [
      'you have won',
      'claim your prize',
      'click here',
      'free gift',
      'limited offer',
      'act now',
      'winner',
      'cash bonus',
      'exclusive deal'
    ],
    ham: [
      'meeting',
      'lunch',
      'see you',
      'the report',
      'dinner',
      'call me',
      'the kids',
      'tomorrow',
      'birthday',
      'pick up'
    ]
  },
  emoji: { spam: ['💰', '🎁', '🤑', '💸'], ham: ['🎂', '😊', '🍕', '🌻'] },
  // "I can't make lunch" is still not spam: negation removes a cue here, it does not flip it
  opposite: undefined
}

const INTENT: KindLexicon = {
  kind: 'intent',
  labels: ['order', 'cancel', 'track', 'return'],
  cues: {
    order: ['place an order', 'buy', 'purchase', 'add to my cart', 'order another', 'order two'],
    cancel: ['cancel', 'call off', 'stop my order'],
    track: ['where is my package', 'tracking number', 'delivery status', 'has it shipped'],
    return: ['send it back', 'return label', 'exchange it', 'return the']
  },
  emoji: {},
  opposite: undefined
}

const LEXICONS: Record<TaskKind, KindLexicon> = {
  sentiment: SENTIMENT,
  triage: TRIAGE,
  spam: SPAM,
  intent: INTENT
}

export function lexiconOf(kind: TaskKind): KindLexicon {
  return LEXICONS[kind]
}

/** The kind whose label set is exactly `choices` (any case, any order), if one is. */
export function kindForChoices(choices: readonly string[]): TaskKind | undefined {
  const wanted = new Set(choices.map((c) => c.toLowerCase()))
  return TASK_KINDS.find((kind) => {
    const labels = LEXICONS[kind].labels
    return labels.length === wanted.size && labels.every((l) => wanted.has(l))
  })
}

/** Kinds whose every label is named as a whole word in the text. */
export function kindsNamedIn(text: string): TaskKind[] {
  const lower = text.toLowerCase()
  return TASK_KINDS.filter((kind) =>
    LEXICONS[kind].labels.every((l) => new RegExp(`\\b${l}\\b`).test(lower))
  )
}
