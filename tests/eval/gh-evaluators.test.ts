import { describe, expect, it } from 'vitest'
import { parseGithubPromptFile } from '../../src/config/github-prompt-file.js'
import type { Evaluator } from '../../src/config/github-prompt-file.js'
import { evaluatorChecks, evaluatorJudgeModel } from '../../src/config/prompt-file-checks.js'
import { createTaskMetric } from '../../src/eval/metrics/index.js'
import { fillGhTemplate, goValueText } from '../../src/eval/metrics/gh-template.js'
import type { ChatModel, ChatRequest } from '../../src/llm/chat-model.js'

/** A judge that answers every request with the same text, keeping the requests. */
function fakeJudge(reply: string): ChatModel & { requests: ChatRequest[] } {
  const requests: ChatRequest[] = []
  return {
    model: 'openai/gpt-4o',
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

/** Scores one reply against a prompt file's evaluators (the YAML under `evaluators:`). */
async function scoreWith(
  evaluatorsYaml: string,
  reply: string,
  fields: Record<string, unknown>,
  judgeReply = ''
) {
  const file = parseGithubPromptFile(
    `messages:\n  - role: user\n    content: '{{input}}'\nevaluators:\n${evaluatorsYaml}`,
    'case.prompt.yml'
  )
  const checks = evaluatorChecks(file.evaluators)
  if (checks === undefined) throw new Error('no evaluators')
  const metric = createTaskMetric({ metric: { type: 'exact' }, checks, extract: { type: 'raw' } })
  const judge = fakeJudge(judgeReply)
  const result = await metric.score(reply, undefined, {
    judge,
    input: String(fields.input ?? ''),
    fields
  })
  return { result, judge, metric }
}

const row = { input: 'Where is my parcel?', expected: 'Shipping', n: 3 }

// Each case: an evaluator, the reply, and gh's verdict (passed) with the check's score.
const STRING_CASES: Array<[string, string, string, boolean]> = [
  ['equals is exact', `equals: 'Shipping'`, 'Shipping', true],
  ['equals is case-sensitive', `equals: 'Shipping'`, 'shipping', false],
  ['equals does not trim', `equals: 'Shipping'`, 'Shipping\n', false],
  ['equals takes a templated value', `equals: '{{expected}}'`, 'Shipping', true],
  ['contains ignores case', `contains: 'SHIP'`, 'the answer: shipping', true],
  ['contains, templated, ignores case', `contains: '{{expected}}'`, 'category SHIPPING', true],
  ['contains misses', `contains: '{{expected}}'`, 'Billing', false],
  ['startsWith ignores case', `startsWith: 'ship'`, 'Shipping, because', true],
  ['startsWith misses a later match', `startsWith: 'ship'`, 'It is shipping', false],
  ['endsWith ignores case', `endsWith: 'PING'`, 'It is shipping', true],
  ['a number field fills a slot', `contains: 'n={{n}}'`, 'N=3 items', true],
  ['an unknown slot stays as written', `contains: '{{missing}}'`, 'text {{missing}} here', true],
  ['an unknown slot does not match a reply without it', `equals: '{{missing}}'`, '', false]
]

describe('GitHub Models string evaluators, as gh models eval scores them', () => {
  it.each(STRING_CASES)('%s', async (_label, spec, reply, passed) => {
    const { result } = await scoreWith(`  - name: s\n    string:\n      ${spec}\n`, reply, row)
    expect(result.checks?.[0]?.passed).toBe(passed)
    expect(result.checks?.[0]?.score).toBe(passed ? 1 : 0)
    expect(result.score).toBe(passed ? 1 : 0)
  })
})

const CHOICES = `      choices:
        - choice: 'good'
          score: 1
        - choice: 'partly'
          score: 0.5
        - choice: 'bad'
          score: 0
`

// judge reply → [choice picked, score, passed, unreadable]
const LLM_CASES: Array<[string, string, string | null, number, boolean, boolean]> = [
  ['the judge reply is lower-cased', 'GOOD', 'good', 1, true, false],
  ['a choice scoring 0.5 passes', 'It is Partly right', 'partly', 0.5, true, false],
  ['a choice scoring 0 fails', 'bad', 'bad', 0, false, false],
  // "not good, bad" holds both; the first listed choice wins, whatever the reply's order.
  ['choices are tried in the listed order', 'bad, not good', 'good', 1, true, false],
  ['no choice found scores 0, fails and is counted unreadable', 'unsure', null, 0, false, true]
]

describe('GitHub Models llm evaluators', () => {
  it.each(LLM_CASES)('%s', async (_label, judgeReply, answer, score, passed, unreadable) => {
    const { result } = await scoreWith(
      `  - name: judged\n    llm:\n      modelId: openai/gpt-4o\n      prompt: 'Grade {{completion}} for {{input}} against {{expected}}'\n${CHOICES}`,
      'Shipping',
      row,
      judgeReply
    )
    const check = result.checks?.[0]
    expect(check).toMatchObject({ score, passed, unreadable, answer })
    expect(result.score).toBe(passed ? 1 : 0)
  })

  it('asks the judge for its own modelId; without one, the judge it is given', async () => {
    const file = parseGithubPromptFile(
      `messages:\n  - { role: user, content: '{{input}}' }\nevaluators:\n  - name: own\n    llm:\n      modelId: openai/gpt-4o\n      prompt: 'A {{completion}}'\n${CHOICES}\n  - name: default\n    llm:\n      prompt: 'B {{completion}}'\n${CHOICES}\n`,
      'p.prompt.yml'
    )
    const metric = createTaskMetric({
      metric: { type: 'exact' },
      checks: evaluatorChecks(file.evaluators),
      extract: { type: 'raw' }
    })
    const asked: string[] = []
    const judgeNamed = (model: string): ChatModel => ({
      model,
      role: 'judge',
      complete: (request) => {
        asked.push(`${model}: ${request.messages.at(-1)?.content ?? ''}`)
        return Promise.resolve({
          text: 'good',
          usage: { inputTokens: 1, outputTokens: 1 },
          cached: false
        })
      },
      withModel: (changes) => judgeNamed(changes.model)
    })
    await metric.score('x', undefined, {
      judge: judgeNamed('openai/gpt-4.1-mini'),
      input: 'q',
      fields: row
    })
    expect(asked.sort()).toEqual(['openai/gpt-4.1-mini: B x', 'openai/gpt-4o: A x'])
  })

  it.each([
    ['only built-ins: openai/gpt-4o, as gh', ['builtin'], 'openai/gpt-4o'],
    ['an llm modelId: the first one named', ['llm:meta/llama', 'builtin', 'llm:x/y'], 'meta/llama'],
    ['string checks only: none', ['string'], undefined]
  ] as const)('the default judge with no config, %s', (_label, kinds, expected) => {
    const evaluators = kinds.map((kind, i): Evaluator => {
      if (kind === 'builtin') return { kind: 'builtin', name: `b${i}`, builtin: 'fluency' }
      if (kind === 'string') return { kind: 'string', name: `s${i}`, op: 'equals', value: 'x' }
      return {
        kind: 'llm',
        name: `l${i}`,
        modelId: kind.slice(4),
        prompt: 'p',
        systemPrompt: undefined,
        choices: [{ choice: 'good', score: 1 }]
      }
    })
    expect(evaluatorJudgeModel(evaluators)).toBe(expected)
  })

  it('fills the judge prompt and system prompt from the row and the completion', async () => {
    const { judge } = await scoreWith(
      `  - name: judged\n    llm:\n      systemPrompt: 'You judge {{expected}}.'\n      prompt: 'Reply: {{completion}} / Q: {{input}} / {{unknown}}'\n${CHOICES}`,
      'My reply',
      row,
      'good'
    )
    expect(judge.requests[0]?.messages).toEqual([
      { role: 'system', content: 'You judge Shipping.' },
      { role: 'user', content: 'Reply: My reply / Q: Where is my parcel? / {{unknown}}' }
    ])
  })
})

describe('GitHub Models built-in evaluators (our rubrics)', () => {
  it.each([
    ['1', 0, false],
    ['2', 0.25, true],
    ['3', 0.5, true],
    ['4', 0.75, true],
    ['5', 1, true]
  ] as const)('grade %s maps to %s', async (grade, score, passed) => {
    const { result, judge } = await scoreWith(
      '  - name: sim\n    uses: github/similarity\n',
      'Shipping it is',
      row,
      `<reason>close</reason><score>${grade}</score>`
    )
    expect(result.checks?.[0]).toMatchObject({ score, passed, unreadable: false })
    // similarity compares with the row's expected field
    expect(judge.requests[0]?.messages.map((m) => m.content).join('\n')).toContain('Shipping')
  })

  it('a judge reply without a grade is unreadable and fails', async () => {
    const { result } = await scoreWith(
      '  - name: flu\n    uses: github/fluency\n',
      'x',
      row,
      'fine'
    )
    expect(result.checks?.[0]).toMatchObject({ score: 0, passed: false, unreadable: true })
  })
})

describe('a test case passes when every evaluator passes', () => {
  const both = `  - name: has-word
    string:
      contains: '{{expected}}'
  - name: judged
    llm:
      prompt: '{{completion}}'
${CHOICES}`

  it.each([
    ['both pass', 'Shipping', 'partly', 1],
    ['the string evaluator fails', 'Billing', 'good', 0],
    ['the llm evaluator fails', 'Shipping', 'bad', 0]
  ] as const)('%s', async (_label, reply, judgeReply, score) => {
    const { result, metric } = await scoreWith(both, reply, row, judgeReply)
    expect(result.score).toBe(score)
    expect(metric.name).toBe('pass rate')
  })

  it('reports the pass rate beside each evaluator’s own score and pass count', async () => {
    const replies: Array<[string, string]> = [
      ['Shipping', 'partly'],
      ['Shipping', 'good'],
      ['Billing', 'good']
    ]
    const scored = []
    let metric
    for (const [reply, judgeReply] of replies) {
      const out = await scoreWith(both, reply, row, judgeReply)
      metric = out.metric
      scored.push({ ...out.result, expected: undefined })
    }
    expect(metric?.aggregate(scored)).toBeCloseTo(2 / 3)
    expect(metric?.summarizeChecks?.(scored)).toMatchObject([
      { name: 'has-word', score: 2 / 3, passed: 2 },
      { name: 'judged', score: 2.5 / 3, passed: 3 }
    ])
  })
})

describe('gh templating', () => {
  it('formats values as Go %v does and leaves unknown slots', () => {
    expect(goValueText([1, 'a', true])).toBe('[1 a true]')
    expect(goValueText({ b: 2, a: null })).toBe('map[a:<nil> b:2]')
    expect(fillGhTemplate('{{a}} {{ a }} {{b}}', { a: 'x' })).toBe('x {{ a }} {{b}}')
  })
})
