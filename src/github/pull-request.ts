/**
 * Proposes changed files as a pull request from one fixed branch, idempotently: the branch is one
 * commit on top of the base holding exactly the given files, force-updated on each run, and the same
 * open pull request is updated rather than a second one opened. Git Data API only; no local git.
 */
import { errorMessage } from '../errors.js'
import type { GitHubApi, PullRequest } from './api.js'
import { GitHubApiError, GitHubNotFoundError, RefExistsError } from './errors.js'
import { checkRepoFiles, writeTree } from './repo-files.js'
import type { RepoFile } from './repo-files.js'
import { fitGitHubBody } from './truncate.js'

export interface ProposeChangesOptions {
  /** The branch the pull request goes into. */
  base: string
  /** The fixed head branch, e.g. `prompt-descent/optimize/<task>`. */
  branch: string
  files: RepoFile[]
  commitMessage: string
  title: string
  body: string
  labels?: string[]
  /** Logins; `org/team` entries are requested as team reviewers. Requested when the PR is opened. */
  reviewers?: string[]
  draft?: boolean
}

export type ProposeChangesResult =
  | {
      /**
       * created: a pull request was opened. updated: the branch was pushed (or the PR retargeted).
       * unchanged: the branch already held these files; only the PR's title/body may be refreshed.
       */
      action: 'created' | 'updated' | 'unchanged'
      number: number
      url: string
      commitSha: string
      /** Label and reviewer failures, which do not fail the proposal. */
      warnings: string[]
    }
  | {
      /** The files already equal the base: nothing pushed. An open PR from the branch is reported, not closed. */
      action: 'not-needed'
      number: number | undefined
      url: string | undefined
      commitSha: undefined
      warnings: string[]
    }

async function sameAsBase(api: GitHubApi, files: RepoFile[], baseSha: string): Promise<boolean> {
  for (const file of files) {
    if ((await api.readFile(file.path, baseSha)) !== file.content) return false
  }
  return true
}

async function openPullFrom(api: GitHubApi, branch: string): Promise<PullRequest | undefined> {
  const pulls = await api.listPullRequests({ headBranch: branch, state: 'open' })
  return pulls[0]
}

/** Points `branch` at `sha`, creating it when missing (also when another run created it meanwhile). */
async function pushBranch(
  api: GitHubApi,
  branch: string,
  sha: string,
  exists: boolean
): Promise<void> {
  if (exists) return api.updateBranch(branch, sha, { force: true })
  try {
    await api.createBranch(branch, sha)
  } catch (error) {
    if (!(error instanceof RefExistsError)) throw error
    await api.updateBranch(branch, sha, { force: true })
  }
}

async function decorate(
  api: GitHubApi,
  pull: PullRequest,
  options: ProposeChangesOptions,
  created: boolean
): Promise<string[]> {
  const warnings: string[] = []
  if (options.labels && options.labels.length > 0) {
    try {
      await api.addLabels(pull.number, options.labels)
    } catch (error) {
      warnings.push(`Could not label #${pull.number}: ${errorMessage(error)}`)
    }
  }
  // Reviewers are asked once, when the PR opens; asking on every update would notify them again.
  if (created && options.reviewers && options.reviewers.length > 0) {
    const users = options.reviewers.filter((r) => !r.includes('/'))
    const teams = options.reviewers
      .filter((r) => r.includes('/'))
      .map((r) => r.split('/').pop() ?? r)
    try {
      await api.requestReviewers(pull.number, { users, teams })
    } catch (error) {
      warnings.push(`Could not request reviewers on #${pull.number}: ${errorMessage(error)}`)
    }
  }
  return warnings
}

/** Commits `files` on top of `base` to `branch` and opens or updates the pull request. */
export async function proposeChanges(
  api: GitHubApi,
  options: ProposeChangesOptions
): Promise<ProposeChangesResult> {
  checkRepoFiles(options.files, 'files')
  if (options.branch === options.base) {
    throw new GitHubApiError(
      'propose changes',
      `the head branch and the base are both "${options.base}"`
    )
  }
  const baseSha = await api.getBranchSha(options.base)
  if (!baseSha) {
    throw new GitHubNotFoundError(
      'propose changes',
      `the base branch "${options.base}" does not exist`
    )
  }
  if (options.files.length === 0 || (await sameAsBase(api, options.files, baseSha))) {
    const open = await openPullFrom(api, options.branch)
    return {
      action: 'not-needed',
      number: open?.number,
      url: open?.url,
      commitSha: undefined,
      warnings: []
    }
  }

  const baseCommit = await api.getCommit(baseSha)
  // Trees are content-addressed: equal contents give an equal sha, so comparing shas compares files.
  const tree = await writeTree(api, options.files, baseCommit.treeSha)
  if (tree === baseCommit.treeSha) {
    const open = await openPullFrom(api, options.branch)
    return {
      action: 'not-needed',
      number: open?.number,
      url: open?.url,
      commitSha: undefined,
      warnings: []
    }
  }

  const branchSha = await api.getBranchSha(options.branch)
  const branchTree = branchSha ? (await api.getCommit(branchSha)).treeSha : undefined
  let commitSha: string
  let pushed = false
  if (branchSha && branchTree === tree) {
    commitSha = branchSha
  } else {
    commitSha = await api.createCommit({ message: options.commitMessage, tree, parents: [baseSha] })
    await pushBranch(api, options.branch, commitSha, branchSha !== undefined)
    pushed = true
  }

  const body = fitGitHubBody(options.body).body
  const existing = await openPullFrom(api, options.branch)
  if (!existing) {
    const pull = await api.createPullRequest({
      headBranch: options.branch,
      base: options.base,
      title: options.title,
      body,
      draft: options.draft ?? false
    })
    const warnings = await decorate(api, pull, options, true)
    return { action: 'created', number: pull.number, url: pull.url, commitSha, warnings }
  }
  const changes = {
    ...(existing.title !== options.title ? { title: options.title } : {}),
    ...(existing.body !== body ? { body } : {}),
    ...(existing.baseBranch !== options.base ? { base: options.base } : {})
  }
  const pull =
    Object.keys(changes).length > 0
      ? await api.updatePullRequest(existing.number, changes)
      : existing
  const warnings = await decorate(api, pull, options, false)
  const action = pushed || changes.base !== undefined ? 'updated' : 'unchanged'
  return { action, number: pull.number, url: pull.url, commitSha, warnings }
}
