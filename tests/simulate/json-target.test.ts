/**
 * The simulation's JSON extraction world: synthetic invoices whose fields are read right only when
 * the prompt addresses the traits that spoil them, a target that follows a strict schema and
 * sometimes breaks the format without one, and an optimizer that turns wrong fields into
 * instructions.
 */
import { describe, expect, it } from 'vitest'
import type { ChatMessage, ResponseFormat } from '../../src/llm/chat-model.js'
import { critiqueMessages } from '../../src/optimize/meta-prompts.js'
import { createSimulatedTarget } from '../../src/simulate/index.js'
import { INVOICE_TRAITS, makeInvoiceTask } from '../../src/simulate/invoice-task.js'
import type { InvoiceRow } from '../../src/simulate/invoice-task.js'
import { decideAsJsonTarget } from '../../src/simulate/json-target.js'
import type { JsonDecision } from '../../src/simulate/json-target.js'
import { getJsonTrait, jsonTraitsAddressedBy } from '../../src/simulate/json-traits.js'
import { answerAsOptimizer } from '../../src/simulate/optimizer-model.js'
import { applyCritique } from '../../src/simulate/optimizer-edit.js'
import { createRandom } from '../../src/util/random.js'
import { render } from './helpers.js'

const task = makeInvoiceTask({ name: 'invoices', size: 160, seed: 5 })
const STRICT: ResponseFormat = {
  type: 'json_schema',
  json_schema: { name: 'invoice', strict: true, schema: task.schema }
}
const EVERY_TRAIT = INVOICE_TRAITS.map((t) => getJsonTrait(t).phrasings[0]).join('\n')

function decide(
  row: InvoiceRow,
  prompt: string,
  format: ResponseFormat | undefined,
  noise = 0
): JsonDecision {
  const messages: ChatMessage[] = [{ role: 'user', content: render(prompt, row) }]
  const decision = decideAsJsonTarget(messages, format, { seed: 3, noise })
  if (decision === undefined) throw new Error(`no JSON decision for ${row.id}`)
  return decision
}

const withInstructions = (lines: string): string =>
  task.initialPrompt.replace('\n\nInvoice:', `\n${lines}\n\nInvoice:`)

describe('synthetic invoices', () => {
  it('carry every field trait, and each expected object is what the text says', () => {
    const seen = new Set(task.rows.flatMap((r) => r.traits))
    expect([...seen].sort()).toEqual([...INVOICE_TRAITS].sort())
    expect(task.rows.some((r) => r.traits.length === 0)).toBe(true)
    expect(task.rows.some((r) => r.traits.length === 2)).toBe(true)
    for (const row of task.rows) {
      expect(row.text).toContain(`from ${row.expected.vendor}`)
      expect(row.text).toContain(row.expected.invoice_number)
      expect(row.expected.date).toMatch(/^\d{4}-\d{2}-\d{2}$/)
      expect(['EUR', 'USD', 'GBP']).toContain(row.expected.currency)
      expect(row.expected.total).toBeGreaterThan(0)
    }
    const big = task.rows.find((r) => r.traits.includes('thousands'))!
    expect(big.expected.total).toBeGreaterThanOrEqual(1000)
    expect(big.text).toMatch(/\d,\d{3}\.\d{2}/)
    // same spec, same rows
    expect(makeInvoiceTask({ name: 'invoices', size: 160, seed: 5 }).rows).toEqual(task.rows)
  })
})

describe('the simulated target on JSON requests', () => {
  it('gets a field wrong exactly when a trait spoiling it is not addressed', () => {
    for (const row of task.rows) {
      const weak = decide(row, task.initialPrompt, STRICT)
      const wrong = Object.keys(row.expected).filter(
        (f) => weak.given?.[f] !== row.expected[f as keyof typeof row.expected]
      )
      const spoiled = new Set(row.traits.map((t) => getJsonTrait(t).field))
      expect(wrong.every((f) => spoiled.has(f as never))).toBe(true)
      expect(weak.missed.length > 0).toBe(wrong.length > 0)
      const careful = decide(row, withInstructions(EVERY_TRAIT), STRICT)
      expect(careful.given).toEqual(row.expected)
      expect(careful.missed).toEqual([])
    }
  })

  it('falls for each trait in its own way', () => {
    const first = (trait: string): InvoiceRow =>
      task.rows.find((r) => r.traits.length === 1 && r.traits[0] === trait)!
    const given = (trait: string) => decide(first(trait), task.initialPrompt, STRICT).given!
    const customer = /(?:Billed to|Customer:) ([^:.]+)/.exec(first('billed-to').text)![1]
    expect(given('billed-to')['vendor']).toBe(customer)
    expect(given('date-words')['date']).toMatch(/[A-Z][a-z]+/)
    expect(given('currency-symbol')['currency']).toMatch(/^[€$£]$/)
    expect(given('currency-word')['currency']).toMatch(/^(?:euros|dollars|pounds)$/)
    const two = first('two-amounts')
    expect(given('two-amounts')['total']).toBeLessThan(two.expected.total)
    const big = first('thousands')
    expect(given('thousands')['total']).toBeLessThan(big.expected.total / 100)
    // one instruction fixes its own trait only
    const dateFixed = decide(
      first('date-words'),
      withInstructions(getJsonTrait('date-words').phrasings[1]!),
      STRICT
    )
    expect(dateFixed.given?.['date']).toBe(first('date-words').expected.date)
  })

  it('follows a strict json_schema always: the whole reply is the object with every field', () => {
    for (const row of task.rows) {
      const decision = decide(row, task.initialPrompt, STRICT)
      expect(decision.broken).toBeUndefined()
      const reply = JSON.parse(decision.reply) as Record<string, unknown>
      expect(Object.keys(reply)).toEqual(['vendor', 'invoice_number', 'date', 'currency', 'total'])
    }
  })

  it('sometimes breaks the format without one: prose, a missing field, a reply cut short', () => {
    const text = task.rows.map((row) => decide(row, task.initialPrompt, undefined))
    const kinds = new Set(text.map((d) => d.broken))
    expect(kinds).toEqual(new Set([undefined, 'prose', 'missing-field', 'cut-short']))
    for (const d of text) {
      if (d.broken === 'prose') expect(d.reply).toMatch(/^Here are the invoice details:\n```json/)
      if (d.broken === 'missing-field') expect(d.reply).not.toContain(`"${d.dropped}"`)
      if (d.broken === 'cut-short') expect(() => JSON.parse(d.reply)).toThrow()
    }
    const share = (ds: JsonDecision[], kind: string) =>
      ds.filter((d) => d.broken === kind).length / ds.length
    expect(share(text, 'prose')).toBeGreaterThan(0.15)
    // json_object: valid JSON always, but a field is sometimes left out
    const object = task.rows.map((row) => decide(row, task.initialPrompt, { type: 'json_object' }))
    expect(new Set(object.map((d) => d.broken))).toEqual(new Set([undefined, 'missing-field']))
    for (const d of object) expect(() => JSON.parse(d.reply) as unknown).not.toThrow()
    // asking for every field and only the JSON keeps the format whole
    const asked = withInstructions(
      `${getJsonTrait('all-fields').phrasings[0]!} Reply with only the JSON object.`
    )
    const kept = task.rows.map((row) => decide(row, asked, undefined))
    expect(kept.every((d) => d.broken === undefined || d.broken === 'cut-short')).toBe(true)
  })

  it('is seeded by the request text: same request, same reply; answers labels as before', async () => {
    const row = task.rows[0]!
    const target = createSimulatedTarget({ seed: 3, noise: 0 })
    const messages: ChatMessage[] = [{ role: 'user', content: render(task.initialPrompt, row) }]
    const a = await target.complete({ messages, responseFormat: STRICT })
    const b = await target.complete({ messages, responseFormat: STRICT })
    expect(a.text).toBe(b.text)
    expect(a.text).toBe(decide(row, task.initialPrompt, STRICT).reply)
    const label = await target.complete({
      messages: [
        {
          role: 'user',
          content: 'Classify as one of: billing, bug.\nTicket: the export fails.\n<answer></answer>'
        }
      ]
    })
    expect(label.text).not.toMatch(/^\{/)
  })

  it('reads instructions in the schema descriptions too', () => {
    const row = task.rows.find((r) => r.traits.includes('date-words'))!
    const schema = structuredClone(task.schema) as {
      properties: Record<string, Record<string, unknown>>
    }
    schema.properties['date']!['description'] = 'The issue date as YYYY-MM-DD.'
    const format: ResponseFormat = {
      type: 'json_schema',
      json_schema: { name: 'invoice', strict: true, schema: schema }
    }
    expect(decide(row, task.initialPrompt, format).given?.['date']).toBe(row.expected.date)
  })
})

describe('the simulated optimizer on JSON failures', () => {
  it('names the traits of wrong fields and a missing field, and the rewrite adds their instructions', () => {
    const failing = task.rows.slice(0, 40).flatMap((row) => {
      const d = decide(row, task.initialPrompt, { type: 'json_object' })
      const expected = JSON.stringify(row.expected)
      return d.missed.length > 0 || d.broken === 'missing-field'
        ? [{ input: render(task.initialPrompt, row), expected, output: d.reply }]
        : []
    })
    expect(failing.length).toBeGreaterThan(5)
    const messages = critiqueMessages({
      prompt: task.initialPrompt,
      kind: 'user',
      examples: failing,
      count: 6
    })
    const critiques = answerAsOptimizer(messages, {
      seed: 2,
      critiqueRates: { useful: 1, useless: 0 }
    })
    const named = jsonTraitsAddressedBy(critiques.replace(/"[^"\n]*"/g, ' '))
    expect(named.length).toBeGreaterThanOrEqual(3)
    // nothing from the label world: no answer-tag request, no label-trait instruction
    expect(critiques).not.toMatch(/<answer>/)
    const rewritten = applyCritique(task.initialPrompt, critiques, createRandom('r'))
    expect(rewritten).toContain('{{text}}')
    // one instruction per trait named, up to three per rewrite (as for label traits)
    const added = jsonTraitsAddressedBy(rewritten)
    expect(added).toHaveLength(Math.min(3, named.length))
    expect(added.every((t) => named.includes(t))).toBe(true)
  })
})
