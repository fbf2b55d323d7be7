import { describe, expect, it } from 'vitest'
import { answerAsOptimizer, createSimulatedOptimizer } from '../../src/simulate/optimizer-model.js'
import { makeSyntheticTask } from '../../src/simulate/tasks.js'
import { harmfulRulesIn } from '../../src/simulate/harmful.js'
import {
  detectTraits,
  getTrait,
  traitsAddressedBy,
  withoutQuotes
} from '../../src/simulate/traits.js'
import { insertInstructions } from '../../src/simulate/optimizer-edit.js'
import { taggedAll } from '../../src/simulate/contract.js'
import { findExample } from '../../src/simulate/message.js'
import {
  critiqueMessages,
  paraphraseMessages,
  rewriteMessages,
  systemAnalysisMessages,
  systemRewriteMessages
} from '../../src/optimize/meta-prompts.js'
import { runTarget, triageTask } from './helpers.js'

const task = triageTask(makeSyntheticTask)
const failing = runTarget(task.rows, { user: task.initialPrompt })
  .filter((s) => !s.correct)
  .map((s) => ({
    input: s.input,
    expected: s.row.label,
    output: s.decision.reply,
    traits: s.row.traits
  }))
const prompt = task.initialPrompt
const useful = { critiqueRates: { useful: 1, useless: 0 } }

function critiques(examples: typeof failing, count: number, seed: number, opts = {}): string[] {
  const reply = answerAsOptimizer(critiqueMessages({ prompt, kind: 'user', examples, count }), {
    seed,
    ...opts
  })
  return taggedAll(reply, 'critique')
}

describe('critiques', () => {
  it('name one or two traits visible in the failing examples, in natural words', () => {
    for (let seed = 0; seed < 20; seed++) {
      const group = failing.slice(seed * 4, seed * 4 + 4)
      const visible = new Set(
        group.flatMap((ex) => detectTraits(findExample(ex.input)?.text ?? ''))
      )
      const [critique] = critiques(group, 1, seed, useful)
      const named = traitsAddressedBy(withoutQuotes(critique ?? ''))
      expect(named.length, critique).toBeGreaterThanOrEqual(1)
      expect(named.length, critique).toBeLessThanOrEqual(2)
      for (const trait of named) expect(visible.has(trait), critique).toBe(true)
    }
  })

  it('come in the number asked for, each in its own tag', () => {
    expect(critiques(failing.slice(0, 8), 4, 1)).toHaveLength(4)
    expect(critiques(failing.slice(0, 8), 1, 1)).toHaveLength(1)
  })

  it('are sometimes useless and sometimes harmful, at about the seeded rates', () => {
    let named = 0
    let harmful = 0
    let useless = 0
    for (let seed = 0; seed < 200; seed++) {
      const [c] = critiques(failing.slice((seed % 20) * 4, (seed % 20) * 4 + 4), 1, seed)
      if (harmfulRulesIn(c ?? '').length > 0) harmful++
      else if (traitsAddressedBy(withoutQuotes(c ?? '')).length > 0) named++
      else useless++
    }
    expect(named / 200).toBeGreaterThan(0.45)
    expect(useless / 200).toBeGreaterThan(0.15)
    expect(harmful / 200).toBeGreaterThan(0.07)
    expect(harmful / 200).toBeLessThan(0.25)
  })

  it('ask to remove an over-broad rule that breaks a visible trait', () => {
    const rule = 'Decide by the first keyword you recognise and ignore the rest of the text.'
    const bad = insertInstructions(prompt, [rule])
    const negation = failing.filter((f) => f.traits.includes('negation')).slice(0, 3)
    const reply = answerAsOptimizer(
      critiqueMessages({ prompt: bad, kind: 'user', examples: negation, count: 1 }),
      { seed: 1, ...useful }
    )
    const [critique] = taggedAll(reply, 'critique')
    expect(critique).toMatch(/too broad.*Remove it/)
    const rewrite = answerAsOptimizer(
      rewriteMessages({
        prompt: bad,
        kind: 'user',
        examples: negation,
        critique: critique!,
        slots: ['text']
      }),
      { seed: 1, malformedRate: 0 }
    )
    const [improved] = taggedAll(rewrite, 'improved_prompt')
    expect(improved).toBe(prompt)
  })

  it('depend only on the request and the sample index', () => {
    const m = critiqueMessages({ prompt, kind: 'user', examples: failing.slice(0, 4), count: 3 })
    expect(answerAsOptimizer(m, { seed: 3 })).toBe(answerAsOptimizer(m, { seed: 3 }))
    const samples = new Set([0, 1, 2, 3, 4].map((i) => answerAsOptimizer(m, { seed: 3 }, i)))
    expect(samples.size).toBeGreaterThan(1)
  })
})

describe('rewrites and paraphrases', () => {
  const sarcastic = failing.filter((f) => f.traits.includes('sarcasm')).slice(0, 3)
  const critique = getTrait('sarcasm').critiques[0]!.replace(
    '@{example}',
    'Oh great, the app crashes again.'
  )

  it('add an instruction that answers the critique and keep every line and slot', () => {
    const reply = answerAsOptimizer(
      rewriteMessages({ prompt, kind: 'user', examples: sarcastic, critique, slots: ['text'] }),
      { seed: 2, malformedRate: 0 }
    )
    const [improved] = taggedAll(reply, 'improved_prompt')
    expect(traitsAddressedBy(improved!)).toEqual(['sarcasm'])
    for (const line of prompt.split('\n')) expect(improved!.split('\n')).toContain(line)
    expect(
      improved!.indexOf('sarcas') < improved!.indexOf('{{text}}') || improved!.includes('ironic')
    ).toBe(true)
  })

  it('come back malformed at the seeded rate, in each of the three ways', () => {
    const seen = new Set<string>()
    for (let seed = 0; seed < 30; seed++) {
      const reply = answerAsOptimizer(
        rewriteMessages({ prompt, kind: 'user', examples: sarcastic, critique, slots: ['text'] }),
        { seed, malformedRate: 1 }
      )
      if (!reply.includes('</improved_prompt>')) seen.add('unclosed')
      else if (!reply.includes('{{text}}')) seen.add('lost-slot')
      else if (!reply.includes('<answer>')) seen.add('lost-format')
    }
    expect([...seen].sort()).toEqual(['lost-format', 'lost-slot', 'unclosed'])
    let broken = 0
    for (let seed = 0; seed < 200; seed++) {
      const reply = answerAsOptimizer(
        rewriteMessages({ prompt, kind: 'user', examples: sarcastic, critique, slots: ['text'] }),
        { seed }
      )
      const [p] = taggedAll(reply, 'improved_prompt')
      if (p === undefined || !p.includes('{{text}}') || !p.includes('<answer>')) broken++
    }
    expect(broken).toBeGreaterThan(2)
    expect(broken).toBeLessThan(25)
  })

  it('paraphrase in other words, keeping slots, tags and instructions', () => {
    const rich = insertInstructions(prompt, [
      getTrait('sarcasm').phrasings[0]!,
      getTrait('negation').phrasings[2]!
    ])
    const outputs = new Set<string>()
    for (let seed = 0; seed < 10; seed++) {
      const reply = answerAsOptimizer(
        paraphraseMessages({ prompt: rich, kind: 'user', slots: ['text'] }),
        { seed, dropRate: 0 }
      )
      const [p] = taggedAll(reply, 'paraphrase')
      expect(p).not.toBe(rich)
      expect(p).toContain('Ticket: {{text}}')
      expect(p).toContain('<answer></answer>')
      expect(traitsAddressedBy(p!)).toEqual(['sarcasm', 'negation'])
      outputs.add(p!)
    }
    expect(outputs.size).toBeGreaterThan(3)
    const dropped = answerAsOptimizer(
      paraphraseMessages({ prompt: rich, kind: 'user', slots: ['text'] }),
      { seed: 1, dropRate: 1 }
    )
    expect(traitsAddressedBy(taggedAll(dropped, 'paraphrase')[0]!)).toHaveLength(1)
  })

  it('answer an unrecognised request without tags', () => {
    const reply = answerAsOptimizer([{ role: 'user', content: 'What is the capital of France?' }], {
      seed: 1
    })
    expect(reply).not.toMatch(/</)
  })
})

describe('system prompts (MetaSPO)', () => {
  it('analyse failures across tasks toward the shared traits and add general instructions', () => {
    const spam = makeSyntheticTask({
      name: 's',
      kind: 'spam',
      size: 60,
      seed: 3,
      traits: ['update', 'injection', 'caps']
    })
    const examples = [
      ...runTarget(spam.rows, { system: 'You are a helpful assistant.', user: spam.initialPrompt }),
      ...runTarget(task.rows.slice(0, 30), {
        system: 'You are a helpful assistant.',
        user: task.initialPrompt
      })
    ]
      .filter((s) => !s.correct)
      .slice(0, 12)
      .map((s) => ({ input: s.input, expected: s.row.label, output: s.decision.reply }))
    const analysis = taggedAll(
      answerAsOptimizer(
        systemAnalysisMessages({ systemPrompt: 'You are a helpful assistant.', examples }),
        { seed: 4, ...useful }
      ),
      'analysis'
    )[0]!
    const named = traitsAddressedBy(withoutQuotes(analysis))
    expect(named.some((t) => getTrait(t).scope === 'global')).toBe(true)
    const reply = answerAsOptimizer(
      systemRewriteMessages({ systemPrompt: 'You are a helpful assistant.', analysis }),
      { seed: 4, malformedRate: 0 }
    )
    const [improved] = taggedAll(reply, 'improved_system_prompt')
    expect(improved!.startsWith('You are a helpful assistant.')).toBe(true)
    expect(traitsAddressedBy(improved!)).toEqual(expect.arrayContaining(named))
    expect(improved).not.toContain('{{')
  })

  it('is a ChatModel with role optimizer', async () => {
    const model = createSimulatedOptimizer({ seed: 1 })
    expect(model.role).toBe('optimizer')
    const res = await model.complete({
      messages: critiqueMessages({ prompt, kind: 'user', examples: failing.slice(0, 2), count: 2 })
    })
    expect(taggedAll(res.text, 'critique')).toHaveLength(2)
    expect(res.usage.outputTokens).toBe(Math.ceil(res.text.length / 4))
  })
})
