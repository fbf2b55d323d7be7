/**
 * End to end: the BUILT action (dist/index.js, as committed) run as a subprocess with the
 * environment a GitHub runner sets, on a pull request in a temporary git repository (base and head
 * commits), against the fake GitHub REST server and a fake OpenAI-compatible server that answers as
 * the simulated target model.
 *
 * It tests dist/, not src/: after changing src/, run `npm run build` first. CI runs
 * `npm run check-dist` before the tests, which fails when dist/ is not what src/ builds to, so a
 * green run here always speaks for the sources too.
 */
import { existsSync } from 'node:fs'
import { appendFile, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { FAKE_GITHUB_TOKEN, startFakeGitHubServer } from '../helpers/fake-github-server.js'
import type { FakeGitHubServer } from '../helpers/fake-github-server.js'
import type { FakeOpenAI } from '../helpers/fake-openai-server.js'
import {
  CONFIG_FILE,
  createFixtureRepo,
  promptAddressing,
  PROMPT_FILE,
  TASK_TRAITS,
  triageTask
} from './fixture-repo.js'
import type { FixtureOptions, FixtureRepo } from './fixture-repo.js'
import { findLeaks, listFiles } from './leaks.js'
import { ACTION_ENTRY, runAction } from './run-action.js'
import type { ActionRun } from './run-action.js'
import { SECRET_API_KEY, startSimulatedOpenAI } from './simulated-server.js'

const MARKER = '<!-- prompt-descent:prompt-descent.yml -->'
const REPOSITORY = 'octo/prompts'
const task = triageTask(80)
const ROWS = task.rows.length

/** Every rule the rows need: the simulated model gets nearly all of them right. */
const STRONG = promptAddressing(task, TASK_TRAITS)
/** Two of the five rules: many rows fall for a trap. */
const PARTIAL = promptAddressing(task, ['sarcasm', 'negation'])
/** The strong prompt reworded, with no rule added or lost: only the model's noise moves. */
const REWORDED = promptAddressing(task, TASK_TRAITS, 'Please read the whole ticket first. ')
/** The weak prompt: the regression a careless edit makes by dropping the rules. */
const WEAK = promptAddressing(task, [])

interface Scenario {
  ai: FakeOpenAI
  gh: FakeGitHubServer
  repo: FixtureRepo
  pr: number
  /** Runs the action on the pull request; secrets must not leak from any run. */
  run(options?: {
    inputs?: Record<string, string>
    env?: Record<string, string>
    workspace?: string
    headSha?: string
    unset?: string[]
    /** The pull request comes from a fork (which gets no secrets). */
    fork?: boolean
  }): Promise<ActionRun>
  ourComments(): Array<{ id: number; body: string }>
}

const cleanups: Array<() => Promise<void>> = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function scenario(
  base: string,
  head: string,
  options: { subdir?: string; gate?: FixtureOptions['gate'] } = {}
): Promise<Scenario> {
  const ai = await startSimulatedOpenAI()
  cleanups.push(() => ai.close())
  const gh = await startFakeGitHubServer({ owner: 'octo', repo: 'prompts' })
  cleanups.push(() => gh.close())
  const repo = await createFixtureRepo({
    baseUrl: ai.url,
    basePrompt: base,
    headPrompt: head,
    task,
    gate: options.gate === undefined ? { max_drop: 0.01, confidence: 0.95 } : options.gate,
    subdir: options.subdir
  })
  cleanups.push(() => repo.cleanup())
  const pull = gh.state.addFeaturePull('Reword the triage prompt')
  const ourComments = () =>
    gh.state
      .commentsOn(pull.number)
      .filter((c) => c.body.includes(MARKER))
      .map((c) => ({ id: c.id, body: c.body }))
  return {
    ai,
    gh,
    repo,
    pr: pull.number,
    ourComments,
    async run(options = {}) {
      const workspace = options.workspace ?? repo.dir
      const result = await runAction({
        workspace,
        repository: REPOSITORY,
        apiUrl: gh.url,
        pullRequest: {
          number: pull.number,
          baseSha: repo.baseSha,
          headSha: options.headSha ?? repo.headSha,
          headRepo: options.fork ? 'contributor/prompts' : REPOSITORY
        },
        inputs: options.inputs ?? {
          'api-key': SECRET_API_KEY,
          'github-token': FAKE_GITHUB_TOKEN
        },
        env: options.env,
        unset: options.unset
      })
      const bodies = gh.state.comments.map((c) => c.body)
      expect(await findLeaks(SECRET_API_KEY, result, workspace, bodies)).toEqual([])
      expect(await findLeaks(FAKE_GITHUB_TOKEN, result, workspace, bodies)).toEqual([])
      return result
    }
  }
}

/** The workflow commands of one kind (`error`, `warning`) in a run's stdout, with their properties. */
function commands(run: ActionRun, kind: string): string[] {
  return run.stdout.split('\n').filter((line) => line.startsWith(`::${kind}`))
}

function explain(run: ActionRun): string {
  return `exit ${String(run.code)}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`
}

beforeAll(() => {
  if (!existsSync(ACTION_ENTRY)) {
    throw new Error(`${ACTION_ENTRY} is missing: run \`npm run build\` before these tests`)
  }
})

describe('the built action on a pull request', () => {
  it('creates the sticky comment, then updates it in place on the next push; writes outputs and the summary', async () => {
    // Every row scored (the sequential gate would stop early: see the regression test below).
    const s = await scenario(PARTIAL, STRONG, {
      gate: { max_drop: 0.01, confidence: 0.95, sequential: false }
    })

    const first = await s.run()
    expect(first.code, explain(first)).toBe(0)
    expect(first.stderr).toBe('')
    expect(commands(first, 'error')).toEqual([])
    expect(s.ai.stats.requests).toBe(2 * ROWS)
    expect(first.outputs).toMatchObject({
      skipped: 'false',
      passed: 'true',
      verdicts: JSON.stringify({ triage: 'improved' }),
      'stop-reason': 'completed'
    })
    const score = Number(first.outputs['score'])
    const delta = (JSON.parse(first.outputs['deltas'] ?? '{}') as Record<string, number>)['triage']
    expect(score).toBeGreaterThan(0.9)
    expect(delta).toBeGreaterThan(0.1)
    expect(JSON.parse(first.outputs['scores'] ?? '')).toEqual({ triage: score })

    const created = s.ourComments()
    expect(created).toHaveLength(1)
    const comment = created[0]!
    expect(first.outputs['comment-id']).toBe(String(comment.id))
    expect(first.outputs['comment-url']).toContain(`#issuecomment-${comment.id}`)
    expect(comment.body.startsWith(MARKER)).toBe(true)
    expect(comment.body).toContain('✅ improved')
    expect(comment.body).toContain(s.repo.headSha)
    expect(comment.body).toMatch(/<details><summary>Prompt diff — triage<\/summary>/)

    // The job summary carries the same report as the comment.
    expect(first.summary).toContain(MARKER)
    expect(first.summary).toContain('| triage | 80 |')
    expect(first.summary).toContain('Gate passed')
    const reportJson = first.outputs['report-json'] ?? ''
    expect(reportJson).toBe(join(s.repo.dir, 'prompt-descent-report/report.json'))
    const report = JSON.parse(await readFile(reportJson, 'utf8')) as Record<string, unknown>
    expect(report).toMatchObject({ kind: 'compare', gate: { passed: true } })
    expect(await readFile(first.outputs['report-markdown'] ?? '', 'utf8')).toContain(MARKER)
    expect(await listFiles(join(s.repo.dir, '.prompt-descent/cache'))).not.toEqual([])

    // Another push to the pull request: the base is unchanged, so only the head costs calls.
    const newHead = await s.repo.pushPrompt(REWORDED)
    const second = await s.run({ headSha: newHead })
    expect(second.code, explain(second)).toBe(0)
    expect(s.ai.stats.requests).toBe(3 * ROWS)
    const after = s.ourComments()
    expect(after).toHaveLength(1)
    expect(after[0]!.id).toBe(comment.id)
    expect(after[0]!.body).toContain(newHead)
    expect(after[0]!.body).not.toContain(s.repo.headSha)
    expect(second.outputs['comment-id']).toBe(String(comment.id))
    expect(second.stdout).toContain('pull-request comment updated')
    const commentWrites = s.gh.requests.filter(
      (r) => r.method !== 'GET' && r.path.includes('/comments')
    )
    expect(commentWrites.map((r) => `${r.method} ${r.status}`)).toEqual(['POST 201', 'PATCH 200'])
    expect(s.gh.state.comments).toHaveLength(1)

    // A re-run of the same job: every answer comes from the response cache.
    const rerun = await s.run({ headSha: newHead })
    expect(rerun.code, explain(rerun)).toBe(0)
    expect(s.ai.stats.requests).toBe(3 * ROWS)
    expect(rerun.outputs['verdicts']).toBe(second.outputs['verdicts'])
    expect(s.ourComments().map((c) => c.id)).toEqual([comment.id])
    // The cost table says so: no paid call, every one of the 2 × 80 answers cached.
    expect(s.ourComments()[0]?.body).toMatch(/\| target \| 0 \| 160 \|/)
  })

  it('fails the check on a significant regression and annotates the prompt file', async () => {
    const s = await scenario(STRONG, WEAK)
    const run = await s.run()
    expect(run.code, explain(run)).toBe(1)
    // The sequential gate (the default) settles this drop at its first look: 50 rows a side.
    expect(s.ai.stats.requests).toBe(2 * 50)
    expect(run.summary).toContain('stopped after 50 of 80 rows: the head is worse than max\\_drop')
    expect(run.outputs['passed']).toBe('false')
    expect(run.outputs['verdicts']).toBe(JSON.stringify({ triage: 'regressed' }))
    expect(Number(run.outputs['score'])).toBeLessThan(0.5)
    const errors = commands(run, 'error')
    const annotation = errors.find((line) => line.includes(`file=${PROMPT_FILE}`))
    expect(annotation, run.stdout).toMatch(
      /^::error title=prompt-descent gate \(max_drop\),file=prompts\/triage\.md::triage: .*; stopped after 50 of 80 rows: the head is worse than max_drop 0\.01 at 95%25$/
    )
    // setFailed: the step's own error line says why the check failed.
    expect(errors).toContainEqual(
      expect.stringMatching(/^::error::the prompt gate failed — triage:/)
    )
    const [comment] = s.ourComments()
    expect(comment?.body).toContain('❌ regressed')
    expect(comment?.body).toContain('Gate failed')
    expect(run.summary).toContain('❌ regressed')

    // fail-on: never reports the same failed gate without failing the check.
    const reported = await s.run({
      inputs: { 'api-key': SECRET_API_KEY, 'github-token': FAKE_GITHUB_TOKEN, 'fail-on': 'never' }
    })
    expect(reported.code, explain(reported)).toBe(0)
    expect(reported.outputs['passed']).toBe('false')
    expect(commands(reported, 'error').some((l) => l.startsWith('::error::'))).toBe(false)
    expect(s.ourComments()).toHaveLength(1)
  })

  it('gates out of the box: no gate: section fails a significant drop and says which rule applied', async () => {
    const s = await scenario(STRONG, WEAK, { gate: null })
    const run = await s.run()
    expect(run.code, explain(run)).toBe(1)
    expect(run.outputs['passed']).toBe('false')
    const [comment] = s.ourComments()
    for (const view of [comment?.body ?? '', run.summary]) {
      expect(view).toContain('Gate failed')
      expect(view).toContain('default gate (the config has no gate: section)')
      expect(view).toContain('fail-on: never')
    }
    const reported = await s.run({
      inputs: { 'api-key': SECRET_API_KEY, 'github-token': FAKE_GITHUB_TOKEN, 'fail-on': 'never' }
    })
    expect(reported.code, explain(reported)).toBe(0)
  })

  it('stops at the max-calls cap, still comments, and never calls an unchecked gate passed', async () => {
    const s = await scenario(STRONG, WEAK)
    const run = await s.run({
      inputs: { 'api-key': SECRET_API_KEY, 'github-token': FAKE_GITHUB_TOKEN, 'max-calls': '50' }
    })
    expect(run.code, explain(run)).toBe(1)
    expect(s.ai.stats.requests).toBe(50)
    expect(run.outputs).toMatchObject({ 'stop-reason': 'budget', passed: 'false' })
    const errors = commands(run, 'error')
    expect(errors).toContainEqual(
      expect.stringMatching(
        /file=prompts\/triage\.md::triage: not checked: the run stopped \(budget\)/
      )
    )
    expect(errors).toContainEqual(
      expect.stringMatching(
        /^::error::prompt-descent could not finish: budget reached: 50 of 50 calls/
      )
    )
    const [comment] = s.ourComments()
    expect(comment?.body).toContain('Stopped early (budget reached)')
    expect(comment?.body).toContain('Gate failed')
    expect(comment?.body).not.toContain('Gate passed')
  })

  it('passes a change whose drop is within noise and says so', async () => {
    const s = await scenario(STRONG, REWORDED)
    const run = await s.run()
    expect(run.code, explain(run)).toBe(0)
    expect(run.outputs['passed']).toBe('true')
    expect(run.outputs['verdicts']).toBe(JSON.stringify({ triage: 'within-noise' }))
    expect(commands(run, 'error')).toEqual([])
    const [comment] = s.ourComments()
    expect(comment?.body).toContain('➖ within noise')
    expect(comment?.body).toContain('Gate passed')
  })

  it('finds its comment on the second page of 150 and updates it instead of adding one', async () => {
    const s = await scenario(STRONG, REWORDED)
    let ours = 0
    for (let i = 0; i < 150; i++) {
      if (i === 120) {
        ours = s.gh.state.addComment(
          s.pr,
          `${MARKER}\nan older report`,
          'github-actions[bot]',
          'Bot'
        ).id
      } else s.gh.state.addComment(s.pr, `comment ${i}: looks good to me`, `reviewer${i % 7}`)
    }
    const run = await s.run()
    expect(run.code, explain(run)).toBe(0)
    expect(s.gh.state.commentsOn(s.pr)).toHaveLength(150)
    expect(s.ourComments().map((c) => c.id)).toEqual([ours])
    expect(s.ourComments()[0]?.body).toContain('### prompt-descent')
    expect(run.outputs['comment-id']).toBe(String(ours))
    const pages = s.gh.requests
      .filter((r) => r.method === 'GET' && r.path.endsWith(`/issues/${s.pr}/comments`))
      .map((r) => r.query['page'] ?? '1')
    expect(pages).toEqual(['1', '2'])
    // Nothing created: the only POST asks GraphQL who the token is.
    expect(s.gh.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual([
      '/graphql'
    ])
  })

  it('skips with a summary when there is no API key, and fails only when asked to', async () => {
    const s = await scenario(STRONG, REWORDED)
    const skipped = await s.run({ inputs: { 'github-token': FAKE_GITHUB_TOKEN }, fork: true })
    expect(skipped.code, explain(skipped)).toBe(0)
    expect(skipped.outputs['skipped']).toBe('true')
    expect(skipped.summary).toContain('prompt-descent: skipped')
    expect(skipped.summary).toContain('no API key')
    expect(skipped.summary).toContain('forks get no secrets')
    expect(commands(skipped, 'warning')).toContainEqual(
      expect.stringMatching(/^::warning::no API key: set the `api-key` input/)
    )
    expect(commands(skipped, 'error')).toEqual([])
    expect(s.ai.stats.requests).toBe(0)
    expect(s.gh.state.comments).toEqual([])

    const failed = await s.run({
      inputs: { 'github-token': FAKE_GITHUB_TOKEN, 'fail-without-key': 'true' },
      fork: true
    })
    expect(failed.code, explain(failed)).toBe(1)
    expect(failed.outputs['skipped']).toBe('true')
    expect(commands(failed, 'error')).toContainEqual(expect.stringMatching(/^::error::no API key/))
    expect(s.ai.stats.requests).toBe(0)

    // A runner without job summaries (an old GHES, a local runner): still a skip, not a crash.
    const bare = await s.run({
      inputs: { 'github-token': FAKE_GITHUB_TOKEN },
      unset: ['GITHUB_STEP_SUMMARY']
    })
    expect(bare.code, explain(bare)).toBe(0)
    expect(bare.stderr).toBe('')
    expect(bare.outputs['skipped']).toBe('true')
    expect(commands(bare, 'warning')).toContainEqual(
      expect.stringMatching(/^::warning::could not write the job summary/)
    )
  })

  it('after a fatal 401 still writes report.json, report.md and junit.xml with the stop reason, and comments', async () => {
    const s = await scenario(STRONG, REWORDED)
    const wrongKey = 'sk-e2e-wrong-key-0000000000'
    const run = await s.run({
      inputs: { 'api-key': wrongKey, 'github-token': FAKE_GITHUB_TOKEN }
    })
    expect(run.code, explain(run)).toBe(1)
    expect(run.outputs['stop-reason']).toBe('provider-error')
    expect(commands(run, 'error')).toContainEqual(
      expect.stringMatching(/^::error::prompt-descent could not finish: .*401.*check the API key/)
    )
    const dir = join(s.repo.dir, 'prompt-descent-report')
    expect(run.outputs['report-junit']).toBe(join(dir, 'junit.xml'))
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as {
      stop: { reason: string; message: string }
      tasks: Array<{ examples: unknown[] }>
    }
    expect(report.stop.reason).toBe('provider-error')
    expect(report.stop.message).toMatch(/not scored, later tasks were not run/)
    expect(report.tasks[0]?.examples).toEqual([])
    expect(await readFile(join(dir, 'report.md'), 'utf8')).toContain(
      'Stopped early (provider error)'
    )
    const junit = await readFile(join(dir, 'junit.xml'), 'utf8')
    expect(junit).toMatch(/^<\?xml/)
    expect(junit).toContain('triage')
    expect(s.ourComments()[0]?.body).toContain('Stopped early (provider error)')
    // The head's first refusal ends the run: the base is not scored against a dead key.
    expect(s.ai.stats.ok).toBe(0)
    expect(await findLeaks(wrongKey, run, s.repo.dir, [])).toEqual([])
  })

  it('reads the base from git under a project in a subfolder and annotates the right path', async () => {
    const s = await scenario(STRONG, WEAK, { subdir: 'services/triage' })
    const run = await s.run({
      inputs: {
        'api-key': SECRET_API_KEY,
        'github-token': FAKE_GITHUB_TOKEN,
        config: 'services/triage/prompt-descent.yml'
      }
    })
    expect(run.code, explain(run)).toBe(1)
    expect(run.outputs['verdicts']).toBe(JSON.stringify({ triage: 'regressed' }))
    expect(commands(run, 'error')).toContainEqual(
      expect.stringMatching(/^::error title=[^:]*,file=services\/triage\/prompts\/triage\.md::/)
    )
    expect(s.ourComments()).toHaveLength(1)
  })

  it('says to set fetch-depth: 0 when the base commit is not in a shallow checkout', async () => {
    const s = await scenario(STRONG, REWORDED)
    const shallow = s.repo.shallowClone()
    const run = await s.run({ workspace: shallow })
    expect(run.code, explain(run)).toBe(1)
    const errors = commands(run, 'error')
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain(`the base commit ${s.repo.baseSha} is not in this checkout`)
    expect(errors[0]).toContain('fetch-depth: 0')
    expect(s.gh.state.comments).toEqual([])
  })

  it('takes the key from the job environment too, and never writes it anywhere', async () => {
    const s = await scenario(STRONG, WEAK)
    // The regression path writes the most text: failure messages, annotations and examples.
    const run = await s.run({
      inputs: { 'github-token': FAKE_GITHUB_TOKEN },
      env: { OPENAI_API_KEY: SECRET_API_KEY }
    })
    expect(run.code, explain(run)).toBe(1)
    // The fake provider answers only with the key, so every call carried it (50 rows a side: the
    // sequential gate settles this drop at its first look).
    expect(s.ai.stats.ok).toBe(2 * 50)
    expect(run.stdout.split('\n')).toContain(`::add-mask::${SECRET_API_KEY}`)
    expect(await listFiles(join(s.repo.dir, '.prompt-descent/cache'))).not.toEqual([])
    // (s.run checked stdout, stderr, summary, outputs, comments and every workspace file.)
  })

  it('turns a 403 on commenting into a warning that names pull-requests: write', async () => {
    const s = await scenario(STRONG, REWORDED)
    s.gh.inject({ method: 'POST', path: /\/issues\/\d+\/comments$/, status: 403 })
    const run = await s.run()
    expect(run.code, explain(run)).toBe(0)
    expect(run.outputs['passed']).toBe('true')
    expect(run.outputs['comment-id']).toBe('')
    expect(s.gh.state.comments).toEqual([])
    const warnings = commands(run, 'warning')
    expect(warnings).toContainEqual(expect.stringContaining('permissions: pull-requests: write'))
    expect(commands(run, 'error')).toEqual([])
    expect(run.summary).toContain(MARKER)
  })
})

describe('the built action against a hostile pull request (issue #18)', () => {
  it("takes only its own identity's comment: a person's copy of the marker is left alone", async () => {
    const s = await scenario(STRONG, REWORDED)
    const forged = s.gh.state.addComment(s.pr, `${MARKER}\nI am the report now`, 'mallory')
    const ours = s.gh.state.addComment(s.pr, `${MARKER}\nolder`, 'github-actions[bot]', 'Bot')
    const run = await s.run()
    expect(run.code, explain(run)).toBe(0)
    expect(forged.body).toBe(`${MARKER}\nI am the report now`)
    expect(ours.body).toContain('### prompt-descent')
    expect(run.outputs['comment-id']).toBe(String(ours.id))
    expect(commands(run, 'warning').join('\n')).not.toMatch(/comment|pull-requests/)
    expect(s.gh.requests.filter((r) => r.method === 'PATCH').map((r) => r.path)).toEqual([
      `/repos/${REPOSITORY}/issues/comments/${ours.id}`
    ])
  })

  it('refuses system_prompt: .git/config, naming the key and why; the saved credential goes nowhere', async () => {
    const s = await scenario(STRONG, REWORDED)
    const credential = 'AUTHORIZATION: basic eC1hY2Nlc3MtdG9rZW46Z2hzX2NoZWNrb3V0'
    await appendFile(join(s.repo.dir, '.git/config'), `[http]\n\textraheader = ${credential}\n`)
    const configPath = join(s.repo.dir, CONFIG_FILE)
    const config = await readFile(configPath, 'utf8')
    await writeFile(configPath, `${config}system_prompt: .git/config\n`)
    const run = await s.run()
    expect(run.code, explain(run)).not.toBe(0)
    const errors = commands(run, 'error').join('\n')
    expect(errors).toContain('system_prompt')
    expect(errors).toContain('is inside .git/')
    const bodies = s.gh.state.comments.map((c) => c.body).join('\n')
    for (const place of [run.stdout, run.stderr, run.summary, bodies])
      expect(place).not.toContain('eC1hY2Nlc3MtdG9rZW46Z2hzX2NoZWNrb3V0')
    expect(s.ai.stats.requests).toBe(0)
  })

  it('a report folder linked outside the workspace is refused; summary, comment and outputs still published', async () => {
    const s = await scenario(STRONG, REWORDED)
    const outside = await mkdtemp(join(tmpdir(), 'pd-outside-'))
    cleanups.push(() => rm(outside, { recursive: true, force: true }))
    await writeFile(join(outside, 'report.md'), 'precious')
    await symlink(outside, join(s.repo.dir, 'prompt-descent-report'))
    const run = await s.run()
    expect(run.code, explain(run)).toBe(0)
    const warnings = commands(run, 'warning').join('\n')
    expect(warnings).toContain('could not write the report')
    expect(warnings).toContain('a symbolic link leads outside the repository')
    expect(await readFile(join(outside, 'report.md'), 'utf8')).toBe('precious')
    expect(await readdir(outside)).toEqual(['report.md'])
    expect(run.summary).toContain(MARKER)
    expect(s.ourComments()).toHaveLength(1)
    expect(run.outputs['passed']).toBe('true')
    expect(run.outputs['report-json']).toBe('')
    expect(run.outputs['comment-id']).toBe(String(s.ourComments()[0]?.id))
  })

  it('a report write that fails is a warning naming the path; nothing else is lost, no empty report', async () => {
    const s = await scenario(STRONG, REWORDED)
    // A file where the folder should be: every write under it fails, as on a full disk.
    await writeFile(join(s.repo.dir, 'blocked'), 'not a folder')
    const run = await s.run({
      inputs: {
        'api-key': SECRET_API_KEY,
        'github-token': FAKE_GITHUB_TOKEN,
        'report-dir': 'blocked/reports'
      }
    })
    expect(run.code, explain(run)).toBe(0)
    const warnings = commands(run, 'warning').join('\n')
    expect(warnings).toContain(
      `could not write the report ${join(s.repo.dir, 'blocked/reports/report.json')}`
    )
    expect(warnings).toContain('report.md')
    expect(run.summary).toContain(MARKER)
    expect(s.ourComments()).toHaveLength(1)
    expect(run.outputs['score']).toMatch(/^0\.\d+|^1$/)
    expect(run.outputs['report-json']).toBe('')
    expect(await readFile(join(s.repo.dir, 'blocked'), 'utf8')).toBe('not a folder')
  })
})
