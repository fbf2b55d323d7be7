/**
 * The sentences synthetic examples are made of, per kind. Every sentence carries its label through
 * the cue phrases of ./lexicon.ts; a generated text is checked against the reader and the trait
 * detectors before it is used (./tasks.ts), so a sentence that reads wrong is never shipped.
 */
import type { TaskKind } from './lexicon.js'
import type { KindTemplates } from './templates.js'
import { sentiment, spam } from './templates-consumer.js'
import { intent, triage } from './templates-support.js'

const TEMPLATES: Record<TaskKind, KindTemplates> = { sentiment, triage, spam, intent }

export function templatesOf(kind: TaskKind): KindTemplates {
  return TEMPLATES[kind]
}
