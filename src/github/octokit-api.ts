/**
 * The Octokit implementation of the GitHubApi port, over @actions/github's getOctokit: repository,
 * comments, reactions, collaborators and pull requests here; Git Data calls in octokit-git.ts.
 * Every failure becomes a typed error naming the workflow permission the call needs.
 */
import { getOctokit } from '@actions/github'
import { InputError } from '../errors.js'
import { httpStatus, withGitHubErrors as call } from './errors.js'
import type { GitHubApi, IssueComment, PullRequest } from './api.js'
import { gitDataCalls } from './octokit-git.js'
import type { Octokit } from './octokit-git.js'

export interface GitHubApiOptions {
  token: string
  owner: string
  repo: string
  /**
   * REST base URL. When omitted, @actions/github uses GITHUB_API_URL (read when that module is
   * first imported) or https://api.github.com. Pass it for GHES or a test server.
   */
  baseUrl?: string
}

interface RawComment {
  id: number
  body?: string | null
  user: { login: string } | null
  html_url: string
}

interface RawPull {
  number: number
  html_url: string
  title: string
  body: string | null
  state: string
  draft?: boolean
  head: { ref: string; sha?: string; repo?: { full_name: string } | null }
  base: { ref: string }
}

function toComment(raw: RawComment): IssueComment {
  return { id: raw.id, body: raw.body ?? '', authorLogin: raw.user?.login, url: raw.html_url }
}

function toPull(raw: RawPull): PullRequest {
  return {
    number: raw.number,
    url: raw.html_url,
    title: raw.title,
    body: raw.body ?? '',
    headBranch: raw.head.ref,
    ...(raw.head.repo?.full_name ? { headRepo: raw.head.repo.full_name } : {}),
    ...(raw.head.sha ? { headSha: raw.head.sha } : {}),
    baseBranch: raw.base.ref,
    state: raw.state === 'closed' ? 'closed' : 'open',
    draft: raw.draft ?? false
  }
}

/** Builds the Octokit-backed port for one repository. The token only ever travels as a header. */
export function createGitHubApi(options: GitHubApiOptions): GitHubApi {
  if (!options.token) {
    throw new InputError('a GitHub token is required (input github-token, or GITHUB_TOKEN)')
  }
  const octokit: Octokit = getOctokit(options.token, {
    ...(options.baseUrl ? { baseUrl: options.baseUrl.replace(/\/+$/, '') } : {}),
    userAgent: 'prompt-descent'
  })
  const { owner, repo } = options
  const where = { owner, repo }

  return {
    owner,
    repo,
    ...gitDataCalls({ octokit, owner, repo }),

    // A person's token answers GET /user; an installation token (GITHUB_TOKEN, an App's) is refused
    // there, and GraphQL's viewer names its bot. Any failure means "unknown", never a failed run.
    getTokenLogin: async () => {
      try {
        const { data } = await octokit.rest.users.getAuthenticated()
        if (data.login) return data.login
      } catch {
        // an installation token: ask GraphQL
      }
      try {
        const data = await octokit.graphql<{ viewer?: { login?: string } }>(
          'query { viewer { login } }'
        )
        return data.viewer?.login || undefined
      } catch {
        return undefined
      }
    },

    getDefaultBranch: () =>
      call('read the repository', 'metadata: read', async () => {
        const { data } = await octokit.rest.repos.get(where)
        return data.default_branch
      }),

    async *listIssueComments(issueNumber) {
      const pages = octokit.paginate.iterator(octokit.rest.issues.listComments, {
        ...where,
        issue_number: issueNumber,
        per_page: 100
      })
      const iterator = pages[Symbol.asyncIterator]()
      for (;;) {
        const next = await call(
          `list the comments of #${issueNumber}`,
          'pull-requests: write',
          () => iterator.next()
        )
        if (next.done) return
        yield next.value.data.map(toComment)
      }
    },

    createIssueComment: (issueNumber, body) =>
      call(`comment on #${issueNumber}`, 'pull-requests: write', async () => {
        const { data } = await octokit.rest.issues.createComment({
          ...where,
          issue_number: issueNumber,
          body
        })
        return toComment(data)
      }),

    updateIssueComment: (commentId, body) =>
      call(`update comment ${commentId}`, 'pull-requests: write', async () => {
        const { data } = await octokit.rest.issues.updateComment({
          ...where,
          comment_id: commentId,
          body
        })
        return toComment(data)
      }),

    async addCommentReaction(commentId, content) {
      await call(`react to comment ${commentId}`, 'pull-requests: write', () =>
        octokit.rest.reactions.createForIssueComment({ ...where, comment_id: commentId, content })
      )
    },

    createCommitComment: (sha, body) =>
      call(`comment on commit ${sha.slice(0, 7)}`, 'contents: write', async () => {
        const { data } = await octokit.rest.repos.createCommitComment({
          ...where,
          commit_sha: sha,
          body
        })
        return { id: data.id, url: data.html_url }
      }),

    getCollaboratorPermission: (user) =>
      call(`read the permission of ${user}`, 'metadata: read', async () => {
        try {
          const { data } = await octokit.rest.repos.getCollaboratorPermissionLevel({
            ...where,
            username: user
          })
          return { permission: data.permission, roleName: data.role_name }
        } catch (error) {
          // GitHub answers 404 for a login that is not a collaborator (or does not exist).
          if (httpStatus(error) === 404) return { permission: 'none', roleName: undefined }
          throw error
        }
      }),

    getPullRequest: (pullNumber) =>
      call(`read pull request #${pullNumber}`, 'pull-requests: read', async () => {
        const { data } = await octokit.rest.pulls.get({ ...where, pull_number: pullNumber })
        return toPull(data)
      }),

    listPullRequests: (filter) =>
      call(`list pull requests from ${filter.headBranch}`, 'pull-requests: read', async () => {
        const data = await octokit.paginate(octokit.rest.pulls.list, {
          ...where,
          // GitHub filters on `owner:branch`; a bare branch name would match nothing.
          head: `${owner}:${filter.headBranch}`,
          ...(filter.base ? { base: filter.base } : {}),
          state: filter.state ?? 'open',
          per_page: 100
        })
        return data.map(toPull)
      }),

    createPullRequest: (input) =>
      call(`create a pull request from ${input.headBranch}`, 'pull-requests: write', async () => {
        const { data } = await octokit.rest.pulls.create({
          ...where,
          head: input.headBranch,
          base: input.base,
          title: input.title,
          body: input.body,
          draft: input.draft ?? false
        })
        return toPull(data)
      }),

    updatePullRequest: (pullNumber, changes) =>
      call(`update pull request #${pullNumber}`, 'pull-requests: write', async () => {
        const { data } = await octokit.rest.pulls.update({
          ...where,
          pull_number: pullNumber,
          ...changes
        })
        return toPull(data)
      }),

    async addLabels(issueNumber, labels) {
      await call(`label #${issueNumber}`, 'pull-requests: write', () =>
        octokit.rest.issues.addLabels({ ...where, issue_number: issueNumber, labels })
      )
    },

    async requestReviewers(pullNumber, reviewers) {
      await call(`request reviewers on #${pullNumber}`, 'pull-requests: write', () =>
        octokit.rest.pulls.requestReviewers({
          ...where,
          pull_number: pullNumber,
          reviewers: reviewers.users,
          team_reviewers: reviewers.teams
        })
      )
    }
  }
}
