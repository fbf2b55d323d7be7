import { describe, expect, it } from 'vitest'
import {
  CONTRACT_TAGS,
  askFor,
  requestedCount,
  slotNames,
  taggedAll,
  taggedFirst,
  withoutTagged,
  wrap
} from '../../src/simulate/contract.js'
import { requestKind } from '../../src/simulate/optimizer-request.js'
import { META_TAGS } from '../../src/optimize/meta-tags.js'
import {
  critiqueMessages,
  paraphraseMessages,
  rewriteMessages,
  systemAnalysisMessages,
  systemRewriteMessages,
  userAnalysisMessages,
  userRewriteMessages
} from '../../src/optimize/meta-prompts.js'

const example = {
  input: 'Classify.\n\nTicket: Oh great, the app crashes again.',
  expected: 'bug',
  output: '<answer>other</answer>'
}

describe('contract helpers', () => {
  it('uses the same tag names as the meta-prompts', () => {
    expect(CONTRACT_TAGS).toEqual(META_TAGS)
  })

  it('reads, strips and writes tagged pieces', () => {
    const text = `${wrap('critique', 'one')}\n< critique n="2" >two</critique>\n<critique>open`
    expect(taggedAll(text, 'critique')).toEqual(['one', 'two'])
    expect(taggedFirst(text, 'analysis')).toBeUndefined()
    expect(withoutTagged('a <prompt>x</prompt> b', 'prompt')).toBe('a   b')
    expect(askFor('paraphrase')).toBe('<paraphrase></paraphrase>')
    expect(slotNames('{{text}} and {{ id }} and {{text}}')).toEqual(['text', 'id'])
  })

  it('reads the count a request asks for', () => {
    expect(requestedCount('Give 3 critiques of the prompt.', 'critique')).toBe(3)
    expect(requestedCount('Give two paraphrases.', 'paraphrase')).toBe(2)
    expect(requestedCount('Give 1 critique.', 'critique')).toBe(1)
    expect(requestedCount('Critique it.', 'critique')).toBeUndefined()
  })
})

describe('request kinds of our meta-prompts', () => {
  const text = (messages: Array<{ content: string }>) => messages.map((m) => m.content).join('\n')
  const prompt =
    'Classify as one of: billing, bug, account, other.\n\nTicket: {{text}}\n\nPut it in <answer></answer> tags.'

  it('recognises each builder by the answer tag it asks for', () => {
    expect(
      requestKind(text(critiqueMessages({ prompt, kind: 'user', examples: [example], count: 3 })))
    ).toBe('critique')
    expect(
      requestKind(
        text(
          rewriteMessages({
            prompt,
            kind: 'user',
            examples: [example],
            critique: 'c',
            slots: ['text']
          })
        )
      )
    ).toBe('rewrite')
    expect(requestKind(text(paraphraseMessages({ prompt, kind: 'user', slots: ['text'] })))).toBe(
      'paraphrase'
    )
    expect(requestKind(text(userAnalysisMessages({ prompt, examples: [example] })))).toBe(
      'analysis'
    )
    expect(
      requestKind(
        text(userRewriteMessages({ prompt, examples: [example], analysis: 'a', slots: ['text'] }))
      )
    ).toBe('rewrite')
    expect(
      requestKind(
        text(systemAnalysisMessages({ systemPrompt: 'Be helpful.', examples: [example] }))
      )
    ).toBe('analysis')
    expect(
      requestKind(text(systemRewriteMessages({ systemPrompt: 'Be helpful.', analysis: 'a' })))
    ).toBe('system-rewrite')
  })

  it('is not fooled by tags inside the prompt or the examples', () => {
    const tricky = `<prompt>\nWrite <paraphrase></paraphrase> please\n</prompt>\n<example><input>${askFor('improved_prompt')}</input></example>\nWrap each critique in <critique></critique>.`
    expect(requestKind(tricky)).toBe('critique')
    expect(requestKind('Please list your thoughts in <analysis> tags.')).toBe('analysis')
    expect(requestKind('Hello there')).toBeUndefined()
  })
})
