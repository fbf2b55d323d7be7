/**
 * Critiques and analyses of the simulated optimizer. It looks at the failing examples' text with
 * the trait detectors, as a careful reader would, and names what it sees in natural words; at
 * seeded rates a critique is instead useless (vague) or harmful (proposes an over-broad rule).
 */
import type { Random } from '../util/random.js'
import { harmfulRulesFor, harmfulRulesIn, allHarmfulRules } from './harmful.js'
import type { HarmfulRule } from './harmful.js'
import { isJsonRequest, jsonFindings, renderJsonFinding } from './json-critique.js'
import type { JsonFinding } from './json-critique.js'
import type { OptimizerRequest } from './optimizer-request.js'
import { allTraits, detectTraits, getTrait, traitsAddressedBy } from './traits.js'
import type { TraitId } from './traits.js'

export interface CritiqueRates {
  /** Share of critiques that name a trait seen in the failures (default 0.6). */
  useful: number
  /** Share that say nothing actionable (default 0.25); the rest propose an over-broad rule. */
  useless: number
}

export const DEFAULT_CRITIQUE_RATES: CritiqueRates = { useful: 0.6, useless: 0.25 }

const USELESS = [
  'The prompt could be clearer.',
  'The prompt is a little short; more detail might help.',
  'The wording of the prompt is somewhat vague.',
  'The model should think more carefully about these examples.'
]

const FORMAT_CRITIQUE =
  'The replies do not put the label inside <answer></answer> tags, so no answer could be read. The prompt should ask for exactly one label inside <answer></answer> tags.'

type Finding =
  | { kind: 'trait'; trait: TraitId; weight: number; example: string }
  | { kind: 'remove'; rule: HarmfulRule; example: string }
  | { kind: 'format' }
  | JsonFinding

/** A short excerpt of an example for quoting, without double quotes. */
export function excerpt(text: string, max = 70): string {
  const flat = text.replace(/\s+/g, ' ').replace(/"/g, "'").trim()
  if (flat.length <= max) return flat
  const cut = flat.slice(0, max)
  return `${cut.slice(0, cut.lastIndexOf(' ') > 20 ? cut.lastIndexOf(' ') : max)}…`
}

/** What the failures show that the studied prompt does not already handle. */
function findings(request: OptimizerRequest, preferGlobal: boolean): Finding[] {
  const studied = [request.prompt, request.systemPrompt].filter((p) => p !== undefined).join('\n')
  // JSON extraction failures are read field by field (./json-critique.ts), not for label traits.
  if (isJsonRequest(request)) return jsonFindings(request, studied)
  const addressed = new Set(traitsAddressedBy(studied))
  const seen = new Map<TraitId, { count: number; example: string }>()
  for (const ex of request.examples) {
    for (const trait of detectTraits(ex.text)) {
      const entry = seen.get(trait) ?? { count: 0, example: ex.text }
      entry.count++
      seen.set(trait, entry)
    }
  }
  const out: Finding[] = []
  for (const rule of harmfulRulesIn(studied)) {
    const hit = rule.hurts.find((t) => seen.has(t))
    if (hit) out.push({ kind: 'remove', rule, example: seen.get(hit)?.example ?? '' })
  }
  for (const trait of allTraits()) {
    const entry = seen.get(trait.id)
    if (!entry || addressed.has(trait.id)) continue
    const boost = preferGlobal && trait.scope === 'global' ? 3 : 1
    out.push({
      kind: 'trait',
      trait: trait.id,
      weight: entry.count * boost,
      example: entry.example
    })
  }
  const formatMissing =
    !/<answer>/i.test(studied) &&
    request.examples.some((ex) => ex.output !== '' && !/<answer>/i.test(ex.output))
  if (formatMissing) out.push({ kind: 'format' })
  return out
}

/** Takes one finding: removals first, then traits drawn in proportion to how often they failed. */
function takeFinding(pool: Finding[], rng: Random): Finding | undefined {
  const removal = pool.findIndex((f) => f.kind === 'remove')
  const format = pool.findIndex((f) => f.kind === 'format')
  let index = removal >= 0 ? removal : -1
  if (index < 0) {
    const weight = (f: Finding): number => ('weight' in f ? f.weight : 1)
    const total = pool.reduce((sum, f) => sum + weight(f), 0)
    let u = rng.next() * total
    index = pool.findIndex((f) => (u -= weight(f)) < 0)
    if (index < 0) index = format
  }
  if (index < 0) return undefined
  return pool.splice(index, 1)[0]
}

function render(finding: Finding, rng: Random): string {
  switch (finding.kind) {
    case 'trait': {
      const templates = getTrait(finding.trait).critiques
      const template = templates[rng.int(templates.length)] as string
      return template.replace('@{example}', excerpt(finding.example))
    }
    case 'remove':
      return `The rule "${finding.rule.phrasings[0] ?? ''}" is too broad: it makes the model misread inputs such as "${excerpt(finding.example)}". Remove it.`
    case 'format':
      return FORMAT_CRITIQUE
    case 'json':
      return renderJsonFinding(finding, rng, excerpt)
  }
}

function harmful(request: OptimizerRequest, rng: Random): string {
  const seen = request.examples.flatMap((ex) => detectTraits(ex.text))
  const trait = seen.length > 0 ? seen[rng.int(seen.length)] : undefined
  const rules = trait ? harmfulRulesFor(trait) : [...allHarmfulRules()]
  const rule = rules[rng.int(rules.length)] as HarmfulRule
  const example = request.examples[0]?.text
  const where = example ? ` such as "${excerpt(example)}"` : ''
  return `The prompt needs one simple rule to settle cases${where}: ${rule.phrasings[0] ?? ''}`
}

/** `count` critiques (or analysis items), each useful, useless or harmful at the given rates. */
export function critiqueItems(
  request: OptimizerRequest,
  count: number,
  rng: Random,
  rates: CritiqueRates,
  preferGlobal = false
): string[] {
  const pool = findings(request, preferGlobal)
  const items: string[] = []
  for (let i = 0; i < count; i++) {
    const u = rng.next()
    const finding = u < rates.useful ? takeFinding(pool, rng) : undefined
    if (finding) {
      // a critic often sees more than one problem in a group of failures and says so
      const also =
        finding.kind !== 'remove' && finding.kind !== 'format' && rng.next() < 0.5
          ? takeFinding(
              pool.filter((f) => f.kind === finding.kind),
              rng
            )
          : undefined
      if (also) pool.splice(pool.indexOf(also), 1)
      items.push(also ? `${render(finding, rng)} ${render(also, rng)}` : render(finding, rng))
    } else if (u < rates.useful + rates.useless || request.examples.length === 0) {
      items.push(USELESS[rng.int(USELESS.length)] as string)
    } else items.push(harmful(request, rng))
  }
  return items
}

/** One analysis text naming what the failures share (a few items, numbered). */
export function analysisText(request: OptimizerRequest, rng: Random, rates: CritiqueRates): string {
  const preferGlobal = request.prompt === undefined && request.systemPrompt !== undefined
  const items = critiqueItems(request, 3, rng, rates, preferGlobal)
  const unique = items.filter((item, i) => items.indexOf(item) === i)
  const intro = preferGlobal
    ? 'Looking at the failures across the tasks:'
    : 'Looking at the failures of this prompt:'
  return [intro, ...unique.map((item, i) => `${i + 1}. ${item}`)].join('\n')
}
