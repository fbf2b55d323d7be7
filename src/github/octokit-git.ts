/**
 * The Git Data and contents half of the Octokit-backed GitHubApi: refs, commits, blobs, trees and
 * reading a file at a ref. No local git is involved.
 */
import type { getOctokit } from '@actions/github'
import type { GitHubApi } from './api.js'
import {
  GitHubApiError,
  GitHubNotFoundError,
  NotFastForwardError,
  RefExistsError,
  githubMessage,
  httpStatus,
  toGitHubError,
  withGitHubErrors as call
} from './errors.js'

export type Octokit = ReturnType<typeof getOctokit>

/** One Octokit bound to one repository. */
export interface OctokitTarget {
  octokit: Octokit
  owner: string
  repo: string
}

export type GitDataCalls = Pick<
  GitHubApi,
  | 'getBranchSha'
  | 'createBranch'
  | 'updateBranch'
  | 'getCommit'
  | 'createBlob'
  | 'createTree'
  | 'createCommit'
  | 'readFile'
>

type ContentData = Awaited<ReturnType<Octokit['rest']['repos']['getContent']>>['data']

export function gitDataCalls({ octokit, owner, repo }: OctokitTarget): GitDataCalls {
  const where = { owner, repo }
  return {
    getBranchSha: (branch) =>
      call(`read branch ${branch}`, 'contents: read', async () => {
        try {
          const { data } = await octokit.rest.git.getRef({ ...where, ref: `heads/${branch}` })
          return data.object.sha
        } catch (error) {
          if (httpStatus(error) === 404) return undefined
          throw error
        }
      }),

    async createBranch(branch, sha) {
      const operation = `create branch ${branch}`
      try {
        await octokit.rest.git.createRef({ ...where, ref: `refs/heads/${branch}`, sha })
      } catch (error) {
        if (httpStatus(error) === 422 && /already exists/i.test(githubMessage(error))) {
          throw new RefExistsError(operation, `Could not ${operation}: it exists already`, {
            status: 422,
            cause: error
          })
        }
        throw toGitHubError(error, operation, 'contents: write')
      }
    },

    async updateBranch(branch, sha, options) {
      const operation = `update branch ${branch}`
      try {
        await octokit.rest.git.updateRef({
          ...where,
          ref: `heads/${branch}`,
          sha,
          force: options.force
        })
      } catch (error) {
        const message = `Could not ${operation}: ${githubMessage(error)}`
        const details = { status: 422, cause: error }
        if (httpStatus(error) === 422 && /fast.?forward/i.test(message)) {
          throw new NotFastForwardError(operation, message, details)
        }
        if (httpStatus(error) === 422 && /does not exist/i.test(message)) {
          throw new GitHubNotFoundError(operation, message, details)
        }
        throw toGitHubError(error, operation, 'contents: write')
      }
    },

    getCommit: (sha) =>
      call(`read commit ${sha.slice(0, 7)}`, 'contents: read', async () => {
        const { data } = await octokit.rest.git.getCommit({ ...where, commit_sha: sha })
        return { sha: data.sha, treeSha: data.tree.sha, parents: data.parents.map((p) => p.sha) }
      }),

    createBlob: (content) =>
      call('create a blob', 'contents: write', async () => {
        const { data } = await octokit.rest.git.createBlob({ ...where, content, encoding: 'utf-8' })
        return data.sha
      }),

    createTree: (input) =>
      call('create a tree', 'contents: write', async () => {
        const { data } = await octokit.rest.git.createTree({
          ...where,
          ...(input.baseTree ? { base_tree: input.baseTree } : {}),
          tree: input.changes.map((c) => ({
            path: c.path,
            mode: '100644' as const,
            type: 'blob' as const,
            sha: c.blobSha
          }))
        })
        return data.sha
      }),

    createCommit: (input) =>
      call('create a commit', 'contents: write', async () => {
        const { data } = await octokit.rest.git.createCommit({ ...where, ...input })
        return data.sha
      }),

    readFile: (path, ref) =>
      call(`read ${path} at ${ref}`, 'contents: read', async () => {
        let data: ContentData
        try {
          data = (await octokit.rest.repos.getContent({ ...where, path, ref })).data
        } catch (error) {
          if (httpStatus(error) === 404) return undefined
          throw error
        }
        if (Array.isArray(data) || data.type !== 'file') {
          throw new GitHubApiError(`read ${path} at ${ref}`, `${path} at ${ref} is not a file`)
        }
        if ('encoding' in data && data.encoding === 'base64') {
          return Buffer.from(data.content, 'base64').toString('utf8')
        }
        // Files over 1 MB come without inline content: read the blob instead.
        const blob = await octokit.rest.git.getBlob({ ...where, file_sha: data.sha })
        const encoding = blob.data.encoding === 'base64' ? 'base64' : 'utf8'
        return Buffer.from(blob.data.content, encoding).toString('utf8')
      })
  }
}
