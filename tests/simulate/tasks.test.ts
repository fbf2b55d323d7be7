import { describe, expect, it } from 'vitest'
import { FAMILY_GLOBAL_TRAITS, makeDomainFamily } from '../../src/simulate/family.js'
import { TASK_KINDS, lexiconOf } from '../../src/simulate/lexicon.js'
import { trapOf, truthOf } from '../../src/simulate/reader.js'
import { makeSyntheticTask, supportedTraits } from '../../src/simulate/tasks.js'
import { detectTraits } from '../../src/simulate/traits.js'

describe('makeSyntheticTask', () => {
  it.each(TASK_KINDS)('builds %s rows whose label and traits can be read from the text', (kind) => {
    const traits = supportedTraits(kind)
    const task = makeSyntheticTask({ name: kind, kind, size: 150, seed: 3, traits })
    const lex = lexiconOf(kind)
    expect(task.rows).toHaveLength(150)
    expect(task.choices).toEqual([...lex.labels])
    expect(new Set(task.rows.map((r) => r.id)).size).toBe(150)
    expect(new Set(task.rows.map((r) => r.text)).size).toBe(150)
    for (const row of task.rows) {
      expect(task.choices).toContain(row.label)
      expect(truthOf(row.text, lex), row.text).toBe(row.label)
      expect(detectTraits(row.text), row.text).toEqual(row.traits)
      expect(row.traits.length).toBeLessThanOrEqual(2)
      for (const trait of row.traits)
        expect(trapOf(trait, row.text, row.label, lex)).not.toBe(row.label)
    }
    const seen = new Set(task.rows.flatMap((r) => r.traits))
    expect([...seen].sort()).toEqual([...traits].sort())
    const plain = task.rows.filter((r) => r.traits.length === 0).length
    expect(plain / 150).toBeGreaterThan(0.15)
    expect(plain / 150).toBeLessThan(0.45)
  })

  it('writes a weak prompt with a {{text}} slot, the labels and the answer tag request', () => {
    const task = makeSyntheticTask({ name: 't', kind: 'triage', size: 10, seed: 1, traits: [] })
    expect(task.initialPrompt).toContain('{{text}}')
    expect(task.initialPrompt).toContain('<answer></answer>')
    expect(task.initialPrompt).toContain('billing, bug, account, other')
    expect(task.promptVariants.length).toBeGreaterThanOrEqual(3)
    expect(task.promptVariants.every((p) => p.includes('{{text}}'))).toBe(true)
    expect(task.promptVariants.some((p) => !p.includes('<answer>'))).toBe(true)
    expect(task.rows.every((r) => r.traits.length === 0)).toBe(true)
  })

  it('is deterministic for a seed and differs across seeds', () => {
    const spec = {
      name: 's',
      kind: 'sentiment' as const,
      size: 40,
      traits: supportedTraits('sentiment')
    }
    const a = makeSyntheticTask({ ...spec, seed: 1 })
    expect(makeSyntheticTask({ ...spec, seed: 1 })).toEqual(a)
    expect(makeSyntheticTask({ ...spec, seed: 2 }).rows).not.toEqual(a.rows)
  })

  it('refuses a trait the kind cannot carry', () => {
    expect(() =>
      makeSyntheticTask({ name: 'x', kind: 'sentiment', size: 5, seed: 1, traits: ['two-issues'] })
    ).toThrow(/sentiment tasks cannot carry two-issues/)
  })
})

describe('makeDomainFamily', () => {
  it('makes 4 meta-train and 3 unseen review tasks that all carry the global traits', () => {
    const family = makeDomainFamily({ seed: 4, size: 60 })
    expect(family.train.map((t) => t.name)).toEqual([
      'reviews-beauty',
      'reviews-games',
      'reviews-baby',
      'reviews-office'
    ])
    expect(family.holdout.map((t) => t.name)).toEqual([
      'reviews-electronics',
      'reviews-pets',
      'reviews-sports'
    ])
    expect(family.systemPrompt).toBe('You are a helpful assistant.')
    for (const task of [...family.train, ...family.holdout]) {
      expect(task.rows).toHaveLength(60)
      const seen = new Set(task.rows.flatMap((r) => r.traits))
      for (const g of FAMILY_GLOBAL_TRAITS) expect(seen.has(g), `${task.name} ${g}`).toBe(true)
      const global = task.rows.filter((r) => r.traits.some((t) => FAMILY_GLOBAL_TRAITS.includes(t)))
      expect(global.length / 60).toBeGreaterThan(0.2)
    }
    const names = new Set([...family.train, ...family.holdout].map((t) => t.initialPrompt))
    expect(names.size).toBe(7)
  })
})
