import { InputError } from '../../errors.js'
import { lastTagContent } from '../extract.js'
import { formatNumber } from '../normalize.js'
import type { Metric } from '../types.js'
import { buildJudgeMessages } from './judge-prompt.js'
import { modeOf } from '../samples.js'
import { meanOfScores, unreadableScore } from './shared.js'

const MAX_RATIONALE = 600

function shorten(text: string): string {
  const flat = text.trim().replace(/\s+/g, ' ')
  return flat.length > MAX_RATIONALE ? `${flat.slice(0, MAX_RATIONALE - 3)}...` : flat
}

/** The grade in a judge's reply: the number at the start of the last `<score>` tag ("4", "4/5"). */
export function readJudgeScore(judgeReply: string): number | null {
  const content = lastTagContent(judgeReply, 'score')
  if (content === null) return null
  const match = /^[^\d-]*?(-?\d+(?:\.\d+)?)/.exec(content)
  if (match === null) return null
  const value = Number(match[1])
  return Number.isFinite(value) ? value : null
}

/**
 * LLM-as-judge: the judge model grades the whole reply against a rubric (with the task's input and
 * the reference answer) on 1..scale, at temperature 0. Score = (N − 1)/(scale − 1), or with
 * `passAt`, 1 when N ≥ passAt else 0. A judge reply without a `<score>` tag, or with a grade
 * outside 1..scale, scores the example 0 and marks it judge-unreadable (the judge's failure, not
 * the target's unreadable answer); its text becomes the rationale.
 *
 * With `models.judge.samples: j` > 1 the judge grades the reply j times at its configured
 * temperature (sample indices 0..j−1, each cached apart) and the grade is the mean of the readable
 * grades, or their most common value with `aggregate: majority`; judge-unreadable only when none reads.
 */
export function createJudgeMetric(
  rubric: string,
  scale: number,
  passAt: number | undefined
): Metric {
  if (!Number.isInteger(scale) || scale < 2) {
    throw new InputError(
      `the judge metric's scale must be a whole number of at least 2, got ${scale}`
    )
  }
  if (passAt !== undefined && (passAt < 1 || passAt > scale)) {
    throw new InputError(`the judge metric's pass_at must be between 1 and ${scale}, got ${passAt}`)
  }
  return {
    name: 'judge',
    async score(reply, expected, context) {
      if (context.judge === undefined) {
        throw new InputError(
          'the judge metric needs a judge model, but none was given (configure models.judge)'
        )
      }
      const messages = buildJudgeMessages({ rubric, input: context.input, expected, reply, scale })
      const sampling = context.judgeSampling
      const j = Math.max(1, sampling?.samples ?? 1)
      // One grade at temperature 0; several at the judge's own temperature, one per sample index.
      const requests =
        j === 1
          ? [{ messages, temperature: 0, sampleIndex: 0 }]
          : Array.from({ length: j }, (_, sampleIndex) => ({ messages, sampleIndex }))
      const responses = await Promise.all(
        requests.map((request) => context.judge?.complete(request, { signal: context.signal }))
      )
      const read = responses.map((response) => {
        const text = response?.text ?? ''
        const grade = readJudgeScore(text)
        const reason = lastTagContent(text, 'reason')
        const valid = grade !== null && grade >= 1 && grade <= scale
        return { grade: valid ? grade : null, reason, text }
      })
      const grades = read.map((r) => r.grade).filter((g): g is number => g !== null)
      const first = read[0] as { reason: string | null; text: string }
      if (grades.length === 0) {
        return {
          ...unreadableScore(shorten(first.reason ?? first.text)),
          unreadable: false,
          judgeUnreadable: true
        }
      }
      const grade =
        sampling?.aggregate === 'majority'
          ? (modeOf(grades) as number)
          : grades.reduce((sum, g) => sum + g, 0) / grades.length
      const score = passAt === undefined ? (grade - 1) / (scale - 1) : grade >= passAt ? 1 : 0
      const reason = read.find((r) => r.grade !== null)?.reason ?? ''
      return {
        score,
        answer: formatNumber(grade),
        unreadable: false,
        rationale: shorten(
          j > 1 ? `${grades.length} grades ${grades.join(', ')}; ${reason}` : reason
        )
      }
    },
    aggregate: meanOfScores
  }
}
