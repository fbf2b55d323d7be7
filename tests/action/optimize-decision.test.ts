/**
 * When an optimization earns a pull request, and what the reproduce block and branch names say.
 */
import { describe, expect, it } from 'vitest'
import { decideGain } from '../../src/run/optimize-gain.js'
import { proposalBody, proposalTitle } from '../../src/action/optimize-text.js'
import { reproduceInfo, shellWord } from '../../src/action/optimize-reproduce.js'
import { reproduceSection } from '../../src/report/markdown-optimize.js'
import { VERSION } from '../../src/version.js'
import {
  commentBudget,
  proposalBranch,
  refSegment,
  resolveRequest
} from '../../src/action/optimize-request.js'
import type { OptimizeRequest } from '../../src/action/optimize-request.js'
import type { ActionSettings } from '../../src/action/inputs.js'
import type { RunContext } from '../../src/action/context.js'
import { loadProject } from '../../src/config/load-project.js'
import { InputError } from '../../src/errors.js'
import type { ScoreEstimate } from '../../src/eval/types.js'
import type { LedgerSnapshot, StopInfo } from '../../src/llm/ledger-types.js'
import type { OptimizationReport, TransferReport } from '../../src/optimize/types.js'
import type { RunReport, TaskComparison, Verdict } from '../../src/report/types.js'
import { createFixtureRepo, promptAddressing, triageTask } from './fixture-repo.js'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeDemoRepository } from '../../src/simulate/demo-repo.js'
import { afterEach } from 'vitest'

const estimate = (value: number, low: number, high: number): ScoreEstimate => ({
  value,
  low,
  high,
  level: 0.95
})

function comparison(task: string, verdict: Verdict, base: number, head: number): TaskComparison {
  const d = head - base
  return {
    task,
    base: estimate(base, base - 0.1, base + 0.1),
    head: estimate(head, head - 0.1, head + 0.1),
    n: 40,
    delta: estimate(d, d - 0.15, d + 0.15),
    pValue: verdict === 'improved' || verdict === 'regressed' ? 0.002 : 0.4,
    test: 'mcnemar-exact',
    verdict,
    flipped: [],
    changed: { worse: 0, better: 0 },
    promptDiff: '',
    headOnly: 0,
    baseOnly: 0
  }
}

const usage = {
  calls: 0,
  cachedCalls: 0,
  inputTokens: 0,
  outputTokens: 0,
  usd: 0,
  retries: 0,
  rateLimited: 0,
  noContent: 0
}
const ledger: LedgerSnapshot = {
  total: usage,
  byRole: { target: usage, optimizer: usage, judge: usage },
  elapsedMs: 0
}

function report(options: {
  comparisons: TaskComparison[]
  changed?: boolean
  stop?: StopInfo
  transfer?: TransferReport
}): RunReport {
  const optimization: OptimizationReport = {
    method: options.transfer ? 'metaspo' : 'apo',
    simulated: true,
    seed: 3,
    prompts: [
      {
        file: 'prompts/triage.md',
        kind: 'user',
        task: 'triage',
        before: 'Classify {{text}}',
        after: options.changed === false ? 'Classify {{text}}' : 'Classify carefully {{text}}'
      }
    ],
    testComparison: options.comparisons,
    rounds: [],
    candidates: [],
    details: {},
    bestDev: null,
    ...(options.transfer ? { transfer: options.transfer } : {})
  }
  return {
    schemaVersion: 1,
    kind: 'optimize',
    tool: { name: 'prompt-descent', version: '0.1.0' },
    startedAt: '2026-01-01T00:00:00Z',
    finishedAt: '2026-01-01T00:01:00Z',
    provider: { type: 'simulated', baseUrl: null },
    models: { target: 'sim-target', optimizer: 'sim-optimizer', judge: 'sim-judge' },
    config: { path: 'prompt-descent.yml', hash: 'ab'.repeat(32) },
    seed: 3,
    split: 'test',
    tasks: [],
    ledger,
    stop: options.stop ?? { reason: 'completed', message: 'ran 2 rounds' },
    optimization
  }
}

function transfer(deltas: Array<[string, number, number, number]>): TransferReport {
  const tasks = deltas.map(([task, value, low, high]) => ({
    task,
    userPrompts: 3,
    examples: 30,
    default: estimate(0.5, 0.4, 0.6),
    optimized: estimate(0.5 + value, 0.4 + value, 0.6 + value),
    delta: estimate(value, low, high),
    improvedPrompts: 2
  }))
  const mean = deltas.reduce((s, d) => s + d[1], 0) / deltas.length
  return { tasks, average: { default: 0.5, optimized: 0.5 + mean, delta: mean } }
}

describe('decideGain', () => {
  it('proposes an APO prompt that improved on test, and says by how much', () => {
    const decision = decideGain(
      report({ comparisons: [comparison('triage', 'improved', 0.4, 0.85)] })
    )
    expect(decision).toEqual({
      gain: true,
      summary: 'triage: 40.0% → 85.0% (+45.0 pts [+30.0, +60.0], p = 0.002)'
    })
  })

  it.each<[string, Verdict]>([
    ['within noise', 'within-noise'],
    ['unchanged scores', 'unchanged']
  ])('holds back a change whose test result is %s', (_what, verdict) => {
    const decision = decideGain(report({ comparisons: [comparison('triage', verdict, 0.8, 0.82)] }))
    expect(decision.gain).toBe(false)
    if (!decision.gain) {
      expect(decision.reason).toMatch(
        /^the best prompt does not beat the current one on the held-out test split by more than noise \(95% confidence\) — triage: 80\.0% → 82\.0%/
      )
    }
  })

  it('holds back when any task regressed, even if another improved', () => {
    const decision = decideGain(
      report({
        comparisons: [
          comparison('triage', 'improved', 0.4, 0.8),
          comparison('summaries', 'regressed', 0.9, 0.7)
        ]
      })
    )
    expect(decision).toMatchObject({ gain: false })
    if (!decision.gain)
      expect(decision.reason).toContain(
        'significantly worse on the held-out test split — summaries: 90.0% → 70.0%'
      )
  })

  it('says when the search found nothing, and when the budget cut it short', () => {
    expect(decideGain(report({ comparisons: [], changed: false }))).toEqual({
      gain: false,
      reason: 'the search found no prompt that beat the current one on the dev split'
    })
    expect(
      decideGain(
        report({
          comparisons: [],
          stop: { reason: 'budget', message: 'budget reached: 20 of 20 calls made' }
        })
      )
    ).toEqual({
      gain: false,
      reason:
        'the best prompt could not be scored on the held-out test split; the budget ran out: budget reached: 20 of 20 calls made'
    })
    // A gain proven before the budget ran out still counts.
    expect(
      decideGain(
        report({
          comparisons: [comparison('triage', 'improved', 0.4, 0.8)],
          stop: { reason: 'budget', message: 'budget reached' }
        })
      ).gain
    ).toBe(true)
  })

  it('MetaSPO: unseen tasks must not be hurt, on average or significantly on any one', () => {
    const improved = [
      comparison('a', 'improved', 0.5, 0.7),
      comparison('b', 'within-noise', 0.6, 0.6)
    ]
    expect(
      decideGain(report({ comparisons: improved, transfer: transfer([['x', 0.05, -0.02, 0.12]]) }))
        .gain
    ).toBe(true)
    const hurt = decideGain(
      report({
        comparisons: improved,
        transfer: transfer([
          ['x', 0.2, 0.1, 0.3],
          ['y', -0.1, -0.18, -0.02]
        ])
      })
    )
    expect(hurt).toMatchObject({ gain: false })
    if (!hurt.gain)
      expect(hurt.reason).toContain('significantly worse on tasks it never saw — y: −10.0 pts')
    const flat = decideGain(
      report({ comparisons: improved, transfer: transfer([['x', -0.01, -0.1, 0.08]]) })
    )
    expect(flat).toMatchObject({ gain: false })
    if (!flat.gain) expect(flat.reason).toContain('does not help the tasks it never saw on average')
  })
})

describe('branches and budgets', () => {
  const apo = (task: string, edit: 'user' | 'system'): OptimizeRequest => ({
    method: 'apo',
    task,
    edit,
    seed: 1,
    tasks: [],
    budget: {},
    files: []
  })

  it('names one fixed branch per target', () => {
    expect(proposalBranch(apo('triage', 'user'), undefined)).toBe('prompt-descent/optimize/triage')
    expect(proposalBranch(apo('triage', 'system'), undefined)).toBe(
      'prompt-descent/optimize/triage-system'
    )
    expect(proposalBranch({ ...apo('x', 'system'), method: 'metaspo' }, undefined)).toBe(
      'prompt-descent/optimize/system-prompt'
    )
    expect(proposalBranch(apo('triage', 'user'), 12)).toBe('prompt-descent/optimize/pr-12')
  })

  it('makes any task name a valid branch segment', () => {
    expect(refSegment('Ticket triage/v2')).toBe('Ticket-triage-v2')
    expect(refSegment('..hidden..')).toBe('hidden')
    expect(refSegment('name.lock')).toBe('name-lock')
    expect(refSegment('a~b^c:d?e*f[g]h\\i')).toBe('a-b-c-d-e-f-g-h-i')
    expect(refSegment('日本語')).toBe('task')
  })

  it('lets a comment lower the caps, never raise them', () => {
    const config = { usd: 5, calls: undefined, tokens: undefined, minutes: 30 }
    expect(commentBudget({ usd: 2 }, config, { usd: 10, calls: 300, minutes: 10 })).toEqual({
      usd: 2,
      calls: 300,
      minutes: 10
    })
    expect(commentBudget({}, config, { usd: 1 })).toEqual({ usd: 1 })
    expect(commentBudget({}, config, { usd: 9 })).toEqual({ usd: 5 })
    expect(commentBudget({ calls: 50 }, config, undefined)).toEqual({ calls: 50 })
  })

  it('quotes shell words only when needed', () => {
    expect(shellWord('prompts/triage.md')).toBe('prompts/triage.md')
    expect(shellWord("it's here")).toBe(`'it'\\''s here'`)
  })
})

describe('resolveRequest', () => {
  const cleanups: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c()
  })

  const settings = (over: Partial<ActionSettings> = {}): ActionSettings => ({
    configPath: 'prompt-descent.yml',
    mode: 'optimize',
    samples: undefined,
    apiKey: '',
    baseUrl: undefined,
    githubToken: 't',
    comment: true,
    failOn: 'gate',
    failWithoutKey: false,
    tasks: [],
    split: 'all',
    baseRef: undefined,
    budget: { calls: 500 },
    cache: true,
    reportDir: 'prompt-descent-report',
    method: undefined,
    task: undefined,
    prompt: undefined,
    prLabels: [],
    prReviewers: [],
    prDraft: false,
    history: false,
    historyBranch: 'prompt-descent-data',
    historyMaxRecords: 200,
    alertOnRegression: 'comment',
    ...over
  })

  async function project(systemPrompt?: string) {
    const task = triageTask(20)
    const prompt = promptAddressing(task, [])
    const repo = await createFixtureRepo({
      baseUrl: 'http://127.0.0.1:9/v1',
      basePrompt: prompt,
      headPrompt: prompt,
      task,
      systemPrompt,
      optimize: { method: 'apo', seed: 11 }
    })
    cleanups.push(() => repo.cleanup())
    return loadProject(join(repo.dir, 'prompt-descent.yml'))
  }

  it('takes the comment over the inputs over the config', async () => {
    const p = await project('You are helpful.\n')
    expect(resolveRequest(settings(), undefined, p)).toEqual({
      method: 'apo',
      task: 'triage',
      edit: 'user',
      seed: 11,
      tasks: [],
      budget: { calls: 500 },
      files: ['prompts/triage.md']
    })
    expect(
      resolveRequest(settings({ prompt: 'user' }), { prompt: 'system', budget: { calls: 100 } }, p)
    ).toMatchObject({ edit: 'system', budget: { calls: 100 }, files: ['prompts/system.md'] })
    expect(resolveRequest(settings({ method: 'metaspo' }), undefined, p)).toMatchObject({
      method: 'metaspo',
      edit: 'system',
      files: ['prompts/system.md', 'prompts/triage.md']
    })
  })

  it('refuses choices that do not apply to the method', async () => {
    const p = await project()
    expect(() =>
      resolveRequest(settings({ method: 'metaspo', prompt: 'user' }), undefined, p)
    ).toThrow(/`prompt: user` applies to APO/)
    expect(() =>
      resolveRequest(settings(), { method: 'metaspo', task: 'triage', budget: {} }, p)
    ).toThrow(InputError)
    expect(() => resolveRequest(settings({ method: 'metaspo' }), undefined, p)).toThrow(
      /set system_prompt/
    )
    expect(() => resolveRequest(settings({ task: 'nope' }), undefined, p)).toThrow(
      /unknown task "nope"/
    )
  })

  it('resolves GEPA with prompt: system on several tasks to the shared system prompt', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pd-gepa-shared-'))
    cleanups.push(() => rm(dir, { recursive: true, force: true }))
    const demo = await writeDemoRepository(dir, { seed: 3, rows: 20, multiTask: true })
    const p = await loadProject(demo.configPath)
    const request = resolveRequest(settings({ method: 'gepa', prompt: 'system' }), undefined, p)
    expect(request).toMatchObject({ method: 'gepa', task: undefined, edit: 'system', tasks: [] })
    expect(request.files[0]).toBe('prompts/system.md')
    expect(request.files).toHaveLength(1 + 4)
    expect(proposalBranch(request, undefined)).toBe('prompt-descent/optimize/system-prompt')
    expect(proposalTitle(request, { pullNumber: undefined, requestedBy: undefined })).toBe(
      'prompt-descent: improve the shared system prompt'
    )
    // One task named: that task's system prompt, as before.
    expect(
      resolveRequest(
        settings({ method: 'gepa', prompt: 'system', task: 'reviews-beauty' }),
        undefined,
        p
      )
    ).toMatchObject({ task: 'reviews-beauty', edit: 'system' })
  })

  it('writes the command and the step that repeat the run, with what works before the package is published', async () => {
    const p = await project()
    const request = resolveRequest(settings(), undefined, p)
    const context = {
      owner: 'o',
      repo: 'r',
      serverUrl: 'https://github.example.com'
    } as unknown as RunContext
    const info = reproduceInfo({
      settings: settings(),
      context,
      request,
      project: p,
      commit: 'abc',
      env: { GITHUB_ACTION_REPOSITORY: 'octo/prompt-descent', GITHUB_ACTION_REF: 'v1.2.0' }
    })
    // Not `npx prompt-descent@…` (the package is not on npm): a clone of the action's repository
    // at the ref the workflow ran, as the README's Install section says.
    expect(info).toEqual({
      commit: 'abc',
      setup: [
        `# prompt-descent ${VERSION} is not on npm yet: run it from a clone of the action's repository (dist/ is committed)`,
        'git clone --quiet https://github.example.com/octo/prompt-descent.git prompt-descent && git -C prompt-descent checkout --quiet v1.2.0 && npm --prefix prompt-descent ci'
      ],
      command:
        'node prompt-descent/dist/cli/index.js optimize --config prompt-descent.yml --method apo --task triage --prompt user --seed 11 --max-calls 500',
      uses: 'octo/prompt-descent@v1.2.0',
      inputs: [
        ['mode', 'optimize'],
        ['method', 'apo'],
        ['task', 'triage'],
        ['prompt', 'user'],
        ['max-calls', '500']
      ]
    })
    const section = reproduceSection(
      {
        seed: 11,
        config: { path: 'prompt-descent.yml', hash: 'f'.repeat(64) },
        provider: { type: 'openai' }
      },
      info
    )
    expect(section).toContain(`\`\`\`sh\n${info.setup.join('\n')}\n${info.command}\n\`\`\``)
    expect(section).not.toContain('npx')

    // A local action (`uses: ./…`) names no repository: the README's form, to fill in.
    const local = reproduceInfo({
      settings: settings(),
      context,
      request,
      project: p,
      commit: undefined,
      env: {}
    })
    expect(local.uses).toBe('<owner>/prompt-descent@<commit sha>')
    expect(local.setup.join('\n')).toMatch(
      /^# .*not on npm yet.*\n# at the commit this workflow used/
    )
    expect(local.command).toMatch(/^node prompt-descent\/dist\/cli\/index\.js optimize /)
  })
})

describe('the pull-request body', () => {
  it('fits under 65,536 characters however much the search tried, keeping the verdict and the reproduce block', () => {
    const big = report({ comparisons: [comparison('triage', 'improved', 0.4, 0.85)] })
    const opt = big.optimization!
    opt.prompts[0]!.after = 'Classify carefully {{text}}\n' + 'Mind the details. '.repeat(3_000)
    opt.candidates = Array.from({ length: 3_000 }, (_, i) => ({
      id: `r${i % 10}-${i}`,
      round: i % 10,
      parentId: i === 0 ? null : `r${(i - 1) % 10}-${i - 1}`,
      origin: i === 0 ? ('initial' as const) : ('edit' as const),
      critique: i === 0 ? null : 'The prompt misses a rule. '.repeat(40),
      prompt: i === 2_999 ? opt.prompts[0]!.after : `candidate ${i} `.repeat(300),
      devScore: 0.5,
      devEvaluations: 8,
      kept: false
    }))
    const request = {
      method: 'apo' as const,
      task: 'tri_age',
      edit: 'user' as const,
      seed: 3,
      tasks: [],
      budget: {},
      files: []
    }
    const decision = decideGain(big)
    if (!decision.gain) throw new Error('expected a gain')
    const body = proposalBody({
      report: big,
      request,
      decision,
      origin: { pullNumber: 4, requestedBy: 'alice' },
      branch: 'prompt-descent/optimize/pr-4',
      reproduce: {
        commit: 'abc',
        setup: [],
        command: 'node prompt-descent/dist/cli/index.js optimize',
        uses: 'x/y@v1',
        inputs: []
      },
      artifactHint: 'the job summary',
      runUrl: undefined
    })
    expect(body.length).toBeLessThan(65_536)
    expect(body).toContain('✅ improved')
    expect(body).toContain('#### Reproduce')
    expect(body).toContain('Requested by `@alice` with `/optimize` on #4.')
    expect(body).toContain('the tri\\_age prompt')
    // A title is plain text: no Markdown escapes.
    expect(proposalTitle(request, { pullNumber: 4, requestedBy: 'alice' })).toBe(
      'prompt-descent: improve the tri_age prompt (suggestion for #4)'
    )
  })
})
