/**
 * With no config, each `.prompt.yml` task runs on its own file's `model`, and each `llm`
 * evaluator is judged by its own `modelId` (an evaluator without one by the default judge); the
 * reports, the estimate and the ledger name the model per task and per check.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseReport } from '../../src/report/json.js'
import { startFakeOpenAI } from '../helpers/fake-openai-server.js'
import type { FakeOpenAI } from '../helpers/fake-openai-server.js'
import { makeRepo } from '../config/helpers.js'
import { runCli } from './fixture.js'

const TOKEN = 'ghs_perModelToken_never_print_42'

const choices = `      choices:
        - { choice: good, score: 1 }
        - { choice: bad, score: 0 }`

const ROUTE = `name: Route
model: openai/gpt-4o-mini
messages:
  - role: user
    content: 'Route: {{text}}'
testData:
  - { text: card charged twice, expected: billing }
  - { text: app crashes, expected: bug }
  - { text: cannot log in, expected: account }
evaluators:
  - name: first judge
    llm:
      modelId: openai/gpt-4.1-mini
      prompt: 'FIRST-JUDGE grade {{completion}}'
${choices}
  - name: own judge
    llm:
      modelId: openai/gpt-4o
      prompt: 'OWN-JUDGE grade {{completion}}'
${choices}
  - name: default judge
    llm:
      prompt: 'DEFAULT-JUDGE grade {{completion}}'
${choices}
`

const SUMMARIZE = `name: Summarize
model: openai/gpt-4.1
modelParameters: { temperature: 0.2 }
messages:
  - role: user
    content: 'Summarize: {{text}}'
testData:
  - { text: a long story, expected: story }
  - { text: another story, expected: story }
evaluators:
  - name: mentions story
    string: { contains: story }
`

describe('per-task target and per-evaluator judge models, with no config', () => {
  let server: FakeOpenAI
  let root: string
  let cleanup: () => Promise<void>
  const env = () => ({ GITHUB_TOKEN: TOKEN, GITHUB_MODELS_BASE_URL: server.url })

  beforeAll(async () => {
    // Judges say "good" only when asked as openai/gpt-4o, so the score shows who judged.
    server = await startFakeOpenAI({
      githubModels: { token: TOKEN },
      respond: (body) => {
        const text = body.messages.map((m) => m.content).join('\n')
        if (text.includes('JUDGE grade')) return body.model === 'openai/gpt-4o' ? 'good' : 'bad'
        return `a story about ${text}`
      }
    })
    const repo = await makeRepo({
      'support/route.prompt.yml': ROUTE,
      'summarize.prompt.yml': SUMMARIZE
    })
    root = repo.root
    cleanup = repo.cleanup
  })
  afterAll(async () => {
    await server.close()
    await cleanup()
  })

  it('sends each task to its own model and each llm evaluator to its own judge', async () => {
    const result = await runCli(['eval', '--json', 'out/eval.json', '--markdown', 'out/eval.md'], {
      cwd: root,
      env: env()
    })
    expect(result.code, result.stderr).toBe(0)
    const asked = (needle: string) =>
      [
        ...new Set(
          server.record
            .filter((r) => r.messages.some((m) => m.content.startsWith(needle)))
            .map((r) => r.model)
        )
      ].sort()
    expect(asked('Route:')).toEqual(['openai/gpt-4o-mini'])
    expect(asked('Summarize:')).toEqual(['openai/gpt-4.1'])
    expect(asked('FIRST-JUDGE')).toEqual(['openai/gpt-4.1-mini'])
    expect(asked('OWN-JUDGE')).toEqual(['openai/gpt-4o'])
    // No modelId: the default judge (with no config, the first modelId the evaluators name).
    expect(asked('DEFAULT-JUDGE')).toEqual(['openai/gpt-4.1-mini'])
    // The file's modelParameters go with its model.
    const summarizeCall = server.record.find((r) => r.model === 'openai/gpt-4.1')
    expect(summarizeCall?.body?.temperature).toBe(0.2)

    const report = parseReport(await readFile(join(root, 'out/eval.json'), 'utf8'))
    const route = report.tasks.find((t) => t.task === 'route')
    expect(route?.model).toBe('openai/gpt-4o-mini')
    expect(route?.checks?.map((c) => [c.name, c.judgeModel, c.score])).toEqual([
      ['first judge', 'openai/gpt-4.1-mini', 0],
      ['own judge', 'openai/gpt-4o', 1],
      ['default judge', 'openai/gpt-4.1-mini', 0]
    ])
    expect(report.tasks.find((t) => t.task === 'summarize')?.model).toBe('openai/gpt-4.1')
    expect(report.ledger.byModel).toMatchObject({
      'openai/gpt-4o-mini': { calls: 3 },
      'openai/gpt-4.1': { calls: 2 },
      'openai/gpt-4.1-mini': { calls: 6 },
      'openai/gpt-4o': { calls: 3 }
    })

    const markdown = await readFile(join(root, 'out/eval.md'), 'utf8')
    expect(markdown).toContain('target models `openai/gpt-4.1`, `openai/gpt-4o-mini`')
    expect(result.stdout).toContain('target openai/gpt-4.1, openai/gpt-4o-mini')
    expect(markdown).toContain('**Models per task:**')
    expect(markdown).toContain(
      '- **route** on `openai/gpt-4o-mini`; first judge judged by `openai/gpt-4.1-mini`, own judge judged by `openai/gpt-4o`, default judge judged by `openai/gpt-4.1-mini`'
    )
    expect(markdown).toContain('- **summarize** on `openai/gpt-4.1`')
    expect(markdown).toContain('paid calls by model:')
    // Few rows: what they can show, in the Markdown and as a JSON field.
    expect(markdown).toContain('**Few rows.**')
    expect(markdown).toContain(
      '- route has only 3 rows: a score is known to about ±57 points (95%)'
    )
    expect(route?.smallSet).toMatchObject({ rows: 3, halfWidthPoints: 57, minRowsMoved: 6 })
    expect(route?.smallSet?.detectableDropPoints).toBeNull()
    expect(`${result.stdout}${result.stderr}`).not.toContain(TOKEN)
  })

  it('--estimate names each task’s models and counts calls per model for the free tier', async () => {
    const result = await runCli(['eval', '--estimate'], { cwd: root, env: {} })
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toMatch(
      /^ {2}route: 12 calls, .* — on openai\/gpt-4o-mini, openai\/gpt-4\.1-mini, openai\/gpt-4o$/m
    )
    expect(result.stdout).toMatch(/^ {2}summarize: 2 calls, .* — on openai\/gpt-4\.1$/m)
  })
})
