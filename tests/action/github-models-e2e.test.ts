/**
 * End to end with the BUILT action: a repository of only .prompt.yml files, no config and no API
 * key. The action calls a fake GitHub Models endpoint with the workflow token (the github-token
 * input), gates base vs head with one sticky comment, and on a fork whose token GitHub Models
 * refuses, skips with a summary saying why.
 */
import { existsSync } from 'node:fs'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { FAKE_GITHUB_TOKEN, startFakeGitHubServer } from '../helpers/fake-github-server.js'
import {
  createPromptFileRepo,
  PROMPT_FILE_PATH,
  promptFileTask,
  startSimulatedGitHubModels
} from '../helpers/github-prompt-repo.js'
import { findLeaks } from './leaks.js'
import { ACTION_ENTRY, runAction } from './run-action.js'
import type { ActionRun } from './run-action.js'

const MARKER = '<!-- prompt-descent:prompt-descent.yml -->'
const REPOSITORY = 'octo/prompts'
const task = promptFileTask(40)
const BROKEN = 'Which queue does this ticket belong to?\n\n{{text}}'

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

beforeAll(() => {
  if (!existsSync(ACTION_ENTRY))
    throw new Error(`${ACTION_ENTRY} is missing: run \`npm run build\` before these tests`)
})

function explain(run: ActionRun): string {
  return `exit ${String(run.code)}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`
}

/** The models endpoint accepts `modelsToken`; the action is given FAKE_GITHUB_TOKEN. */
async function scenario(modelsToken: string, rowsTask = task) {
  const models = await startSimulatedGitHubModels(modelsToken)
  cleanups.push(() => models.close())
  const gh = await startFakeGitHubServer({ owner: 'octo', repo: 'prompts' })
  cleanups.push(() => gh.close())
  const repo = await createPromptFileRepo(rowsTask, BROKEN, rowsTask.initialPrompt)
  cleanups.push(() => repo.cleanup())
  const pull = gh.state.addFeaturePull('Ask for the answer tag')
  const run = async (options: { fork?: boolean; inputs?: Record<string, string> } = {}) => {
    const result = await runAction({
      workspace: repo.dir,
      repository: REPOSITORY,
      apiUrl: gh.url,
      pullRequest: {
        number: pull.number,
        baseSha: repo.baseSha,
        headSha: repo.headSha,
        headRepo: options.fork ? 'contributor/prompts' : REPOSITORY
      },
      // No api-key anywhere: only the workflow token.
      inputs: { 'github-token': FAKE_GITHUB_TOKEN, ...options.inputs },
      env: { GITHUB_MODELS_BASE_URL: models.url }
    })
    const bodies = gh.state.comments.map((c) => c.body)
    expect(await findLeaks(FAKE_GITHUB_TOKEN, result, repo.dir, bodies)).toEqual([])
    return result
  }
  const ourComments = () => gh.state.commentsOn(pull.number).filter((c) => c.body.includes(MARKER))
  return { models, gh, repo, run, ourComments }
}

describe('the built action on a repository of .prompt.yml files', () => {
  it('gates base vs head on GitHub Models with the workflow token, in one sticky comment', async () => {
    const s = await scenario(FAKE_GITHUB_TOKEN)
    const first = await s.run()
    expect(first.code, explain(first)).toBe(0)
    expect(first.outputs).toMatchObject({ skipped: 'false', 'stop-reason': 'completed' })
    const delta = (JSON.parse(first.outputs['deltas'] ?? '{}') as Record<string, number>)['triage']
    expect(delta).toBeGreaterThan(0.2)
    expect(s.models.stats.requests).toBe(2 * task.rows.length)
    expect(s.models.record.every((r) => r.model === 'openai/gpt-4o-mini' && r.status === 200)).toBe(
      true
    )
    const comments = s.ourComments()
    expect(comments).toHaveLength(1)
    expect(comments[0]?.body).toContain('triage')
    expect(comments[0]?.body).toContain('↳ right queue')

    const second = await s.run()
    expect(second.code, explain(second)).toBe(0)
    expect(s.ourComments()).toHaveLength(1)
    expect(s.gh.state.comments).toHaveLength(1)
  })

  it('a handful of rows: the comment and the job summary say what they can show', async () => {
    const s = await scenario(FAKE_GITHUB_TOKEN, promptFileTask(5))
    const run = await s.run()
    expect(run.code, explain(run)).toBe(0)
    const note =
      'triage has only 5 rows: a score is known to about ±44 points (95%), and no drop can be shown to be more than noise'
    expect(s.ourComments()[0]?.body).toContain('**Few rows.**')
    expect(s.ourComments()[0]?.body).toContain(note)
    expect(run.summary).toContain('**Few rows.**')
    expect(run.summary).toContain(note)
  })

  it('on a fork whose token GitHub Models refuses: skipped with a summary saying why', async () => {
    const s = await scenario('ghs_a_token_the_fork_does_not_get')
    const skipped = await s.run({ fork: true })
    expect(skipped.code, explain(skipped)).toBe(0)
    expect(skipped.outputs['skipped']).toBe('true')
    expect(skipped.summary).toContain('prompt-descent: skipped')
    expect(skipped.summary).toContain('models: read')
    expect(s.ourComments()).toHaveLength(0)

    const failed = await s.run({ fork: true, inputs: { 'fail-without-key': 'true' } })
    expect(failed.code).not.toBe(0)
    expect(failed.stdout).toMatch(/::error::.*GitHub Models refused the workflow token/)
  })

  it('optimizes into a pull request that edits the .prompt.yml itself', async () => {
    const models = await startSimulatedGitHubModels(FAKE_GITHUB_TOKEN)
    cleanups.push(() => models.close())
    // main holds the weak prompt in both commits' place: optimize works on the checked-out main.
    const repo = await createPromptFileRepo(task, task.initialPrompt, task.initialPrompt)
    cleanups.push(() => repo.cleanup())
    const gh = await startFakeGitHubServer({
      owner: 'octo',
      repo: 'prompts',
      files: repo.trackedFiles()
    })
    cleanups.push(() => gh.close())
    const run = await runAction({
      workspace: repo.dir,
      repository: REPOSITORY,
      apiUrl: gh.url,
      event: {
        name: 'workflow_dispatch',
        ref: 'refs/heads/main',
        sha: repo.headSha,
        payload: { ref: 'refs/heads/main', inputs: {}, repository: { full_name: REPOSITORY } }
      },
      inputs: { mode: 'optimize', 'github-token': FAKE_GITHUB_TOKEN, 'max-calls': '3000' },
      env: { GITHUB_MODELS_BASE_URL: models.url }
    })
    expect(run.code, explain(run)).toBe(0)
    expect(run.outputs['pr-operation'], explain(run)).toBe('created')
    const branch = run.outputs['pr-branch'] ?? ''
    const sha = gh.state.refs.get(branch) ?? ''
    const changed = gh.state.changedFiles(sha)
    expect(Object.keys(changed)).toEqual([PROMPT_FILE_PATH])
    const before = repo.trackedFiles()[PROMPT_FILE_PATH] ?? ''
    const after = changed[PROMPT_FILE_PATH] ?? ''
    expect(after).not.toBe(before)
    const from = (text: string, key: string) => text.slice(text.indexOf(key))
    expect(from(after, 'testData:')).toBe(from(before, 'testData:'))
    const upTo = (text: string) => text.slice(0, text.indexOf('    content: |'))
    expect(upTo(after)).toBe(upTo(before))
    expect(models.record.every((r) => r.model === 'openai/gpt-4o-mini')).toBe(true)
    const written = [...gh.state.pulls.flatMap((p) => [p.title, p.body])]
    expect(await findLeaks(FAKE_GITHUB_TOKEN, run, repo.dir, written)).toEqual([])
  })
  it('refuses an optimize pull request before any call when no held-out row could confirm a gain', async () => {
    const models = await startSimulatedGitHubModels(FAKE_GITHUB_TOKEN)
    cleanups.push(() => models.close())
    const small = promptFileTask(5)
    const repo = await createPromptFileRepo(small, small.initialPrompt, small.initialPrompt)
    cleanups.push(() => repo.cleanup())
    const gh = await startFakeGitHubServer({
      owner: 'octo',
      repo: 'prompts',
      files: repo.trackedFiles()
    })
    cleanups.push(() => gh.close())
    const run = await runAction({
      workspace: repo.dir,
      repository: REPOSITORY,
      apiUrl: gh.url,
      event: {
        name: 'workflow_dispatch',
        ref: 'refs/heads/main',
        sha: repo.headSha,
        payload: { ref: 'refs/heads/main', inputs: {}, repository: { full_name: REPOSITORY } }
      },
      inputs: { mode: 'optimize', 'github-token': FAKE_GITHUB_TOKEN },
      env: { GITHUB_MODELS_BASE_URL: models.url }
    })
    expect(run.code, explain(run)).not.toBe(0)
    expect(run.stdout).toMatch(
      /::error::.*an optimize pull request needs held-out rows to confirm a gain before it changes a prompt: triage has \d held-out \(test\) rows?; confirming a gain at 95%(25)? confidence takes at least 6 — about 24 rows in all/
    )
    expect(models.stats.requests).toBe(0)
    expect(gh.state.pulls).toHaveLength(0)
  })
})
