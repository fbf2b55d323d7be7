/**
 * `optimize --estimate` prices the target calls on the model the task runs on (tasks[].model),
 * whether --task names the task or it is the config's only one.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { loadProject } from '../../src/config/load-project.js'
import { estimateOptimize } from '../../src/run/estimate-optimize.js'
import { estimateEval } from '../../src/run/estimate-run.js'
import { makeRepo } from '../config/helpers.js'

const rows = Array.from({ length: 40 }, (_, i) =>
  JSON.stringify({ q: `question ${i}`, a: i % 2 === 0 ? 'yes' : 'no' })
).join('\n')

const CONFIG = `models:
  target: { model: gpt-4o-mini }
tasks:
  - name: ask
    prompt: ask.md
    data: ask.jsonl
    expected: a
    model: gpt-4o
    metric: { type: choice, choices: ["yes", "no"] }
`

let cleanup: (() => Promise<void>) | undefined
afterEach(async () => {
  await cleanup?.()
  cleanup = undefined
})

describe('estimateOptimize', () => {
  it("prices a task's own target model with or without --task", async () => {
    const repo = await makeRepo({
      'prompt-descent.yml': CONFIG,
      'ask.md': 'Answer yes or no: {{q}}',
      'ask.jsonl': `${rows}\n`
    })
    cleanup = repo.cleanup
    const project = await loadProject(`${repo.root}/prompt-descent.yml`)
    for (const method of ['apo', 'gepa'] as const) {
      const named = estimateOptimize({ project }, { method, task: 'ask', holdout: [] })
      const only = estimateOptimize({ project }, { method, task: undefined, holdout: [] })
      expect(only.text).toContain('target (gpt-4o):')
      expect(only.target).toEqual(named.target)
      expect(only.text).toBe(named.text)
    }
  })

  it('prints no escape sequence a model id from the repository carries', async () => {
    const repo = await makeRepo({
      'prompt-descent.yml': CONFIG.replace(
        'model: gpt-4o\n',
        `model: ${JSON.stringify('gpt-4o\u001b]0;pwned\u0007\u001b[2J')}\n`
      ),
      'ask.md': 'Answer yes or no: {{q}}',
      'ask.jsonl': `${rows}\n`
    })
    cleanup = repo.cleanup
    const project = await loadProject(`${repo.root}/prompt-descent.yml`)
    const texts = [
      estimateEval({ project }, { tasks: [], split: 'all' }).text,
      estimateOptimize({ project }, { method: 'apo', task: undefined, holdout: [] }).text
    ]
    for (const text of texts) {
      expect(text).toContain('gpt-4o')
      // eslint-disable-next-line no-control-regex
      expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/)
    }
  })
})
