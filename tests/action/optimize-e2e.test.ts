/**
 * End to end, `mode: optimize`: the BUILT action (dist/index.js) run as a subprocess with the
 * environment a runner sets, in a temporary git repository, against the fake GitHub REST server and
 * the fake OpenAI-compatible server answering as the simulated target and optimizer models.
 *
 * It tests dist/, not src/: after changing src/, run `npm run build` first.
 */
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { parse, stringify } from 'yaml'
import { OPTIMIZE_METHODS } from '../../src/config/methods.js'
import type { OptimizeMethod } from '../../src/config/methods.js'
import type { RunReport } from '../../src/report/types.js'
import { writeDemoRepository } from '../../src/simulate/demo-repo.js'
import { DEFAULT_SYSTEM_PROMPT } from '../../src/simulate/index.js'
import { FAKE_GITHUB_TOKEN, startFakeGitHubServer } from '../helpers/fake-github-server.js'
import type { FakeGitHubServer } from '../helpers/fake-github-server.js'
import { FakeHttpError } from '../helpers/fake-openai-server.js'
import type { FakeOpenAI, FakeRequestContext } from '../helpers/fake-openai-server.js'
import {
  commitWorkspace,
  createFixtureRepo,
  promptAddressing,
  PROMPT_FILE,
  SYSTEM_FILE,
  TASK_TRAITS,
  trackedFiles,
  triageTask
} from './fixture-repo.js'
import type { FixtureRepo } from './fixture-repo.js'
import { findLeaks } from './leaks.js'
import { ACTION_ENTRY, issueCommentEvent, runAction } from './run-action.js'
import type { ActionRun, OtherEvent } from './run-action.js'
import { SECRET_API_KEY, startSimulatedOpenAI } from './simulated-server.js'

const OWNER = 'octo'
const NAME = 'prompts'
const REPOSITORY = `${OWNER}/${NAME}`
const task = triageTask(80)

/** The weak prompt: no rule for any trap, so there is a lot to gain. */
const WEAK = promptAddressing(task, [])
/** Every rule the rows need: the simulated model gets (nearly) all of them right already. */
const STRONG = promptAddressing(task, TASK_TRAITS)
/** A small search, so a run takes about a second. */
const SMALL_APO = {
  rounds: 2,
  beam: 2,
  minibatch: 16,
  selection_budget: 64,
  paraphrases: 1,
  error_groups: 2
}
const APO_BRANCH = 'prompt-descent/optimize/triage'

interface Scenario {
  ai: FakeOpenAI
  gh: FakeGitHubServer
  repo: FixtureRepo
  run(options?: { inputs?: Record<string, string>; event?: OtherEvent }): Promise<ActionRun>
  /** Pull requests whose head is `branch`. */
  pullsFrom(branch: string): FakeGitHubServer['state']['pulls']
}

const cleanups: Array<() => Promise<void>> = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

beforeAll(() => {
  if (!existsSync(ACTION_ENTRY)) {
    throw new Error(`${ACTION_ENTRY} is missing: run \`npm run build\` before these tests`)
  }
})

function dispatch(repo: FixtureRepo): OtherEvent {
  return {
    name: 'workflow_dispatch',
    ref: 'refs/heads/main',
    sha: repo.headSha,
    payload: { ref: 'refs/heads/main', inputs: {}, repository: { full_name: REPOSITORY } }
  }
}

/**
 * A repository whose prompt is `basePrompt` on main, checked out in the workspace and mirrored on
 * the fake GitHub's main; with `headPrompt`, a pull request from `feature` changes it (the
 * workspace then holds the feature branch, as `refs/pull/<n>/head` would).
 */
async function scenario(options: {
  basePrompt: string
  headPrompt?: string
  optimize?: Record<string, unknown>
  systemPrompt?: string
  /** Sees each model request first; may throw a FakeHttpError. */
  fault?: (context: FakeRequestContext) => void
}): Promise<Scenario> {
  const ai = await startSimulatedOpenAI(5, options.fault)
  cleanups.push(() => ai.close())
  const repo = await createFixtureRepo({
    baseUrl: ai.url,
    basePrompt: options.basePrompt,
    headPrompt: options.headPrompt ?? options.basePrompt,
    task,
    optimize: options.optimize ?? { method: 'apo', seed: 3, apo: SMALL_APO },
    systemPrompt: options.systemPrompt
  })
  cleanups.push(() => repo.cleanup())
  const files = repo.trackedFiles()
  const gh = await startFakeGitHubServer({
    owner: OWNER,
    repo: NAME,
    files: { ...files, [PROMPT_FILE]: options.basePrompt }
  })
  cleanups.push(() => gh.close())
  const pullsFrom = (branch: string) => gh.state.pulls.filter((p) => p.head === branch)
  return {
    ai,
    gh,
    repo,
    pullsFrom,
    async run(runOptions = {}) {
      const result = await runAction({
        workspace: repo.dir,
        repository: REPOSITORY,
        apiUrl: gh.url,
        event: runOptions.event ?? dispatch(repo),
        inputs: runOptions.inputs ?? {
          mode: 'optimize',
          'api-key': SECRET_API_KEY,
          'github-token': FAKE_GITHUB_TOKEN
        }
      })
      const written = [
        ...gh.state.comments.map((c) => c.body),
        ...gh.state.pulls.flatMap((p) => [p.title, p.body]),
        ...[...gh.state.blobs.values()].map((b) => b.toString('utf8'))
      ]
      expect(await findLeaks(SECRET_API_KEY, result, repo.dir, written)).toEqual([])
      expect(await findLeaks(FAKE_GITHUB_TOKEN, result, repo.dir, written)).toEqual([])
      return result
    }
  }
}

function explain(run: ActionRun): string {
  return `exit ${String(run.code)}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`
}

async function reportOf(run: ActionRun): Promise<RunReport> {
  return JSON.parse(await readFile(run.outputs['report-json'] ?? '', 'utf8')) as RunReport
}

/** The commit a branch points at, and what it changed relative to its parent. */
function branchCommit(gh: FakeGitHubServer, branch: string) {
  const sha = gh.state.refs.get(branch)
  if (!sha) throw new Error(`no branch ${branch}`)
  const commit = gh.state.commits.get(sha)
  return { sha, parents: commit?.parents ?? [], changed: gh.state.changedFiles(sha) }
}

const OPTIMIZE_INPUTS = {
  mode: 'optimize',
  'api-key': SECRET_API_KEY,
  'github-token': FAKE_GITHUB_TOKEN,
  'pr-labels': 'prompts, automated',
  'pr-reviewers': 'alice'
}

describe('the built action in optimize mode', () => {
  it('opens a pull request with exactly the improved prompt, then updates the same one', async () => {
    const s = await scenario({ basePrompt: WEAK })
    const first = await s.run({ inputs: OPTIMIZE_INPUTS })
    expect(first.code, explain(first)).toBe(0)
    expect(first.stderr).toBe('')
    expect(first.outputs).toMatchObject({
      'pr-operation': 'created',
      'pr-branch': APO_BRANCH,
      'stop-reason': expect.stringMatching(/^(completed|no-gain)$/),
      verdicts: JSON.stringify({ triage: 'improved' })
    })

    // The evidence: the proposed prompt is the report's best, written the way the file was.
    const report = await reportOf(first)
    const proposed = report.optimization?.prompts[0]
    expect(proposed?.file).toBe(PROMPT_FILE)
    expect(proposed?.before).not.toBe(proposed?.after)
    const expected = `${proposed?.after.trimEnd() ?? ''}\n`
    expect(expected).toContain('{{text}}')

    const pulls = s.pullsFrom(APO_BRANCH)
    expect(pulls).toHaveLength(1)
    const pull = pulls[0]!
    expect(first.outputs['pr-number']).toBe(String(pull.number))
    expect(first.outputs['pr-url']).toBe(`https://github.com/${REPOSITORY}/pull/${pull.number}`)
    expect(pull).toMatchObject({
      base: 'main',
      state: 'open',
      draft: false,
      title: 'prompt-descent: improve the triage prompt',
      labels: ['prompts', 'automated'],
      requestedReviewers: ['alice']
    })

    // One commit on top of main, changing exactly the prompt file, with the new text.
    const mainSha = s.gh.state.refs.get('main')!
    const commit = branchCommit(s.gh, APO_BRANCH)
    expect(commit.parents).toEqual([mainSha])
    expect(commit.changed).toEqual({ [PROMPT_FILE]: expected })

    // The body is the evidence, under GitHub's limit.
    const body = pull.body
    expect(body.length).toBeLessThan(65_536)
    expect(body).toContain('#### Result on the held-out test split')
    expect(body).toContain('✅ improved')
    expect(body).toMatch(/\| triage \| 20 \| [\d.]+% \[[\d.]+, [\d.]+\] \| [\d.]+% \[/)
    expect(body).toContain('<details><summary>Diff</summary>')
    expect(body).toContain(`+++ b/${PROMPT_FILE}`)
    expect(body).toContain('How it was found (lineage)')
    expect(body).toMatch(/\*\*\d+ candidates\*\* tried in \d+ rounds/)
    expect(body).toContain('#### Cost')
    expect(body).toContain('#### Reproduce')
    expect(body).toContain(`--method apo --task triage --prompt user --seed ${report.seed}`)
    // What works today: the committed CLI of a clone, not npx of a package that is not published.
    expect(body).toContain('node prompt-descent/dist/cli/index.js optimize --config')
    expect(body).toContain('is not on npm yet')
    expect(body).not.toContain('npx prompt-descent@')
    expect(body).toContain(report.config.hash.slice(0, 16))
    expect(body).toContain('mode: optimize')

    expect(first.summary).toContain(`### prompt-descent: pull request [#${pull.number}]`)
    expect(first.summary).toContain('opened')

    // Main moves on; the next scheduled run rebases the suggestion and updates the same PR. Every
    // answer comes from the response cache: the same seed asks the same questions.
    const requests = s.ai.stats.requests
    const movedMain = s.gh.state.commitFiles('main', { 'README.md': '# prompts\n\nMore.\n' })
    const second = await s.run({ inputs: OPTIMIZE_INPUTS })
    expect(second.code, explain(second)).toBe(0)
    expect(s.ai.stats.requests).toBe(requests)
    expect(second.outputs).toMatchObject({
      'pr-operation': 'updated',
      'pr-number': String(pull.number)
    })
    expect(s.pullsFrom(APO_BRANCH)).toHaveLength(1)
    expect(s.gh.state.pulls).toHaveLength(1)
    const rebased = branchCommit(s.gh, APO_BRANCH)
    expect(rebased.parents).toEqual([movedMain])
    expect(rebased.changed).toEqual({ [PROMPT_FILE]: expected })
    // Reviewers are asked once, when the PR opens.
    expect(
      s.gh.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/requested_reviewers'))
    ).toHaveLength(1)

    // Nothing moved: the branch already holds the suggestion.
    const third = await s.run({ inputs: OPTIMIZE_INPUTS })
    expect(third.code, explain(third)).toBe(0)
    expect(third.outputs['pr-operation']).toBe('unchanged')
    expect(branchCommit(s.gh, APO_BRANCH).sha).toBe(rebased.sha)
    expect(s.gh.state.pulls).toHaveLength(1)
  })

  it('opens nothing when the prompt is already as good as it gets, and says why', async () => {
    const s = await scenario({ basePrompt: STRONG })
    // An earlier suggestion is still open: a run without gain leaves it alone.
    s.gh.state.commitFiles(APO_BRANCH, { [PROMPT_FILE]: WEAK })
    const earlier = s.gh.state.addPull({
      title: 'prompt-descent: improve the triage prompt',
      body: 'an earlier suggestion',
      head: APO_BRANCH,
      base: 'main',
      state: 'open',
      draft: false,
      user: { login: 'github-actions[bot]', type: 'Bot' }
    })
    const branchBefore = s.gh.state.refs.get(APO_BRANCH)
    const run = await s.run()
    expect(run.code, explain(run)).toBe(0)
    expect(run.outputs).toMatchObject({
      'pr-operation': 'no-gain',
      'pr-number': String(earlier.number),
      'pr-branch': APO_BRANCH
    })
    expect(run.summary).toContain('### prompt-descent: no pull request — no significant gain')
    expect(run.summary).toMatch(
      /by more than noise|no prompt that beat the current one|significantly worse/
    )
    expect(run.summary).toContain(`An earlier suggestion is still open: [#${earlier.number}]`)
    expect(s.gh.state.pulls).toHaveLength(1)
    expect(s.gh.state.pulls[0]).toMatchObject({ state: 'open', body: 'an earlier suggestion' })
    expect(s.gh.state.refs.get(APO_BRANCH)).toBe(branchBefore)
    expect(s.gh.requests.filter((r) => r.method !== 'GET')).toEqual([])
  })

  it('opens nothing when the budget is too small to find and prove a gain', async () => {
    const s = await scenario({ basePrompt: WEAK })
    const run = await s.run({
      inputs: {
        mode: 'optimize',
        'api-key': SECRET_API_KEY,
        'github-token': FAKE_GITHUB_TOKEN,
        'max-calls': '20'
      }
    })
    expect(run.code, explain(run)).toBe(0)
    expect(s.ai.stats.requests).toBeLessThanOrEqual(20)
    expect(run.outputs).toMatchObject({
      'pr-operation': 'no-gain',
      'pr-number': '',
      'stop-reason': 'budget'
    })
    expect(run.stdout).toMatch(/::warning::the optimization stopped at the budget/)
    expect(run.summary).toContain('no significant gain')
    expect(s.gh.state.pulls).toEqual([])
    expect(s.gh.state.refs.has(APO_BRANCH)).toBe(false)
  })

  it('proposes a MetaSPO system prompt from its own branch, with the files it changed', async () => {
    const s = await scenario({
      basePrompt: WEAK,
      systemPrompt: `${DEFAULT_SYSTEM_PROMPT}\n`,
      optimize: {
        method: 'metaspo',
        metaspo: { iterations: 2, user_candidates: 2, user_top_k: 2, system_candidates: 3 }
      }
    })
    const run = await s.run()
    expect(run.code, explain(run)).toBe(0)
    expect(run.outputs).toMatchObject({
      'pr-operation': 'created',
      'pr-branch': 'prompt-descent/optimize/system-prompt'
    })
    const report = await reportOf(run)
    const changed = (report.optimization?.prompts ?? []).filter((p) => p.after !== p.before)
    expect(changed.map((p) => p.file)).toContain(SYSTEM_FILE)
    const commit = branchCommit(s.gh, 'prompt-descent/optimize/system-prompt')
    expect(commit.changed).toEqual(
      Object.fromEntries(changed.map((p) => [p.file, `${p.after.trimEnd()}\n`]))
    )
    const [pull] = s.pullsFrom('prompt-descent/optimize/system-prompt')
    expect(pull?.title).toBe('prompt-descent: improve the shared system prompt')
    expect(pull?.body).toContain('--method metaspo')
  })
})

describe('the built action in optimize mode after a fatal provider error', () => {
  const FAULTS = [
    { status: 401, after: 0, text: 'Bad credentials', expect: /401.*check the API key/ },
    {
      status: 404,
      after: 12,
      text: 'The model does not exist',
      expect: /404: The model does not exist — check the model name/
    }
  ] as const
  const METHOD_CONFIG: Record<OptimizeMethod, Record<string, unknown>> = {
    apo: { method: 'apo', seed: 3, apo: SMALL_APO },
    gepa: { method: 'gepa', seed: 3, gepa: { max_calls: 400, minibatch: 4 } },
    metaspo: {
      method: 'metaspo',
      seed: 3,
      metaspo: { iterations: 1, user_candidates: 2, user_top_k: 1, system_candidates: 2 }
    }
  }
  for (const method of OPTIMIZE_METHODS) {
    for (const fault of FAULTS) {
      it(`${method}: a ${fault.status} still writes the report folder, the summary and the outputs, then fails`, async () => {
        const s = await scenario({
          basePrompt: WEAK,
          systemPrompt: `${DEFAULT_SYSTEM_PROMPT}\n`,
          optimize: METHOD_CONFIG[method],
          fault: (context) => {
            if (context.index >= fault.after) throw new FakeHttpError(fault.status, fault.text)
          }
        })
        const run = await s.run()
        expect(run.code, explain(run)).toBe(1)
        expect(run.stdout).toMatch(/::error::prompt-descent could not finish: /)
        expect(run.stdout).toMatch(fault.expect)
        expect(run.stdout + run.stderr).not.toMatch(/\n\s+at /)
        expect(run.outputs).toMatchObject({
          'stop-reason': 'provider-error',
          'pr-operation': 'no-gain'
        })

        const report = await reportOf(run)
        expect(report.kind).toBe('optimize')
        expect(report.stop).toMatchObject({ reason: 'provider-error', status: fault.status })
        expect(report.stop.message).toMatch(fault.expect)
        if (fault.after > 0) expect(report.optimization?.method).toBe(method)
        const markdown = await readFile(run.outputs['report-markdown'] ?? '', 'utf8')
        expect(markdown).toMatch(/Stopped early \(provider error\)/)
        const junit = await readFile(run.outputs['report-junit'] ?? '', 'utf8')
        expect(junit).toContain('type="stopped:provider-error"')

        expect(run.summary).toContain(
          '### prompt-descent: no pull request — the run could not finish (provider error)'
        )
        expect(run.summary).toMatch(fault.expect)
        expect(s.gh.state.pulls).toEqual([])
      })
    }
  }
})

describe('the built action in optimize mode with method: gepa', () => {
  it('opens a pull request editing the prompt file, its body showing the lineage', async () => {
    const s = await scenario({
      basePrompt: WEAK,
      optimize: {
        method: 'gepa',
        seed: 3,
        gepa: { preset: 'light', minibatch: 3, confirm: 2, dev_rows: 12 }
      }
    })
    const run = await s.run({ inputs: OPTIMIZE_INPUTS })
    expect(run.code, explain(run)).toBe(0)
    expect(run.outputs).toMatchObject({
      'pr-operation': 'created',
      'pr-branch': APO_BRANCH,
      verdicts: JSON.stringify({ triage: 'improved' })
    })
    const report = await reportOf(run)
    expect(report.optimization?.method).toBe('gepa')
    const proposed = report.optimization?.prompts[0]
    expect(proposed?.file).toBe(PROMPT_FILE)
    expect(proposed?.after).not.toBe(proposed?.before)

    // One commit on main changing exactly the prompt file, to the report's best prompt.
    const commit = branchCommit(s.gh, APO_BRANCH)
    expect(commit.parents).toEqual([s.gh.state.refs.get('main')])
    expect(commit.changed).toEqual({ [PROMPT_FILE]: `${proposed?.after.trimEnd() ?? ''}\n` })

    const [pull] = s.pullsFrom(APO_BRANCH)
    const body = pull?.body ?? ''
    expect(pull?.title).toBe('prompt-descent: improve the triage prompt')
    expect(body.length).toBeLessThan(65_536)
    expect(body).toContain('#### Result on the held-out test split')
    expect(body).toMatch(/\| triage \| 20 \| [\d.]+% \[[\d.]+, [\d.]+\] \| [\d.]+% \[/)
    // The lineage summary: the candidate tree with the proposed prompt starred, the ledger line
    // and the front; how to repeat the run names the method.
    const details = report.optimization?.details as { bestId: string; front: string[] }
    expect(body).toContain('#### Candidate tree')
    expect(body).toContain(`\`${details.bestId}\` ★`)
    expect(body).toMatch(/Target calls \d+: seed on dev 12, parents on minibatches \d+/)
    expect(body).toContain('#### Pareto front at the end')
    for (const id of details.front) expect(body).toContain(`\`${id}\``)
    expect(body).toContain(`--method gepa --task triage --prompt user --seed ${report.seed}`)
    expect(body).toContain('#### Cost')
  })
})

describe('the built action in optimize mode with method: gepa on the shared system prompt', () => {
  it('opens one pull request changing only the shared system prompt, with the tree and the unseen tasks', async () => {
    // The demo's review family: seven tasks sharing prompts/system.md, three held out (unseen).
    const root = await mkdtemp(join(tmpdir(), 'pd-action-gepa-shared-'))
    cleanups.push(() => rm(root, { recursive: true, force: true }))
    const demo = await writeDemoRepository(root, { seed: 3, rows: 60, multiTask: true })
    const config = parse(await readFile(demo.configPath, 'utf8')) as {
      optimize: Record<string, unknown>
    }
    config.optimize['gepa'] = { preset: 'light', dev_rows: 16 }
    await writeFile(demo.configPath, stringify(config), 'utf8')
    const sha = await commitWorkspace(root)
    const gh = await startFakeGitHubServer({ owner: OWNER, repo: NAME, files: trackedFiles(root) })
    cleanups.push(() => gh.close())
    const event: OtherEvent = {
      name: 'workflow_dispatch',
      ref: 'refs/heads/main',
      sha,
      payload: { ref: 'refs/heads/main', inputs: {}, repository: { full_name: REPOSITORY } }
    }
    const run = await runAction({
      workspace: root,
      repository: REPOSITORY,
      apiUrl: gh.url,
      event,
      inputs: {
        mode: 'optimize',
        method: 'gepa',
        prompt: 'system',
        'github-token': FAKE_GITHUB_TOKEN
      }
    })
    expect(run.code, explain(run)).toBe(0)
    const branch = 'prompt-descent/optimize/system-prompt'
    expect(run.outputs).toMatchObject({ 'pr-operation': 'created', 'pr-branch': branch })

    // The report files are written; the proposal is the report's best shared system prompt.
    const report = await reportOf(run)
    const opt = report.optimization
    expect(opt?.method).toBe('gepa')
    const system = opt?.prompts.find((p) => p.kind === 'system')
    expect(system).toMatchObject({ file: SYSTEM_FILE, task: null })
    expect(system?.after).not.toBe(system?.before)
    expect(existsSync(run.outputs['report-markdown'] ?? '')).toBe(true)
    expect(existsSync(run.outputs['report-junit'] ?? '')).toBe(true)

    // One commit on main, changing only the shared system prompt file (no task's user prompt).
    const pulls = gh.state.pulls.filter((p) => p.head === branch)
    expect(pulls).toHaveLength(1)
    expect(gh.state.pulls).toHaveLength(1)
    const commit = branchCommit(gh, branch)
    expect(commit.parents).toEqual([gh.state.refs.get('main')])
    expect(commit.changed).toEqual({ [SYSTEM_FILE]: `${system?.after.trimEnd() ?? ''}\n` })

    const pull = pulls[0]!
    expect(pull.title).toBe('prompt-descent: improve the shared system prompt')
    const body = pull.body
    expect(body.length).toBeLessThan(65_536)
    // The candidate tree, with the component each candidate changed, the best one starred.
    const details = opt?.details as { bestId: string; components: string[] }
    expect(details.components[0]).toBe('system')
    expect(body).toContain('#### Candidate tree')
    expect(body).toContain('| candidate | parent | changed | iter |')
    expect(body).toMatch(/\| `g\d+` \| `system` \| \d+ \|/)
    expect(body).toContain(`\`${details.bestId}\` ★`)
    // The unseen tasks' evidence: each held-out task by name.
    expect(opt?.transfer?.tasks.map((t) => t.task)).toEqual(demo.holdout)
    expect(body).toContain('#### Tasks it never saw (test split)')
    for (const task of demo.holdout) expect(body).toMatch(new RegExp(`\\| ${task} \\| \\d+ \\|`))
    // Repeating it needs `--prompt system` (else the CLI asks which of the tasks to optimize).
    expect(body).toContain(
      'optimize --config prompt-descent.yml --method gepa --prompt system --seed 3'
    )
    expect(body).toMatch(/ {4}method: gepa\n {4}prompt: system\n/)
  }, 180_000)
})

describe('the /optimize comment', () => {
  async function pullRequestScenario() {
    // The pull request trims the prompt down to its bare instruction, losing a rule.
    const s = await scenario({ basePrompt: promptAddressing(task, ['caps']), headPrompt: WEAK })
    // The fake remote mirrors the fixture: feature = main + the pull request's prompt change.
    s.gh.state.refs.set('feature', s.gh.state.refs.get('main')!)
    s.gh.state.commitFiles('feature', { [PROMPT_FILE]: WEAK })
    const pr = s.gh.state.addFeaturePull('Shorten the triage prompt')
    const comment = (author: string, body: string) => {
      const c = s.gh.state.addComment(pr.number, body, author)
      return issueCommentEvent({
        repository: REPOSITORY,
        issueNumber: pr.number,
        body,
        author,
        commentId: c.id,
        sha: s.repo.baseSha
      })
    }
    return { s, pr, comment }
  }

  it('is refused with a reply for a user without write access, and nothing runs', async () => {
    const { s, pr, comment } = await pullRequestScenario()
    s.gh.state.collaborators.set('mallory', 'triage')
    const event = comment('mallory', '/optimize task=triage budget=5')
    const run = await s.run({ event })
    expect(run.code, explain(run)).toBe(0)
    expect(run.outputs['pr-operation']).toBe('refused')
    expect(s.ai.stats.requests).toBe(0)
    const replies = s.gh.state.commentsOn(pr.number).filter((c) => c.user.type === 'Bot')
    expect(replies).toHaveLength(1)
    expect(replies[0]?.body).toMatch(
      /^@mallory `\/optimize` runs only for people with write access/
    )
    const asked = s.gh.state.comments.find((c) => c.user.login === 'mallory')
    expect(asked?.reactions).toEqual(['-1'])
    expect(s.gh.state.pulls).toHaveLength(1)
    expect([...s.gh.state.refs.keys()].sort()).toEqual(['feature', 'main'])
    expect(run.summary).toContain('request refused')
  })

  it("from a writer, proposes a pull request into the pull request's branch and replies", async () => {
    const { s, pr, comment } = await pullRequestScenario()
    s.gh.state.collaborators.set('maintainer', 'write')
    const event = comment('maintainer', '/optimize task=triage method=apo calls=5000')
    const run = await s.run({ event })
    expect(run.code, explain(run)).toBe(0)
    const branch = `prompt-descent/optimize/pr-${pr.number}`
    expect(run.outputs).toMatchObject({ 'pr-operation': 'created', 'pr-branch': branch })
    const [suggestion] = s.pullsFrom(branch)
    expect(suggestion).toMatchObject({
      base: 'feature',
      title: `prompt-descent: improve the triage prompt (suggestion for #${pr.number})`
    })
    expect(suggestion?.body).toContain('Requested by `@maintainer` with `/optimize`')
    expect(suggestion?.body).toContain('max-calls: 5000')
    const commit = branchCommit(s.gh, branch)
    expect(commit.parents).toEqual([s.gh.state.refs.get('feature')])
    expect(Object.keys(commit.changed)).toEqual([PROMPT_FILE])
    const asked = s.gh.state.comments.find((c) => c.user.login === 'maintainer')
    expect(asked?.reactions).toEqual(['eyes'])
    const replies = s.gh.state.commentsOn(pr.number).filter((c) => c.user.type === 'Bot')
    expect(replies.map((c) => c.body)).toEqual([
      expect.stringMatching(
        new RegExp(`^@maintainer I opened #${suggestion?.number} with the suggestion: triage: `)
      )
    ])
  })

  it('refuses a workspace that is not the pull request head, before spending anything', async () => {
    const { s, comment } = await pullRequestScenario()
    s.gh.state.collaborators.set('maintainer', 'admin')
    // The workflow checked out the default branch (what issue_comment gives by default).
    s.repo.checkout('main')
    const run = await s.run({ event: comment('maintainer', '/optimize') })
    expect(run.code, explain(run)).toBe(1)
    expect(run.stdout).toMatch(
      /::error::the checked-out prompts\/triage\.md differs from branch feature: .*ref: refs\/pull\/\d+\/head/
    )
    expect(s.ai.stats.requests).toBe(0)
    const replies = s.gh.state.comments.filter((c) => c.user.type === 'Bot')
    expect(replies.map((c) => c.body)).toEqual([
      expect.stringMatching(/^@maintainer the optimization failed: the checked-out/)
    ])
  })
})
