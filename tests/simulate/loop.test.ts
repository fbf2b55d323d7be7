import { describe, expect, it } from 'vitest'
import { createSimulatedModels } from '../../src/simulate/index.js'
import { makeSyntheticTask } from '../../src/simulate/tasks.js'
import type { SyntheticRow } from '../../src/simulate/tasks.js'
import { taggedAll } from '../../src/simulate/contract.js'
import { critiqueMessages, rewriteMessages } from '../../src/optimize/meta-prompts.js'
import { createRandom } from '../../src/util/random.js'
import { render, tagAnswer } from './helpers.js'

/**
 * The property APO relies on: turning the target's failures into critiques and the critiques into
 * rewrites, then keeping what scores better on held-out rows, lifts accuracy a lot.
 */
describe('a hand-driven critique → rewrite loop', () => {
  it.each([
    ['triage', ['sarcasm', 'negation', 'two-issues', 'hedging', 'rhetorical', 'caps', 'numeric']],
    ['intent', ['negation', 'two-issues', 'hedging', 'caps', 'numeric']]
  ] as const)('raises the %s test accuracy by at least 25 points', async (kind, traits) => {
    const { target, optimizer } = createSimulatedModels(21)
    const task = makeSyntheticTask({ name: kind, kind, size: 180, seed: 8, traits })
    const train = task.rows.slice(0, 60)
    const dev = task.rows.slice(60, 120)
    const test = task.rows.slice(120)
    const score = async (user: string, rows: readonly SyntheticRow[]) => {
      const results = await Promise.all(
        rows.map(async (row) => {
          const input = render(user, row)
          const reply = await target.complete({ messages: [{ role: 'user', content: input }] })
          return { row, input, output: reply.text, correct: tagAnswer(reply.text) === row.label }
        })
      )
      return { accuracy: results.filter((r) => r.correct).length / rows.length, results }
    }
    const rng = createRandom(5)
    let prompt = task.initialPrompt
    let best = (await score(prompt, dev)).accuracy
    const before = (await score(prompt, test)).accuracy
    let rejected = 0
    for (let round = 0; round < 6; round++) {
      const errors = (await score(prompt, train)).results.filter((r) => !r.correct)
      if (errors.length === 0) break
      const examples = rng
        .sample(errors, 4)
        .map((e) => ({ input: e.input, expected: e.row.label, output: e.output }))
      const critiqueReply = await optimizer.complete({
        messages: critiqueMessages({ prompt, kind: 'user', examples, count: 3 })
      })
      let next = prompt
      for (const critique of taggedAll(critiqueReply.text, 'critique')) {
        const reply = await optimizer.complete({
          messages: rewriteMessages({ prompt, kind: 'user', examples, critique, slots: ['text'] })
        })
        const candidate = taggedAll(reply.text, 'improved_prompt')[0]
        if (!candidate?.includes('{{text}}') || !candidate.includes('<answer>')) {
          rejected++
          continue
        }
        const dev2 = (await score(candidate, dev)).accuracy
        if (dev2 > best) {
          best = dev2
          next = candidate
        }
      }
      prompt = next
    }
    const after = (await score(prompt, test)).accuracy
    expect(before).toBeLessThan(0.6)
    expect(after - before).toBeGreaterThanOrEqual(0.25)
    expect(rejected).toBeGreaterThanOrEqual(0)
  })
})
