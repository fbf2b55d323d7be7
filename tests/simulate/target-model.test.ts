import { describe, expect, it } from 'vitest'
import { createSimulatedTarget, decideAsTarget } from '../../src/simulate/target-model.js'
import { getTrait } from '../../src/simulate/traits.js'
import { makeSyntheticTask } from '../../src/simulate/tasks.js'
import { insertInstructions } from '../../src/simulate/optimizer-edit.js'
import { allHarmfulRules } from '../../src/simulate/harmful.js'
import { accuracy, runTarget, tagAnswer, triageTask } from './helpers.js'

const task = triageTask(makeSyntheticTask)
const withTrait = (id: string) => task.rows.filter((r) => r.traits.includes(id as never))
const plainRows = task.rows.filter((r) => r.traits.length === 0)

describe('simulated target: instructions decide', () => {
  it('answers plain rows right and falls for every trait under the weak prompt', () => {
    expect(accuracy(runTarget(plainRows, { user: task.initialPrompt }))).toBe(1)
    const traited = task.rows.filter((r) => r.traits.length > 0)
    expect(accuracy(runTarget(traited, { user: task.initialPrompt }))).toBe(0)
  })

  it('answers a trait right once any paraphrase of its instruction is in the prompt', () => {
    const rows = withTrait('sarcasm').filter((r) => r.traits.length === 1)
    expect(rows.length).toBeGreaterThan(3)
    for (const phrasing of getTrait('sarcasm').phrasings) {
      const user = insertInstructions(task.initialPrompt, [phrasing])
      expect(accuracy(runTarget(rows, { user })), phrasing).toBe(1)
    }
    // a wording of our own that only shares a stem
    const own = insertInstructions(task.initialPrompt, ['Beware of irony.'])
    expect(accuracy(runTarget(rows, { user: own }))).toBe(1)
    // and the same instruction in the system prompt works too
    const fromSystem = runTarget(rows, {
      system: getTrait('sarcasm').phrasings[0],
      user: task.initialPrompt
    })
    expect(accuracy(fromSystem)).toBe(1)
  })

  it('needs an instruction for every trait of a two-trait row', () => {
    const row = task.rows.find((r) => r.traits.length === 2)
    if (!row) throw new Error('expected a two-trait row')
    const [a, b] = row.traits as [string, string]
    const only = (ids: string[]) =>
      runTarget([row], {
        user: insertInstructions(
          task.initialPrompt,
          ids.map((id) => getTrait(id as never).phrasings[0] as string)
        )
      })[0]?.correct
    expect(only([a])).toBe(false)
    expect(only([b])).toBe(false)
    expect(only([a, b])).toBe(true)
  })

  it('takes a global trait only from the system prompt', () => {
    const rows = makeSyntheticTask({
      name: 'g',
      kind: 'spam',
      size: 40,
      seed: 2,
      traits: ['injection'],
      plainRate: 0
    }).rows
    const instruction = getTrait('injection').phrasings[0] as string
    const rule = {
      user: 'Is this message spam? One of: spam, ham.\n\nMessage: {{text}}\n\nAnswer in <answer></answer> tags.'
    }
    expect(accuracy(runTarget(rows, { user: insertInstructions(rule.user, [instruction]) }))).toBe(
      0
    )
    expect(accuracy(runTarget(rows, { system: instruction, user: rule.user }))).toBe(1)
  })

  it('is hurt by an over-broad rule even where the trait is addressed', () => {
    const rows = withTrait('negation').filter((r) => r.traits.length === 1)
    const negation = getTrait('negation').phrasings[0] as string
    const fixed = insertInstructions(task.initialPrompt, [negation])
    expect(accuracy(runTarget(rows, { user: fixed }))).toBe(1)
    const firstKeyword = allHarmfulRules().find((r) => r.id === 'first-keyword')
      ?.phrasings[0] as string
    const hurt = insertInstructions(task.initialPrompt, [negation, firstKeyword])
    expect(accuracy(runTarget(rows, { user: hurt }))).toBe(0)
    // the same rule does fix the trait it claims
    const twoIssues = withTrait('two-issues').filter((r) => r.traits.length === 1)
    const claimed = insertInstructions(task.initialPrompt, [firstKeyword])
    expect(accuracy(runTarget(twoIssues, { user: claimed }))).toBe(1)
  })
})

describe('simulated target: noise and format', () => {
  it('flips a seeded share of answers, the same way every time', () => {
    const everything = insertInstructions(
      task.initialPrompt,
      ['sarcasm', 'negation', 'two-issues', 'hedging', 'rhetorical', 'caps', 'numeric'].map(
        (id) => getTrait(id as never).phrasings[0] as string
      )
    )
    const a = runTarget(task.rows, { user: everything }, { noise: 0.2, seed: 5 })
    const b = runTarget(task.rows, { user: everything }, { noise: 0.2, seed: 5 })
    const c = runTarget(task.rows, { user: everything }, { noise: 0.2, seed: 6 })
    expect(a.map((s) => s.decision.reply)).toEqual(b.map((s) => s.decision.reply))
    const flipped = a.filter((s) => s.decision.noisy)
    expect(flipped.length / a.length).toBeGreaterThan(0.1)
    expect(flipped.length / a.length).toBeLessThan(0.3)
    expect(flipped.every((s) => !s.correct)).toBe(true)
    expect(a.map((s) => s.decision.noisy)).not.toEqual(c.map((s) => s.decision.noisy))
    expect(accuracy(runTarget(task.rows, { user: everything }, { noise: 0 }))).toBe(1)
  })

  it('puts the label in the tag the prompt asks for', () => {
    const user =
      'Route this ticket; one of: billing, bug, account, other.\nTicket: {{text}}\nReply as <label>…</label>.'
    const [scored] = runTarget([plainRows[0]!], { user })
    expect(scored?.decision.reply).toMatch(new RegExp(`<label>${plainRows[0]!.label}</label>`))
  })

  it('answers in loose prose when no format is asked for, sometimes with no label at all', () => {
    const user = 'Route this ticket to billing, bug, account or other.\n\nTicket: {{text}}'
    const scored = runTarget(plainRows, { user })
    expect(scored.every((s) => tagAnswer(s.decision.reply) === null)).toBe(true)
    const named = scored.filter((s) => s.decision.answer !== null)
    const unreadable = scored.filter((s) => s.decision.answer === null)
    expect(named.length).toBeGreaterThan(unreadable.length)
    expect(unreadable.length).toBeGreaterThan(0)
    for (const s of named) {
      const mentions = [...s.decision.reply.matchAll(/\b(billing|bug|account|other)\b/g)].map(
        (m) => m[1]
      )
      expect(mentions.at(-1)).toBe(s.row.label)
    }
  })

  it('reads the label set from "X or Y" and keeps the prompt\'s spelling', () => {
    const d = decideAsTarget(
      [
        {
          role: 'user',
          content:
            'Answer Spam or Ham in <answer></answer>.\nMessage: Claim your prize today, click here.'
        }
      ],
      { seed: 1, noise: 0 }
    )
    expect(d.choices).toEqual(['Spam', 'Ham'])
    expect(tagAnswer(d.reply)).toBe('Spam')
  })

  it('guesses among unknown labels deterministically and says so when there are none', () => {
    const messages = [
      {
        role: 'user' as const,
        content:
          'Is the statement true? Answer with one of: yes, no.\nStatement: The sky is green.\nUse <answer></answer>.'
      }
    ]
    const d = decideAsTarget(messages, { seed: 1 })
    expect(['yes', 'no']).toContain(tagAnswer(d.reply))
    expect(decideAsTarget(messages, { seed: 1 }).reply).toBe(d.reply)
    const none = decideAsTarget([{ role: 'user', content: 'Tell me a story.' }], { seed: 1 })
    expect(none.answer).toBeNull()
  })

  it('is a ChatModel with role target that counts about four characters a token', async () => {
    const model = createSimulatedTarget({ seed: 1 })
    expect(model.role).toBe('target')
    expect(model.model).toBe('sim-target')
    const content = task.initialPrompt.replace('{{text}}', plainRows[0]!.text)
    const res = await model.complete({ messages: [{ role: 'user', content }] })
    expect(res.cached).toBe(false)
    expect(res.usage.inputTokens).toBe(Math.ceil(content.length / 4))
    expect(res.usage.outputTokens).toBe(Math.ceil(res.text.length / 4))
    const aborted = AbortSignal.abort()
    await expect(
      model.complete({ messages: [{ role: 'user', content }] }, { signal: aborted })
    ).rejects.toThrow(/cancel/)
  })
})
