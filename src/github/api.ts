/**
 * The narrow port through which prompt-descent talks to GitHub; `createGitHubApi` (re-exported
 * here, in octokit-api.ts) implements it over @actions/github's Octokit. Everything else in src/github is written against `GitHubApi`, so it can be tested against the
 * fake REST server (through the real Octokit) or against a hand-written fake of this interface.
 */
export { createGitHubApi } from './octokit-api.js'
export type { GitHubApiOptions } from './octokit-api.js'

export interface IssueComment {
  id: number
  body: string
  /** Undefined for a deleted ("ghost") account. */
  authorLogin: string | undefined
  url: string
}

export interface PullRequest {
  number: number
  url: string
  title: string
  body: string
  headBranch: string
  /** `owner/name` of the head's repository; differs from this one for a fork, absent if unknown or deleted. */
  headRepo?: string
  /** The head branch's commit, when GitHub says. */
  headSha?: string
  baseBranch: string
  state: 'open' | 'closed'
  draft: boolean
}

export interface GitCommit {
  sha: string
  treeSha: string
  parents: string[]
}

/** One path of a new tree: a blob, or `null` to delete the path. */
export interface TreeChange {
  path: string
  blobSha: string | null
}

export type ReactionContent =
  '+1' | '-1' | 'laugh' | 'confused' | 'heart' | 'hooray' | 'rocket' | 'eyes'

export interface CollaboratorPermission {
  /** Legacy field: admin, write, read or none (maintain reads as write). */
  permission: string
  /** admin, maintain, write, triage, read, or a custom role. */
  roleName: string | undefined
}

/** The GitHub calls prompt-descent makes, on one repository. */
export interface GitHubApi {
  readonly owner: string
  readonly repo: string
  getDefaultBranch(): Promise<string>
  /**
   * The login the token acts as (`github-actions[bot]` for a workflow's GITHUB_TOKEN), or undefined
   * when GitHub will not say (see src/github/identity.ts for the fallback).
   */
  getTokenLogin(): Promise<string | undefined>
  /** Every comment of an issue or pull request, oldest first, one page (≤ 100) per item. */
  listIssueComments(issueNumber: number): AsyncIterable<IssueComment[]>
  createIssueComment(issueNumber: number, body: string): Promise<IssueComment>
  updateIssueComment(commentId: number, body: string): Promise<IssueComment>
  addCommentReaction(commentId: number, content: ReactionContent): Promise<void>
  createCommitComment(sha: string, body: string): Promise<{ id: number; url: string }>
  getCollaboratorPermission(user: string): Promise<CollaboratorPermission>
  getPullRequest(pullNumber: number): Promise<PullRequest>
  /** Pull requests whose head is `headBranch` of this repository. */
  listPullRequests(filter: {
    headBranch: string
    base?: string
    state?: 'open' | 'closed' | 'all'
  }): Promise<PullRequest[]>
  createPullRequest(input: {
    headBranch: string
    base: string
    title: string
    body: string
    draft?: boolean
  }): Promise<PullRequest>
  updatePullRequest(
    pullNumber: number,
    changes: { title?: string; body?: string; base?: string }
  ): Promise<PullRequest>
  addLabels(issueNumber: number, labels: string[]): Promise<void>
  requestReviewers(
    pullNumber: number,
    reviewers: { users: string[]; teams: string[] }
  ): Promise<void>
  /** The commit a branch points at, or undefined when the branch does not exist. */
  getBranchSha(branch: string): Promise<string | undefined>
  /** Throws RefExistsError when the branch exists already. */
  createBranch(branch: string, sha: string): Promise<void>
  /** Throws NotFastForwardError when `force` is false and `sha` does not descend from the branch. */
  updateBranch(branch: string, sha: string, options: { force: boolean }): Promise<void>
  getCommit(sha: string): Promise<GitCommit>
  /** Stores UTF-8 text; returns the blob sha. */
  createBlob(content: string): Promise<string>
  /** A tree of `changes` on top of `baseTree` (or of nothing); returns the tree sha. */
  createTree(input: { baseTree?: string; changes: TreeChange[] }): Promise<string>
  createCommit(input: { message: string; tree: string; parents: string[] }): Promise<string>
  /** A file's UTF-8 text at a branch or commit, or undefined when the path (or ref) is missing. */
  readFile(path: string, ref: string): Promise<string | undefined>
}
