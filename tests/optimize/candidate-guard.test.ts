import { describe, expect, it } from 'vitest'
import {
  CandidateRegistry,
  checkCandidate,
  normalizePrompt,
  outputMarkers,
  repairLostSlots
} from '../../src/optimize/candidate-guard.js'

const rules = { requiredSlots: ['ticket'] }

describe('checkCandidate', () => {
  it('accepts a candidate that keeps its slots', () => {
    const out = checkCandidate('  Classify the ticket carefully.\nTicket: {{ ticket }}  ', rules)
    expect(out).toEqual({
      ok: true,
      prompt: 'Classify the ticket carefully.\nTicket: {{ ticket }}',
      repairedSlots: []
    })
  })

  it('rejects a missing or empty answer tag as missingTags', () => {
    expect(checkCandidate(undefined, rules)).toMatchObject({ ok: false, reason: 'missingTags' })
    expect(checkCandidate('   ', rules)).toMatchObject({ ok: false, reason: 'missingTags' })
  })

  it('rejects an answer that still holds our wrapper tags', () => {
    const out = checkCandidate('<prompt>Classify {{ticket}}</prompt>', rules)
    expect(out).toMatchObject({ ok: false, reason: 'missingTags' })
  })

  it('rejects a lost slot when there is nothing safe to repair it from', () => {
    expect(checkCandidate('Classify the ticket.', rules)).toMatchObject({
      ok: false,
      reason: 'missingSlots'
    })
    // The slot sat inside a sentence of the parent: re-appending that sentence is not safe.
    const parent = 'Read the customer ticket {{ticket}} and decide which team should handle it.'
    expect(checkCandidate('Classify the ticket.', { ...rules, repairFrom: parent })).toMatchObject({
      ok: false,
      reason: 'missingSlots'
    })
  })

  it('repairs a lost slot by re-appending its short labelled line from the parent', () => {
    const parent = 'Classify the ticket.\n\nTicket: {{ticket}}\nAnswer in <answer></answer>.'
    const out = checkCandidate('Classify the ticket by its main topic.', {
      ...rules,
      repairFrom: parent
    })
    expect(out).toEqual({
      ok: true,
      prompt: 'Classify the ticket by its main topic.\n\nTicket: {{ticket}}',
      repairedSlots: ['ticket']
    })
  })

  it('rejects a slot the template does not have, even one a row might fill', () => {
    const out = checkCandidate('Classify {{ticket}}. The answer is {{label}}.', rules)
    expect(out).toMatchObject({ ok: false, reason: 'unknownSlots' })
    const allowed = checkCandidate('Classify {{ticket}} from {{channel}}.', {
      ...rules,
      allowedSlots: ['ticket', 'channel']
    })
    expect(allowed.ok).toBe(true)
  })

  it('treats escaped braces as text, not slots', () => {
    expect(checkCandidate('Write \\{{ literally. {{ticket}}', rules).ok).toBe(true)
  })

  it('unwraps a code fence around the whole answer', () => {
    const out = checkCandidate('```text\nClassify {{ticket}}\n```', rules)
    expect(out).toMatchObject({ ok: true, prompt: 'Classify {{ticket}}' })
  })
})

describe('answer-format markers', () => {
  it('rejects a candidate that drops the answer tag the extraction reads', () => {
    const start = 'Classify {{text}}.\nAnswer inside <answer></answer> tags.'
    const markers = outputMarkers(start, { type: 'tag', tag: 'answer' })
    expect(markers).toEqual(['<answer>'])
    const kept = checkCandidate('Label {{text}} carefully. Put it in <answer></answer>.', {
      requiredSlots: ['text'],
      requiredMarkers: markers
    })
    expect(kept.ok).toBe(true)
    const lost = checkCandidate('Label {{text}} carefully.', {
      requiredSlots: ['text'],
      requiredMarkers: markers
    })
    expect(lost).toEqual({
      ok: false,
      reason: 'missingTags',
      detail: 'lost the answer format <answer>'
    })
  })

  it('asks for no marker when the prompt or the extraction has none', () => {
    expect(outputMarkers('Classify {{text}}.', { type: 'tag', tag: 'answer' })).toEqual([])
    expect(outputMarkers('Say <answer>x</answer> {{text}}', { type: 'raw' })).toEqual([])
  })
})

describe('repairLostSlots', () => {
  it('refuses when the line carrying the slot also carries a kept slot', () => {
    const parent = 'Do it.\n{{ticket}} / {{channel}}'
    expect(repairLostSlots('Do it better. {{channel}}', parent, ['ticket'])).toBe(undefined)
  })

  it('appends each needed line once, in the parent order', () => {
    const parent = 'Task.\nA: {{a}}\nB: {{b}}'
    expect(repairLostSlots('New task.', parent, ['b', 'a'])).toBe('New task.\n\nA: {{a}}\nB: {{b}}')
  })
})

describe('CandidateRegistry', () => {
  it('finds duplicates up to case, whitespace and slot spacing, first one wins', () => {
    const registry = new CandidateRegistry()
    expect(registry.claim('Classify  the {{ ticket }}.', 'a')).toBe(undefined)
    expect(registry.claim('classify the\n{{ticket}}. ', 'b')).toEqual({ duplicateOf: 'a' })
    expect(registry.claim('Classify the {{ticket}} now.', 'c')).toBe(undefined)
    expect(registry.find('CLASSIFY THE {{ticket}}.')).toBe('a')
    expect(registry.size).toBe(2)
  })

  it('normalises prompts for comparison only', () => {
    expect(normalizePrompt('  A\tB {{ x }} ')).toBe('a b {{x}}')
  })
})
