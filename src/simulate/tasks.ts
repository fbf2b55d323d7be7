/**
 * Synthetic tasks for the simulated provider: rows generated from templates so that each carries
 * zero to two traits, a weak starting prompt, and prompt variants. Every row is checked against
 * what the simulated target can read from its text alone (true label and visible traits), so the
 * dataset and the simulation can never disagree.
 */
import { createRandom } from '../util/random.js'
import type { Random } from '../util/random.js'
import { lexiconOf } from './lexicon.js'
import type { TaskKind } from './lexicon.js'
import { truthOf } from './reader.js'
import { WRAPPER_TRAITS, pick, plainSentence, wrapCore } from './templates.js'
import type { TemplateContext } from './templates.js'
import { templatesOf } from './templates-data.js'
import { detectTraits } from './traits.js'
import type { TraitId } from './traits.js'

export interface SyntheticTaskSpec {
  name: string
  kind: TaskKind
  size: number
  seed: number | string
  /** Traits the rows may carry; each must be supported by the kind (see `supportedTraits`). */
  traits: readonly TraitId[]
  /** Share of rows with no trait (default 0.3). */
  plainRate?: number
  /** Share of rows with two traits, a core one and a wrapper (default 0.2). */
  pairRate?: number
  /** Nouns for the product slot of the templates (default: the kind's). */
  products?: readonly string[]
  /** What a row is, in the prompt ("support ticket", "kitchen product review"). */
  subject?: string
}

export interface SyntheticRow {
  id: string
  text: string
  label: string
  /** Hidden: the traits visible in the text (what the simulation will check). Not written to disk. */
  traits: TraitId[]
}

export interface SyntheticTask {
  name: string
  kind: TaskKind
  rows: SyntheticRow[]
  choices: string[]
  /** A weak user prompt: the task and the labels, a `{{text}}` slot, and the <answer> tag request. */
  initialPrompt: string
  /** Other plausible user prompts for the same task (one does not ask for answer tags). */
  promptVariants: string[]
  description: string
}

const SUBJECTS: Record<TaskKind, string> = {
  sentiment: 'product review',
  triage: 'support ticket',
  spam: 'text message',
  intent: 'customer request'
}

/** The traits a kind's templates can produce. */
export function supportedTraits(kind: TaskKind): TraitId[] {
  return [...(Object.keys(templatesOf(kind).core) as TraitId[]), ...WRAPPER_TRAITS]
}

/** Generates a task; throws when a trait is not supported by the kind. */
export function makeSyntheticTask(spec: SyntheticTaskSpec): SyntheticTask {
  const supported = supportedTraits(spec.kind)
  const unsupported = spec.traits.filter((t) => !supported.includes(t))
  if (unsupported.length > 0) {
    throw new Error(
      `task ${spec.name}: ${spec.kind} tasks cannot carry ${unsupported.join(', ')} (supported: ${supported.join(', ')})`
    )
  }
  const rng = createRandom(`synthetic:${spec.name}:${String(spec.seed)}`)
  const templates = templatesOf(spec.kind)
  const ctx: TemplateContext = { rng, products: spec.products ?? templates.products }
  const seen = new Set<string>()
  const rows: SyntheticRow[] = []
  const width = String(spec.size).length < 3 ? 3 : String(spec.size).length
  for (let i = 0; i < spec.size; i++) {
    const row = generateRow(spec, ctx, seen)
    seen.add(row.text)
    rows.push({ id: `${spec.name}-${String(i + 1).padStart(width, '0')}`, ...row })
  }
  const choices = [...lexiconOf(spec.kind).labels]
  const subject = spec.subject ?? SUBJECTS[spec.kind]
  const prompts = promptsFor(spec.kind, subject, choices)
  return {
    name: spec.name,
    kind: spec.kind,
    rows,
    choices,
    initialPrompt: prompts[0] as string,
    promptVariants: prompts.slice(1),
    description: `${subject} ${spec.kind === 'sentiment' ? 'sentiment' : spec.kind} (synthetic, ${spec.size} rows)`
  }
}

function chooseTraits(spec: SyntheticTaskSpec, rng: Random): TraitId[] {
  const u = rng.next()
  if (spec.traits.length === 0 || u < (spec.plainRate ?? 0.3)) return []
  const cores = spec.traits.filter((t) => !WRAPPER_TRAITS.includes(t))
  const wrappers = spec.traits.filter((t) => WRAPPER_TRAITS.includes(t))
  const pair = u > 1 - (spec.pairRate ?? 0.2) && cores.length > 0 && wrappers.length > 0
  if (pair) return [pick(rng, cores), pick(rng, wrappers)]
  return [pick(rng, spec.traits)]
}

function allowedLabels(kind: TaskKind, traits: readonly TraitId[]): string[] {
  const templates = templatesOf(kind)
  let labels = [...lexiconOf(kind).labels]
  for (const trait of traits) {
    if (trait === 'caps') labels = labels.filter((l) => templates.capsLabels.includes(l))
    const core = templates.core[trait]
    if (core) labels = labels.filter((l) => core.labels.includes(l))
  }
  return labels
}

function generateRow(
  spec: SyntheticTaskSpec,
  ctx: TemplateContext,
  seen: ReadonlySet<string>
): Omit<SyntheticRow, 'id'> {
  const templates = templatesOf(spec.kind)
  const lex = lexiconOf(spec.kind)
  for (let attempt = 0; attempt < 200; attempt++) {
    const traits = chooseTraits(spec, ctx.rng)
    const labels = allowedLabels(spec.kind, traits)
    if (labels.length === 0) continue
    const label = pick(ctx.rng, labels)
    const coreTrait = traits.find((t) => !WRAPPER_TRAITS.includes(t))
    const wrapper = traits.find((t) => WRAPPER_TRAITS.includes(t))
    const core = coreTrait ? templates.core[coreTrait] : undefined
    // one product per message, so "the kettle" does not turn into "the blender" halfway through
    const rowCtx: TemplateContext = { rng: ctx.rng, products: [pick(ctx.rng, ctx.products)] }
    let text = core ? core.make(label, rowCtx) : plainSentence(templates, label, rowCtx)
    if (wrapper) text = wrapCore(wrapper, text, label, lex.labels, templates, rowCtx)
    if (coreTrait !== 'emoji' && ctx.rng.next() < 0.5) {
      const opener = ctx.rng.next() < 0.5
      const filler = pick(ctx.rng, opener ? templates.openers : templates.closers)
      const shown = wrapper === 'caps' ? filler.toUpperCase() : filler
      text = opener ? `${shown} ${text}` : `${text} ${shown}`
    }
    if (seen.has(text)) continue
    const visible = detectTraits(text)
    const wanted = [...traits].sort()
    if (visible.length !== wanted.length || ![...visible].sort().every((t, k) => t === wanted[k])) {
      continue
    }
    if (truthOf(text, lex) !== label) continue
    return { text, label, traits: visible }
  }
  throw new Error(
    `task ${spec.name}: could not generate ${spec.size} distinct rows; use fewer rows or more traits`
  )
}

function promptsFor(kind: TaskKind, subject: string, choices: readonly string[]): string[] {
  const list = choices.join(', ')
  const field = { sentiment: 'Review', triage: 'Ticket', spam: 'Message', intent: 'Request' }[kind]
  const slot = `${field}: {{text}}`
  const question = {
    sentiment: `What is the sentiment of this ${subject}?`,
    triage: `Which team should handle this ${subject}?`,
    spam: `Is this ${subject} spam?`,
    intent: `What does the customer want in this ${subject}?`
  }[kind]
  return [
    `Classify the ${subject} as one of: ${list}.\n\n${slot}\n\nPut your answer inside <answer></answer> tags.`,
    `${question} Choose one of: ${list}.\n\n${slot}\n\nReply with the label inside <answer></answer> tags.`,
    `Read the ${subject} and label it. Labels: ${list}.\n\n${slot}\n\nAnswer inside <answer></answer>.`,
    `${slot}\n\n${question} Answer with one of: ${list}.`
  ]
}
