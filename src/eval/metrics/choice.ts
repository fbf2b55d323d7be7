import type { ExtractConfig } from '../../config/types.js'
import { InputError } from '../../errors.js'
import { extractAnswer } from '../extract.js'
import { valueToText } from '../normalize.js'
import type { Metric } from '../types.js'
import { createLabelReader } from './labels.js'
import { macroF1 } from './macro-f1.js'
import { meanOfScores, readScore, showValue, unreadableScore } from './shared.js'

/**
 * Classification against a fixed set of labels, scored as accuracy or macro-F1.
 *
 * The predicted label: when the extracted answer (e.g. the `<answer>` tag) is exactly a label,
 * that label; else the label the answer mentions last; when nothing was extracted, the label the
 * whole reply mentions last. A reply that names no label is unreadable (score 0, answer null) and
 * is not a class of its own. Expected labels compare case-insensitively; an expected value that is
 * none of the choices is an InputError.
 */
export function createChoiceMetric(
  choices: string[],
  score: 'accuracy' | 'macro_f1',
  extract: ExtractConfig
): Metric {
  const reader = createLabelReader(choices)
  if (reader.choices.length === 0) {
    throw new InputError('the choice metric needs at least one non-empty label in `choices`')
  }
  const canonicalExpected = (expected: unknown): string => {
    const label = reader.exact(valueToText(expected))
    if (label === null) {
      throw new InputError(
        `the expected label ${showValue(expected)} is not one of the choices: ${reader.choices.join(', ')}`
      )
    }
    return label
  }

  return {
    name: score === 'macro_f1' ? 'macro_f1' : 'accuracy',
    async score(reply, expected) {
      const truth = canonicalExpected(expected)
      const extracted = extractAnswer(reply, extract)
      const label = extracted === null ? reader.lastMention(reply) : reader.read(extracted)
      if (label === null) return unreadableScore()
      return readScore(label, label === truth)
    },
    aggregate(results) {
      if (score === 'accuracy') return meanOfScores(results)
      const pairs = results.map((r) => ({
        predicted: r.answer === null ? null : reader.exact(r.answer),
        actual: reader.exact(valueToText(r.expected)) ?? valueToText(r.expected)
      }))
      return macroF1(reader.choices, pairs)
    }
  }
}
