import { describe, expect, it } from 'vitest'
import { InputError } from '../../src/errors.js'
import { lookupField, renderTemplate, templateSlots } from '../../src/config/template.js'
import { thrown } from './helpers.js'

const ctx = { file: 'prompts/triage.md', rowId: '7', line: 8, dataFile: 'evals/triage.jsonl' }

describe('templateSlots', () => {
  it('lists distinct slots in order, with spaces and dotted paths', () => {
    expect(templateSlots('Ticket {{ ticket.subject }}: {{body}} / {{body}} ({{  lang }})')).toEqual(
      ['ticket.subject', 'body', 'lang']
    )
  })

  it('ignores escaped slots, empty braces and JSON-like text', () => {
    expect(templateSlots('\\{{literal}} {{}} {"a": {"b": 1}} {{ x }}')).toEqual(['x'])
  })
})

describe('renderTemplate', () => {
  it('fills strings as they are and other values as JSON', () => {
    const fields = {
      text: 'hi',
      n: 3,
      tags: ['a', 'b'],
      meta: { lang: 'en' },
      ok: true,
      none: null
    }
    expect(
      renderTemplate(
        '{{text}}|{{ n }}|{{tags}}|{{meta}}|{{meta.lang}}|{{ok}}|{{none}}|{{tags.1}}',
        fields,
        ctx
      )
    ).toBe('hi|3|["a","b"]|{"lang":"en"}|en|true|null|b')
  })

  it('prefers a field literally named with a dot (CSV headers) over the nested path', () => {
    expect(renderTemplate('{{a.b}}', { 'a.b': 'flat', a: { b: 'nested' } }, ctx)).toBe('flat')
  })

  it('renders \\{{ as a literal {{ and leaves the rest alone', () => {
    expect(renderTemplate('Write \\{{name}} to mean a slot; {{name}}.', { name: 'Ann' }, ctx)).toBe(
      'Write {{name}} to mean a slot; Ann.'
    )
  })

  it('does not substitute inside replaced values', () => {
    expect(renderTemplate('{{a}}{{b}}', { a: '{{b}}', b: 'x' }, ctx)).toBe('{{b}}x')
  })

  it('names the prompt file, the slot, the row and its fields when a slot has no field', async () => {
    const error = await thrown(() =>
      renderTemplate('Classify: {{ ticket }}', { id: 7, text: 'refund', label: 'billing' }, ctx)
    )
    expect(error).toBeInstanceOf(InputError)
    expect(error.message).toBe(
      'prompts/triage.md: slot {{ticket}} has no field in row "7" (evals/triage.jsonl line 8); the row\'s fields are: id, text, label'
    )
  })

  it('treats a dotted path into a non-object as missing', () => {
    expect(lookupField({ a: 'text' }, 'a.b')).toEqual({ ok: false })
    expect(lookupField({ a: { b: 0 } }, 'a.b')).toEqual({ ok: true, value: 0 })
  })
})
