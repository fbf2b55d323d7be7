/**
 * The gate every proposed prompt passes before it is scored or written: a candidate with no answer in
 * the expected tag, one that lost a {{slot}} the template needs (and cannot be safely repaired), one
 * with a slot nobody fills, or a duplicate of a prompt already proposed is rejected and counted by
 * reason (RoundRecord.rejected). Nothing rejected here ever costs a target-model call.
 */
import { templateSlots } from '../config/template.js'
import type { RoundRecord } from './types.js'
import { META_TAGS } from './meta-tags.js'

export type RejectCounts = RoundRecord['rejected']
export type RejectReason = keyof RejectCounts

export function emptyRejectCounts(): RejectCounts {
  return { missingSlots: 0, unknownSlots: 0, missingTags: 0, duplicates: 0 }
}

export function addRejectCounts(into: RejectCounts, from: RejectCounts): void {
  into.missingSlots += from.missingSlots
  into.unknownSlots += from.unknownSlots
  into.missingTags += from.missingTags
  into.duplicates += from.duplicates
}

export interface SlotRules {
  /** Slots every candidate must contain (the starting template's). */
  requiredSlots: readonly string[]
  /**
   * Slots a candidate may contain; default: the required ones. A new slot is rejected even when the
   * dataset has such a field: it could be the expected answer's field, and leaking the label into the
   * prompt would score perfectly and mean nothing.
   */
  allowedSlots?: readonly string[]
  /**
   * The parent prompt, to repair a candidate that dropped a slot (see `repairLostSlots`); leave it
   * out to reject such candidates instead.
   */
  repairFrom?: string
  /**
   * Answer-format markers (e.g. `<answer>`) the starting prompt asks for: a candidate that drops one
   * would make every reply unreadable to the task's extraction, so it is rejected (as missingTags).
   */
  requiredMarkers?: readonly string[]
}

/**
 * The answer tag a task's extraction reads (`<answer>` for `extract: { type: tag, tag: answer }`),
 * when the prompt mentions it; candidates of that prompt must keep it.
 */
export function outputMarkers(prompt: string, extract: { type: string; tag?: string }): string[] {
  if (extract.type !== 'tag' || !extract.tag) return []
  const marker = `<${extract.tag}>`
  return prompt.toLowerCase().includes(marker.toLowerCase()) ? [marker] : []
}

export type GuardOutcome =
  | { ok: true; prompt: string; repairedSlots: string[] }
  | { ok: false; reason: RejectReason; detail: string }

/** Longest non-slot text on a line we are willing to re-append (a label such as "Ticket:"). */
const MAX_LABEL_CHARS = 40

/** Tags that must never appear inside a prompt: they would break the next meta-prompt's wrapping. */
const FORBIDDEN_TAGS = [
  META_TAGS.prompt,
  META_TAGS.systemPrompt,
  META_TAGS.improvedPrompt,
  META_TAGS.improvedSystemPrompt,
  META_TAGS.paraphrase,
  META_TAGS.newPrompt
]

/** The same prompt up to case, Unicode form, whitespace and spacing inside {{ slots }}. */
export function normalizePrompt(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/\{\{\s*([^{}]*?)\s*\}\}/g, '{{$1}}')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
}

/** Drops a code fence the model put around the whole answer. */
function unfence(text: string): string {
  const fenced = /^```[\w-]*\s*\n([\s\S]*?)\n\s*```$/.exec(text.trim())
  return fenced ? (fenced[1] ?? '').trim() : text.trim()
}

/**
 * Re-appends the parent's lines that carry the lost slots, when that is safe: every lost slot sits
 * in the parent on a line that holds little else than the slot and a short label ("Ticket:
 * {{ticket}}"), so appending the line restores the input without bringing back the old wording.
 * A slot inside a sentence is not repairable (the sentence might contradict the rewrite): undefined.
 */
export function repairLostSlots(
  candidate: string,
  parent: string,
  lost: readonly string[]
): string | undefined {
  const lines = parent.split('\n')
  const picked: number[] = []
  for (const slot of lost) {
    const index = lines.findIndex((line) => templateSlots(line).includes(slot))
    if (index < 0) return undefined
    const line = lines[index] as string
    const label = line.replace(/\{\{[^{}]*\}\}/g, '').trim()
    if (label.length > MAX_LABEL_CHARS) return undefined
    // Every slot on that line must be lost too, or appending it would repeat a kept input.
    if (templateSlots(line).some((s) => !lost.includes(s))) return undefined
    if (!picked.includes(index)) picked.push(index)
  }
  picked.sort((a, b) => a - b)
  return `${candidate.trimEnd()}\n\n${picked.map((i) => lines[i]).join('\n')}`
}

/**
 * Checks one answer: `raw` is what the answer tag held (undefined when the tag was missing).
 * Duplicates are not checked here; see `CandidateRegistry`.
 */
export function checkCandidate(raw: string | undefined, rules: SlotRules): GuardOutcome {
  if (raw === undefined) return { ok: false, reason: 'missingTags', detail: 'no answer tag' }
  let prompt = unfence(raw)
  if (prompt === '') return { ok: false, reason: 'missingTags', detail: 'empty answer' }
  const lower = prompt.toLowerCase()
  const stray = FORBIDDEN_TAGS.find(
    (tag) => lower.includes(`<${tag}>`) || lower.includes(`</${tag}>`)
  )
  if (stray !== undefined) {
    return { ok: false, reason: 'missingTags', detail: `answer contains a <${stray}> tag` }
  }
  const dropped = (rules.requiredMarkers ?? []).find((m) => !lower.includes(m.toLowerCase()))
  if (dropped !== undefined) {
    return { ok: false, reason: 'missingTags', detail: `lost the answer format ${dropped}` }
  }
  const allowed = rules.allowedSlots ?? rules.requiredSlots
  let slots = templateSlots(prompt)
  const unknown = slots.filter((s) => !allowed.includes(s))
  if (unknown.length > 0) {
    return {
      ok: false,
      reason: 'unknownSlots',
      detail: `unknown slot {{${unknown.join('}}, {{')}}}`
    }
  }
  let repairedSlots: string[] = []
  const lost = rules.requiredSlots.filter((s) => !slots.includes(s))
  if (lost.length > 0) {
    const repaired =
      rules.repairFrom === undefined ? undefined : repairLostSlots(prompt, rules.repairFrom, lost)
    if (repaired === undefined) {
      return { ok: false, reason: 'missingSlots', detail: `lost slot {{${lost.join('}}, {{')}}}` }
    }
    prompt = repaired
    repairedSlots = lost
    slots = templateSlots(prompt)
    if (rules.requiredSlots.some((s) => !slots.includes(s))) {
      return { ok: false, reason: 'missingSlots', detail: `lost slot {{${lost.join('}}, {{')}}}` }
    }
  }
  return { ok: true, prompt, repairedSlots }
}

/**
 * Every prompt proposed so far in a run, by normalised text, in insertion order. A prompt proposed
 * twice (in any round, by any parent, including a parent itself) is a duplicate of the first.
 */
export class CandidateRegistry {
  private readonly byText = new Map<string, string>()

  /** The id the prompt was first registered under, or undefined. */
  find(prompt: string): string | undefined {
    return this.byText.get(normalizePrompt(prompt))
  }

  /** Registers the prompt under `id`; returns the earlier id instead when it is a duplicate. */
  claim(prompt: string, id: string): { duplicateOf: string } | undefined {
    const key = normalizePrompt(prompt)
    const earlier = this.byText.get(key)
    if (earlier !== undefined) return { duplicateOf: earlier }
    this.byText.set(key, id)
    return undefined
  }

  get size(): number {
    return this.byText.size
  }
}
