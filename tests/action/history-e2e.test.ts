/**
 * End to end: the BUILT action (dist/index.js) in eval mode on pushes to the default branch with
 * `history: true`, against the fake GitHub REST server: each push appends a record to the history
 * on the data branch with a chart per task; a planted regression raises an alert (a commit comment,
 * and a failed check with `alert-on-regression: fail`); a reworded prompt raises none.
 * As in gate-e2e: it tests dist/, which CI's check-dist keeps equal to what src/ builds to.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { FAKE_GITHUB_TOKEN, startFakeGitHubServer } from '../helpers/fake-github-server.js'
import { createFixtureRepo, promptAddressing, TASK_TRAITS, triageTask } from './fixture-repo.js'
import type { FixtureRepo } from './fixture-repo.js'
import { runAction } from './run-action.js'
import type { ActionRun } from './run-action.js'
import { SECRET_API_KEY, startSimulatedOpenAI } from './simulated-server.js'

const REPOSITORY = 'octo/prompts'
const task = triageTask(80)
const STRONG = promptAddressing(task, TASK_TRAITS)
const REWORDED = promptAddressing(task, TASK_TRAITS, 'Please read the whole ticket first. ')
const WEAK = promptAddressing(task, [])

const cleanups: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

async function setup() {
  const ai = await startSimulatedOpenAI()
  cleanups.push(() => ai.close())
  const gh = await startFakeGitHubServer({ owner: 'octo', repo: 'prompts' })
  cleanups.push(() => gh.close())
  const repo: FixtureRepo = await createFixtureRepo({
    baseUrl: ai.url,
    basePrompt: STRONG,
    headPrompt: STRONG,
    task,
    gate: { max_drop: 0.02, confidence: 0.95 }
  })
  cleanups.push(() => repo.cleanup())
  repo.checkout('feature')
  /** One push: commits `prompt`, runs the action on it with history on. */
  const push = async (prompt: string, inputs: Record<string, string> = {}): Promise<ActionRun> => {
    const sha = await repo.pushPrompt(prompt)
    // The remote knows the pushed commit (commit comments are made on it).
    gh.state.commits.set(sha, {
      sha,
      treeSha: gh.state.writeTree(new Map()),
      parents: [],
      message: 'push'
    })
    return runAction({
      workspace: repo.dir,
      repository: REPOSITORY,
      apiUrl: gh.url,
      event: {
        name: 'push',
        payload: { ref: 'refs/heads/main', after: sha },
        ref: 'refs/heads/main',
        sha
      },
      inputs: {
        'api-key': SECRET_API_KEY,
        'github-token': FAKE_GITHUB_TOKEN,
        history: 'true',
        ...inputs
      }
    })
  }
  const history = () => {
    const text = gh.state.fileAt('prompt-descent-data', 'history/history.json')
    return text === undefined
      ? undefined
      : (JSON.parse(text) as { records: Array<{ sha: string }> })
  }
  /** A pull request run with history on: the gate comment gets a trend column. */
  const pullRequest = async (): Promise<ActionRun> => {
    const pull = gh.state.addFeaturePull('Tweak the prompt')
    return runAction({
      workspace: repo.dir,
      repository: REPOSITORY,
      apiUrl: gh.url,
      pullRequest: { number: pull.number, baseSha: repo.baseSha, headSha: repo.headSha },
      inputs: { 'api-key': SECRET_API_KEY, 'github-token': FAKE_GITHUB_TOKEN, history: 'true' }
    })
  }
  return { gh, repo, push, history, pullRequest }
}

const explain = (run: ActionRun): string =>
  `exit ${String(run.code)}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`

describe('history mode of the action', () => {
  it('appends one record per push with a chart, and alerts on a planted drop only', async () => {
    const { gh, repo, push, history, pullRequest } = await setup()
    const first = await push(STRONG)
    expect(first.code, explain(first)).toBe(0)
    expect(first.outputs['history-records']).toBe('1')
    expect(history()?.records).toHaveLength(1)
    const chart = gh.state.fileAt('prompt-descent-data', 'history/charts/triage.svg')
    expect(chart).toMatch(/^<svg[\s\S]*<\/svg>\s*$/)
    expect(first.summary).toContain('prompt-descent score history')
    // The history and its charts are in the report folder too, for upload-artifact.
    const artifact = await readFile(
      join(repo.dir, 'prompt-descent-report/history/history.json'),
      'utf8'
    )
    expect((JSON.parse(artifact) as { records: unknown[] }).records).toHaveLength(1)
    expect(
      await readFile(join(repo.dir, 'prompt-descent-report/history/charts/triage.svg'), 'utf8')
    ).toMatch(/^<svg/)

    // A reworded prompt: within noise, so no alert.
    const second = await push(REWORDED)
    expect(second.code, explain(second)).toBe(0)
    expect(second.outputs['history-records']).toBe('2')
    expect(second.outputs['regressions']).toBe('[]')
    expect(gh.state.commitComments).toHaveLength(0)

    // The rules dropped: a significant fall against the previous record.
    const third = await push(WEAK)
    expect(third.code, explain(third)).toBe(0)
    expect(third.outputs['regressions']).toBe('["triage"]')
    expect(history()?.records).toHaveLength(3)
    expect(gh.state.commitComments).toHaveLength(1)
    expect(gh.state.commitComments[0]?.body).toMatch(/dropped/)
    expect(gh.state.commitComments[0]?.commitId).toBe(history()?.records[2]?.sha)

    // A pull request with history on: the gate table shows each task's recent scores, and the
    // pull request itself adds no record (its baseline is its base commit).
    const pr = await pullRequest()
    // The working tree holds the weak prompt: against the strong base the gate fails, as it should.
    expect(pr.code, explain(pr)).toBe(1)
    const comment = gh.state.comments.find((c) => c.body.includes('<!-- prompt-descent:'))
    expect(comment?.body).toMatch(/\| verdict \| history \|/)
    expect(comment?.body).toMatch(/\| triage \|[^\n]*\| [▁▂▃▄▅▆▇█]{3} \|/)
    expect(history()?.records).toHaveLength(3)
  })

  it('fails the check on a regression with alert-on-regression: fail, and keeps the cap', async () => {
    const { push, history } = await setup()
    const keep = { 'history-max-records': '2', 'alert-on-regression': 'fail' }
    expect((await push(STRONG, keep)).code).toBe(0)
    expect((await push(REWORDED, keep)).code).toBe(0)
    const drop = await push(WEAK, keep)
    expect(drop.code, explain(drop)).toBe(1)
    expect(drop.stdout).toMatch(/::error::a score dropped significantly[^\n]*triage/)
    // Three pushes, a cap of two: the newest two are kept.
    expect(history()?.records).toHaveLength(2)
  })
})
