import { describe, expect, it } from 'vitest'
import {
  critiqueMessages,
  fill,
  paraphraseMessages,
  rewriteMessages,
  systemAnalysisMessages,
  systemRewriteMessages,
  userAnalysisMessages,
  userRewriteMessages,
  type FailingExample
} from '../../src/optimize/meta-prompts.js'
import { META_TAGS } from '../../src/optimize/meta-tags.js'
import { parseFirstTagged, parseLastTagged, parseTagged, wrapTag } from '../../src/optimize/tags.js'
import {
  CONTRACT_TAGS,
  REQUEST_TAGS,
  askFor,
  requestedCount,
  taggedAll
} from '../../src/simulate/contract.js'

describe('tag parsing', () => {
  it('reads every item in order, trimmed', () => {
    const reply = 'Sure.\n<critique> too vague </critique>\nand <critique>\nno format\n</critique>'
    expect(parseTagged(reply, 'critique')).toEqual(['too vague', 'no format'])
    expect(parseFirstTagged(reply, 'critique')).toBe('too vague')
    expect(parseLastTagged(reply, 'critique')).toBe('no format')
  })

  it('tolerates case, spaces inside the brackets and attributes', () => {
    const reply = '< IMPROVED_PROMPT id="1" >A {{x}}</ improved_prompt >'
    expect(parseLastTagged(reply, 'improved_prompt')).toBe('A {{x}}')
  })

  it('never falls back to the whole reply', () => {
    expect(parseLastTagged('Here is a better prompt: Classify {{x}}', 'improved_prompt')).toBe(
      undefined
    )
    expect(parseTagged('no tags here', 'critique')).toEqual([])
    // An opening tag without its closing tag is not an answer.
    expect(parseLastTagged('<improved_prompt>Classify {{x}}', 'improved_prompt')).toBe(undefined)
  })

  it('does not confuse a tag with a longer name', () => {
    expect(parseTagged('<prompt_v2>a</prompt_v2><prompt>b</prompt>', 'prompt')).toEqual(['b'])
  })

  it('keeps empty items as empty strings so callers can tell them from missing', () => {
    expect(parseTagged('<paraphrase> </paraphrase>', 'paraphrase')).toEqual([''])
  })

  it('takes the last item when the model drafted one first', () => {
    const reply =
      '<improved_prompt>draft</improved_prompt> on reflection: <improved_prompt>final</improved_prompt>'
    expect(parseLastTagged(reply, 'improved_prompt')).toBe('final')
  })

  it('round-trips wrapTag', () => {
    const body = 'Line one\n  {{text}}\nLine $& three'
    expect(parseLastTagged(wrapTag('prompt', body), 'prompt')).toBe(body.trim())
  })
})

const examples: FailingExample[] = [
  {
    input: 'Classify: great, just great.',
    expected: 'negative',
    output: '<answer>positive</answer>'
  },
  { input: 'Classify: not bad at all', expected: 'positive', output: '<answer>negative</answer>' }
]

/** The request kind as the simulated optimizer recognises it: the first answer tag asked for. */
function kindOf(content: string): string | undefined {
  return REQUEST_TAGS.find(([tag]) => content.includes(askFor(tag)))?.[1]
}

function content(messages: Array<{ content: string }>): string {
  return messages.map((m) => m.content).join('\n')
}

describe('meta-prompt contract', () => {
  it('uses the tag names of the simulated optimizer contract', () => {
    expect(META_TAGS).toEqual(CONTRACT_TAGS)
  })

  it('critique: wraps the prompt and examples and asks for N <critique> items', () => {
    const text = content(
      critiqueMessages({ prompt: 'Classify: {{text}}', kind: 'user', examples, count: 3 })
    )
    expect(kindOf(text)).toBe('critique')
    expect(text).toContain('Give 3 critiques')
    expect(requestedCount(text, 'critique')).toBe(3)
    expect(text).toContain('Wrap each critique in <critique></critique>')
    expect(parseFirstTagged(text, 'prompt')).toBe('Classify: {{text}}')
    expect(taggedAll(text, 'example')).toHaveLength(2)
    expect(parseTagged(text, 'input')).toEqual(examples.map((e) => e.input))
    expect(parseTagged(text, 'expected')).toEqual(['negative', 'positive'])
    expect(parseTagged(text, 'output')).toEqual(examples.map((e) => e.output))
    expect(
      requestedCount(
        content(critiqueMessages({ prompt: 'p', kind: 'user', examples, count: 1 })),
        'critique'
      )
    ).toBe(1)
  })

  it('rewrite: carries the prompt, the critique, the slots, and asks for <improved_prompt>', () => {
    const text = content(
      rewriteMessages({
        prompt: 'Label {{text}} for {{audience}}',
        kind: 'user',
        examples,
        critique: 'It never mentions sarcasm.',
        slots: ['text', 'audience']
      })
    )
    expect(kindOf(text)).toBe('rewrite')
    expect(text).toContain('<improved_prompt></improved_prompt>')
    expect(parseFirstTagged(text, 'prompt')).toBe('Label {{text}} for {{audience}}')
    expect(parseFirstTagged(text, 'critique')).toBe('It never mentions sarcasm.')
    expect(text).toContain('{{text}}, {{audience}}')
    expect(text).toMatch(/keep every placeholder exactly/i)
  })

  it('paraphrase: asks for <paraphrase> and to keep the slots', () => {
    const text = content(
      paraphraseMessages({ prompt: 'Tag {{text}}', kind: 'user', slots: ['text'] })
    )
    expect(kindOf(text)).toBe('paraphrase')
    expect(parseFirstTagged(text, 'prompt')).toBe('Tag {{text}}')
    expect(text).toContain('{{text}}')
    expect(text).toContain('<paraphrase></paraphrase>')
  })

  it('system prompts under APO keep the APO tags and say so in words', () => {
    const text = content(
      critiqueMessages({ prompt: 'You are terse.', kind: 'system', examples, count: 1 })
    )
    expect(kindOf(text)).toBe('critique')
    expect(text).toContain('system prompt')
    expect(parseFirstTagged(text, 'prompt')).toBe('You are terse.')
    const none = content(
      paraphraseMessages({ prompt: 'You are terse.', kind: 'system', slots: [] })
    )
    expect(none).toMatch(/no placeholders/)
  })

  it('MetaSPO user analysis and rewrite', () => {
    const analysis = content(userAnalysisMessages({ prompt: 'Q: {{question}}', examples }))
    expect(kindOf(analysis)).toBe('analysis')
    expect(parseFirstTagged(analysis, 'prompt')).toBe('Q: {{question}}')
    expect(analysis).not.toContain('<system_prompt>')
    const rewrite = content(
      userRewriteMessages({
        prompt: 'Q: {{question}}',
        examples,
        analysis: 'Too short.',
        slots: ['question']
      })
    )
    expect(kindOf(rewrite)).toBe('rewrite')
    expect(parseFirstTagged(rewrite, 'analysis')).toBe('Too short.')
    expect(rewrite).toContain('{{question}}')
  })

  it('MetaSPO system analysis and rewrite', () => {
    const analysis = content(systemAnalysisMessages({ systemPrompt: 'Be helpful.', examples }))
    expect(kindOf(analysis)).toBe('analysis')
    expect(parseFirstTagged(analysis, 'system_prompt')).toBe('Be helpful.')
    expect(analysis).not.toContain('<prompt>')
    const rewrite = content(
      systemRewriteMessages({ systemPrompt: 'Be helpful.', analysis: 'Vague.' })
    )
    expect(kindOf(rewrite)).toBe('system-rewrite')
    expect(parseFirstTagged(rewrite, 'system_prompt')).toBe('Be helpful.')
    expect(parseFirstTagged(rewrite, 'analysis')).toBe('Vague.')
    expect(taggedAll(rewrite, 'example')).toHaveLength(0)
    const withExamples = content(
      systemRewriteMessages({ systemPrompt: 'Be helpful.', analysis: 'Vague.', examples })
    )
    expect(taggedAll(withExamples, 'example')).toHaveLength(2)
  })

  it('inserts prompt text verbatim, even with replacement patterns and markers', () => {
    const prompt = 'Cost: $& and $1 and @{examples} {{text}}'
    const text = content(paraphraseMessages({ prompt, kind: 'user', slots: ['text'] }))
    expect(parseFirstTagged(text, 'prompt')).toBe(prompt)
    expect(fill(['@{a}-@{b}'], { a: '@{b}', b: 'x' })).toBe('@{b}-x')
  })

  it('cuts very long example fields with a marker', () => {
    const long = 'x'.repeat(5000)
    const text = content(
      critiqueMessages({
        prompt: 'p',
        kind: 'user',
        examples: [{ input: long, expected: 'a', output: 'b' }],
        count: 1
      })
    )
    expect(text).toContain('more characters cut')
    expect(text.length).toBeLessThan(4000)
  })
})
