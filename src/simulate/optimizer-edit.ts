/**
 * Edits of the simulated optimizer: a rewrite adds an instruction for each trait a critique names
 * (one of the trait's phrasings; a label trait or a JSON field trait), adds or removes an over-broad rule, or asks for the answer tags;
 * a paraphrase rewords sentences without changing which instructions they carry (and rarely drops
 * one). Everything else in the prompt — the task, the `{{slots}}`, the format line — is kept.
 */
import type { Random } from '../util/random.js'
import { slotNames } from './contract.js'
import { harmfulRulesIn } from './harmful.js'
import { getJsonTrait, jsonTraitsAddressedBy } from './json-traits.js'
import {
  FORMAT_PHRASING,
  FORMAT_STEMS,
  getTrait,
  traitsAddressedBy,
  withoutQuotes
} from './traits.js'

const VAGUE = [
  'Read the input carefully before answering.',
  'Be precise.',
  'Think about the task before you answer.'
]

const REMOVAL = /\b(?:remove|delete|drop|too broad)\b/i

/** Sentences of a prompt (line pieces ending in . ! ?), with their line index. */
function sentencesOf(line: string): string[] {
  return line.match(/[^.!?]+[.!?]+(?:\s+|$)|[^.!?]+$/g) ?? [line]
}

/** Adds instruction lines just before the paragraph holding the first `{{slot}}` (or at the end). */
export function insertInstructions(prompt: string, lines: readonly string[]): string {
  if (lines.length === 0) return prompt
  const block = lines.join('\n')
  const paragraphs = prompt.split(/\n\s*\n/)
  const slotAt = paragraphs.findIndex((p) => /\{\{/.test(p))
  if (slotAt < 0) return `${prompt.replace(/\s+$/, '')}\n${block}`
  if (slotAt === 0) paragraphs.splice(1, 0, block)
  else paragraphs[slotAt - 1] = `${paragraphs[slotAt - 1] as string}\n${block}`
  return paragraphs.join('\n\n')
}

/** Removes every sentence that carries one of the stems. */
function removeSentences(prompt: string, stems: readonly string[]): string {
  return prompt
    .split('\n')
    .map((line) =>
      sentencesOf(line)
        .filter((s) => !stems.some((stem) => s.toLowerCase().includes(stem)))
        .join('')
        .trimEnd()
    )
    .filter((line, i, all) => line !== '' || all[i - 1] !== '')
    .join('\n')
}

/** The prompt edited to answer the critiques/analyses in `notes`. */
export function applyCritique(prompt: string, notes: string, rng: Random): string {
  const plain = withoutQuotes(notes)
  const present = new Set(traitsAddressedBy(prompt))
  const add: string[] = []
  let edited = prompt
  const rules = harmfulRulesIn(notes)
  if (rules.length > 0 && REMOVAL.test(plain)) {
    edited = removeSentences(
      edited,
      rules.flatMap((r) => r.stems)
    )
  } else {
    for (const rule of rules) {
      if (harmfulRulesIn(edited).includes(rule)) continue
      add.push(rule.phrasings[rng.int(rule.phrasings.length)] as string)
    }
  }
  for (const id of traitsAddressedBy(plain).slice(0, 3)) {
    if (present.has(id)) continue
    const phrasings = getTrait(id).phrasings
    add.push(phrasings[rng.int(phrasings.length)] as string)
    // a rewriter does not leave a rule standing that contradicts the instruction it adds
    const conflicting = harmfulRulesIn(edited).filter((r) => r.hurts.includes(id))
    if (conflicting.length > 0)
      edited = removeSentences(
        edited,
        conflicting.flatMap((r) => r.stems)
      )
  }
  const presentJson = new Set(jsonTraitsAddressedBy(prompt))
  for (const id of jsonTraitsAddressedBy(plain).slice(0, 3)) {
    if (presentJson.has(id)) continue
    const phrasings = getJsonTrait(id).phrasings
    add.push(phrasings[rng.int(phrasings.length)] as string)
  }
  const lowerNotes = notes.toLowerCase()
  if (FORMAT_STEMS.some((s) => lowerNotes.includes(s)) && !/<answer>/i.test(edited)) {
    add.push(FORMAT_PHRASING)
  }
  if (add.length === 0 && edited === prompt) {
    const vague = VAGUE.filter((v) => !prompt.includes(v))
    if (vague.length > 0) add.push(vague[rng.int(vague.length)] as string)
  }
  return insertInstructions(edited, add)
}

/** A seeded way a rewrite can come back broken, so the optimizer's guards get exercised. */
export type Malformation = 'unclosed' | 'lost-slot' | 'lost-format'

export function malform(prompt: string, how: Malformation): string {
  if (how === 'lost-slot') {
    const slot = slotNames(prompt)[0]
    if (slot !== undefined)
      return prompt.replace(new RegExp(`\\{\\{\\s*${slot}\\s*\\}\\}`), `the ${slot}`)
  }
  if (how === 'lost-format') {
    return prompt
      .split('\n')
      .filter((line) => !/<answer>/i.test(line))
      .join('\n')
  }
  return prompt
}

const SYNONYMS: ReadonlyArray<readonly [RegExp, readonly string[]]> = [
  [/\bClassify\b/g, ['Categorise', 'Label']],
  [/\bclassify\b/g, ['categorise', 'label']],
  [/\bWatch for\b/g, ['Look out for', 'Be alert to']],
  [/\bjudge\b/g, ['assess', 'evaluate']],
  [/\bJudge\b/g, ['Assess', 'Evaluate']],
  [/\bdecides?\b/g, ['determines', 'settles']],
  [/\bcarefully\b/g, ['closely', 'with care']],
  [/\bIgnore\b/g, ['Disregard', 'Set aside']],
  [/\bignore\b/g, ['disregard', 'set aside']],
  [/\bmeans\b/g, ['signals', 'indicates']],
  [/\bstill\b/g, ['nonetheless']],
  [/\bgo by\b/g, ['rely on', 'follow']],
  [/\bChoose\b/g, ['Pick', 'Select']],
  [/\bhelpful\b/g, ['useful', 'supportive']],
  [/\bwhat it says\b/g, ['its content', 'what it states']],
  [/\bbefore answering\b/g, ['before replying', 'before you answer']],
  [/\bWhat is\b/g, ['What would be']],
  [/\bthe item\b/g, ['the product']]
]

function keepsMeaning(before: string, after: string): boolean {
  return (
    traitsAddressedBy(after).join() === traitsAddressedBy(before).join() &&
    harmfulRulesIn(after).length === harmfulRulesIn(before).length
  )
}

function reword(sentence: string, rng: Random, force: boolean): string {
  let out = sentence
  for (const [pattern, options] of SYNONYMS) {
    pattern.lastIndex = 0
    if (!pattern.test(out) || (!force && rng.next() >= 0.6)) continue
    const next = out.replace(pattern, () => options[rng.int(options.length)] as string)
    if (keepsMeaning(out, next)) out = next
    if (force) break
  }
  return out
}

/** A rewording that keeps every line with a slot or a tag, and what each sentence instructs. */
export function paraphrase(prompt: string, rng: Random, dropRate: number): string {
  const lines = prompt.split('\n')
  const editable = (line: string): boolean => !/\{\{|<[A-Za-z/]/.test(line) && line.trim() !== ''
  const rewordAll = (force: boolean): string[] =>
    lines.map((line) =>
      editable(line)
        ? sentencesOf(line)
            .map((sentence) => reword(sentence, rng, force))
            .join('')
        : line
    )
  let reworded = rewordAll(false)
  if (reworded.join('\n') === prompt) reworded = rewordAll(true)
  let text = reworded.join('\n')
  if (rng.next() < dropRate) {
    const instructions = reworded.flatMap((line) =>
      editable(line) ? sentencesOf(line).filter((s) => traitsAddressedBy(s).length > 0) : []
    )
    const victim = instructions[rng.int(Math.max(1, instructions.length))]
    if (victim !== undefined) text = removeSentences(text, [victim.trim().toLowerCase()])
  }
  return text
}
