import { describe, expect, it } from 'vitest'
import { InputError } from '../../src/errors.js'
import { createMetric, readJudgeScore } from '../../src/eval/metrics/index.js'
import type { ChatModel, ChatRequest } from '../../src/llm/chat-model.js'

function fakeJudge(reply: string): ChatModel & { requests: ChatRequest[] } {
  const requests: ChatRequest[] = []
  return {
    model: 'fake-judge',
    role: 'judge',
    requests,
    complete(request) {
      requests.push(request)
      return Promise.resolve({
        text: reply,
        usage: { inputTokens: 1, outputTokens: 1 },
        cached: false
      })
    }
  }
}

const judgeConfig = {
  type: 'judge',
  rubric: 'The reply must name the capital city.',
  scale: 5,
  passAt: undefined
} as const

describe('judge metric', () => {
  it('maps the grade onto [0, 1] and keeps the reason', async () => {
    const judge = fakeJudge('<reason>Names Paris correctly.</reason>\n<score>4</score>')
    const metric = createMetric(judgeConfig, { type: 'raw' })
    const result = await metric.score('It is Paris.', 'Paris', {
      judge,
      input: 'Capital of France?'
    })
    expect(result).toEqual({
      score: 0.75,
      answer: '4',
      unreadable: false,
      rationale: 'Names Paris correctly.'
    })
  })

  it('sends the rubric, input, reference and reply at temperature 0, sample 0', async () => {
    const judge = fakeJudge('<score>5</score>')
    const metric = createMetric(judgeConfig, { type: 'raw' })
    await metric.score('It is Paris.', 'Paris', { judge, input: 'Capital of France?' })
    expect(judge.requests).toHaveLength(1)
    const request = judge.requests[0] as ChatRequest
    expect(request.temperature).toBe(0)
    expect(request.sampleIndex).toBe(0)
    const text = request.messages.map((m) => m.content).join('\n')
    for (const part of [
      judgeConfig.rubric,
      'Capital of France?',
      'Paris',
      'It is Paris.',
      '1 to 5'
    ]) {
      expect(text).toContain(part)
    }
  })

  it('says when there is no reference answer', async () => {
    const judge = fakeJudge('<score>1</score>')
    await createMetric(judgeConfig, { type: 'raw' }).score('x', undefined, { judge, input: 'q' })
    const text = judge.requests[0]?.messages.map((m) => m.content).join('\n') ?? ''
    expect(text).toContain('no reference answer')
  })

  it('applies pass_at', async () => {
    const metric = createMetric({ ...judgeConfig, passAt: 4 }, { type: 'raw' })
    const pass = await metric.score('r', 'e', { judge: fakeJudge('<score>4</score>'), input: '' })
    const fail = await metric.score('r', 'e', { judge: fakeJudge('<score>3</score>'), input: '' })
    expect([pass.score, fail.score]).toEqual([1, 0])
  })

  it("counts a reply without a score tag or with a grade off the scale as the judge's failure, not the target's", async () => {
    const metric = createMetric(judgeConfig, { type: 'raw' })
    const none = await metric.score('r', 'e', { judge: fakeJudge('Looks fine to me.'), input: '' })
    expect(none).toEqual({
      score: 0,
      answer: null,
      unreadable: false,
      judgeUnreadable: true,
      rationale: 'Looks fine to me.'
    })
    const off = await metric.score('r', 'e', { judge: fakeJudge('<score>9</score>'), input: '' })
    expect([off.unreadable, off.judgeUnreadable]).toEqual([false, true])
  })

  it('throws a clear error when no judge model is given', async () => {
    const metric = createMetric(judgeConfig, { type: 'raw' })
    await expect(metric.score('r', 'e', { judge: undefined, input: '' })).rejects.toThrow(
      /needs a judge model/
    )
  })

  it('rejects a scale below 2 and a pass_at off the scale', () => {
    expect(() => createMetric({ ...judgeConfig, scale: 1 }, { type: 'raw' })).toThrow(InputError)
    expect(() => createMetric({ ...judgeConfig, passAt: 6 }, { type: 'raw' })).toThrow(InputError)
  })

  it('reads grades written in several ways', () => {
    expect(readJudgeScore('<score> 4/5 </score>')).toBe(4)
    expect(readJudgeScore('<SCORE>Score: 3</SCORE>')).toBe(3)
    expect(readJudgeScore('<score>2</score> then <score>5</score>')).toBe(5)
    expect(readJudgeScore('<score>high</score>')).toBeNull()
  })
})

describe('judge samples', () => {
  /** A judge whose grade depends on the request's sample index. */
  function gradesBySample(grades: readonly string[]): ChatModel & { requests: ChatRequest[] } {
    const requests: ChatRequest[] = []
    return {
      model: 'fake-judge',
      role: 'judge',
      requests,
      complete(request) {
        requests.push(request)
        const grade = grades[request.sampleIndex ?? 0] ?? 'none'
        return Promise.resolve({
          text: `<reason>sample ${request.sampleIndex}</reason><score>${grade}</score>`,
          usage: { inputTokens: 1, outputTokens: 1 },
          cached: false
        })
      }
    }
  }

  it('asks j grades at the judge’s own temperature and takes their mean', async () => {
    const judge = gradesBySample(['5', '3', '4', '4'])
    const metric = createMetric(judgeConfig, { type: 'raw' })
    const result = await metric.score('It is Paris.', 'Paris', {
      judge,
      input: 'Capital of France?',
      judgeSampling: { samples: 4, aggregate: 'mean' }
    })
    expect(judge.requests.map((r) => r.sampleIndex)).toEqual([0, 1, 2, 3])
    expect(judge.requests.every((r) => r.temperature === undefined)).toBe(true)
    // Mean grade 4 on 1..5 → (4 − 1)/4.
    expect(result.score).toBe(0.75)
    expect(result.answer).toBe('4')
  })

  it('takes the most common grade with majority, skipping unreadable grades', async () => {
    const judge = gradesBySample(['2', 'x', '5', '5', '1'])
    const metric = createMetric({ ...judgeConfig, passAt: 4 }, { type: 'raw' })
    const result = await metric.score('It is Paris.', 'Paris', {
      judge,
      input: 'Capital of France?',
      judgeSampling: { samples: 5, aggregate: 'majority' }
    })
    expect(result.answer).toBe('5')
    expect(result.score).toBe(1)
    expect(result.rationale).toContain('4 grades 2, 5, 5, 1')
  })
})
