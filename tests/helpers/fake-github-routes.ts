/**
 * Route handlers of the fake GitHub REST server, one per endpoint we use. Paths are relative to
 * `/repos/{owner}/{repo}`; answers mimic GitHub's shapes and its 404/422 errors closely enough that
 * a client mistake (a missing `owner:` in a head filter, a non-fast-forward update) shows up in tests.
 */
import type { FakeComment, FakeGitHubState, FakePull, FakeRole } from './fake-github-state.js'
import {
  HttpError,
  checkBody,
  notFound,
  paginate,
  repoUrl,
  str,
  userJson
} from './fake-github-http.js'
import type { Route, RouteContext } from './fake-github-http.js'
import { gitRoutes } from './fake-github-routes-git.js'

export { HttpError } from './fake-github-http.js'
export type { RouteContext, RouteResult } from './fake-github-http.js'

function commentJson(ctx: RouteContext, c: FakeComment): unknown {
  const kind = ctx.state.pulls.some((p) => p.number === c.issueNumber) ? 'pull' : 'issues'
  return {
    id: c.id,
    body: c.body,
    user: userJson(c.user),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    html_url: `${repoUrl(ctx.state)}/${kind}/${c.issueNumber}#issuecomment-${c.id}`,
    url: `${ctx.baseUrl}/repos/${ctx.state.owner}/${ctx.state.repo}/issues/comments/${c.id}`
  }
}

function pullJson(ctx: RouteContext, p: FakePull): unknown {
  const { state } = ctx
  const side = (ref: string): unknown => ({
    ref,
    sha: state.refs.get(ref) ?? null,
    label: `${state.owner}:${ref}`,
    repo: { full_name: `${state.owner}/${state.repo}` }
  })
  return {
    number: p.number,
    html_url: `${repoUrl(state)}/pull/${p.number}`,
    state: p.state,
    title: p.title,
    body: p.body,
    draft: p.draft,
    user: userJson(p.user),
    head: side(p.head),
    base: side(p.base),
    labels: p.labels.map((name) => ({ name })),
    requested_reviewers: p.requestedReviewers.map((login) => ({ login })),
    requested_teams: p.requestedTeams.map((slug) => ({ slug }))
  }
}

/** GitHub-style page slicing with a Link header (first/prev/next/last as they apply). */

function findComment(state: FakeGitHubState, id: string): FakeComment {
  return state.comments.find((c) => c.id === Number(id)) ?? notFound()
}

function findPull(state: FakeGitHubState, n: string): FakePull {
  return state.pulls.find((p) => p.number === Number(n)) ?? notFound()
}

const legacyPermission: Record<FakeRole, string> = {
  admin: 'admin',
  maintain: 'write',
  write: 'write',
  triage: 'read',
  read: 'read'
}

const issueRoutes: Route[] = [
  {
    method: 'GET',
    pattern: /^$/,
    handle: ({ state }) => ({
      status: 200,
      body: {
        name: state.repo,
        full_name: `${state.owner}/${state.repo}`,
        owner: { login: state.owner },
        default_branch: state.defaultBranch,
        private: false
      }
    })
  },
  {
    method: 'GET',
    pattern: /^\/issues\/(\d+)\/comments$/,
    handle: (ctx) => {
      if (!ctx.state.issues.has(Number(ctx.params[0]))) notFound()
      const list = ctx.state.commentsOn(Number(ctx.params[0])).map((c) => commentJson(ctx, c))
      return paginate(ctx, list)
    }
  },
  {
    method: 'POST',
    pattern: /^\/issues\/(\d+)\/comments$/,
    handle: (ctx) => {
      const issue = Number(ctx.params[0])
      if (!ctx.state.issues.has(issue)) notFound()
      const body = str(ctx.body, 'body')
      checkBody(body, 'IssueComment')
      const comment = ctx.state.addComment(issue, body, ctx.user.login, ctx.user.type)
      return { status: 201, body: commentJson(ctx, comment) }
    }
  },
  {
    method: 'GET',
    pattern: /^\/issues\/comments\/(\d+)$/,
    handle: (ctx) => ({
      status: 200,
      body: commentJson(ctx, findComment(ctx.state, ctx.params[0] ?? ''))
    })
  },
  {
    method: 'PATCH',
    pattern: /^\/issues\/comments\/(\d+)$/,
    handle: (ctx) => {
      const comment = findComment(ctx.state, ctx.params[0] ?? '')
      const body = str(ctx.body, 'body')
      checkBody(body, 'IssueComment')
      if (comment.user.login !== ctx.user.login) {
        throw new HttpError(403, 'Resource not accessible by integration')
      }
      comment.body = body
      comment.updatedAt = ctx.state.now()
      return { status: 200, body: commentJson(ctx, comment) }
    }
  },
  {
    method: 'POST',
    pattern: /^\/issues\/comments\/(\d+)\/reactions$/,
    handle: (ctx) => {
      const comment = findComment(ctx.state, ctx.params[0] ?? '')
      const content = str(ctx.body, 'content')
      comment.reactions.push(content)
      return {
        status: 201,
        body: { id: comment.reactions.length, content, user: userJson(ctx.user) }
      }
    }
  },
  {
    method: 'POST',
    pattern: /^\/issues\/(\d+)\/labels$/,
    handle: (ctx) => {
      const pull = ctx.state.pulls.find((p) => p.number === Number(ctx.params[0]))
      if (!pull) notFound()
      const labels = ctx.body['labels']
      if (!Array.isArray(labels)) throw new HttpError(422, 'Invalid request: "labels" is required')
      for (const label of labels)
        if (!pull.labels.includes(String(label))) pull.labels.push(String(label))
      return { status: 200, body: pull.labels.map((name) => ({ name })) }
    }
  },
  {
    method: 'POST',
    pattern: /^\/commits\/([0-9a-f]{40})\/comments$/,
    handle: (ctx) => {
      const commitId = ctx.params[0] ?? ''
      if (!ctx.state.commits.has(commitId)) throw new HttpError(422, 'No commit found for SHA')
      const body = str(ctx.body, 'body')
      checkBody(body, 'CommitComment')
      const id = ctx.state.newCommentId()
      ctx.state.commitComments.push({ id, commitId, body, user: ctx.user })
      return {
        status: 201,
        body: {
          id,
          commit_id: commitId,
          body,
          user: userJson(ctx.user),
          html_url: `${repoUrl(ctx.state)}/commit/${commitId}#commitcomment-${id}`
        }
      }
    }
  },
  {
    method: 'GET',
    pattern: /^\/pulls$/,
    handle: (ctx) => {
      const wanted = ctx.query.get('state') ?? 'open'
      const head = ctx.query.get('head')
      const base = ctx.query.get('base')
      const list = ctx.state.pulls.filter(
        (p) =>
          (wanted === 'all' || p.state === wanted) &&
          (head === null || head === `${ctx.state.owner}:${p.head}`) &&
          (base === null || base === p.base)
      )
      return paginate(
        ctx,
        list.map((p) => pullJson(ctx, p))
      )
    }
  },
  {
    method: 'POST',
    pattern: /^\/pulls$/,
    handle: (ctx) => {
      const { state } = ctx
      const title = str(ctx.body, 'title')
      const rawHead = str(ctx.body, 'head')
      const base = str(ctx.body, 'base')
      const head = rawHead.startsWith(`${state.owner}:`)
        ? rawHead.slice(state.owner.length + 1)
        : rawHead
      const body = typeof ctx.body['body'] === 'string' ? ctx.body['body'] : ''
      checkBody(body, 'PullRequest')
      const headSha = state.refs.get(head)
      const baseSha = state.refs.get(base)
      if (!headSha || !baseSha) {
        throw new HttpError(422, 'Validation Failed', [
          { resource: 'PullRequest', field: headSha ? 'base' : 'head', code: 'invalid' }
        ])
      }
      if (state.pulls.some((p) => p.state === 'open' && p.head === head && p.base === base)) {
        throw new HttpError(422, 'Validation Failed', [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: `A pull request already exists for ${state.owner}:${head}.`
          }
        ])
      }
      if (state.isAncestor(headSha, baseSha)) {
        throw new HttpError(422, 'Validation Failed', [
          {
            resource: 'PullRequest',
            code: 'custom',
            message: `No commits between ${base} and ${head}`
          }
        ])
      }
      const pull = state.addPull({
        title,
        body,
        head,
        base,
        state: 'open',
        draft: ctx.body['draft'] === true,
        user: ctx.user
      })
      return { status: 201, body: pullJson(ctx, pull) }
    }
  },
  {
    method: 'GET',
    pattern: /^\/pulls\/(\d+)$/,
    handle: (ctx) => ({
      status: 200,
      body: pullJson(ctx, findPull(ctx.state, ctx.params[0] ?? ''))
    })
  },
  {
    method: 'PATCH',
    pattern: /^\/pulls\/(\d+)$/,
    handle: (ctx) => {
      const pull = findPull(ctx.state, ctx.params[0] ?? '')
      const { title, body, base, state } = ctx.body
      if (typeof body === 'string') checkBody(body, 'PullRequest')
      if (typeof base === 'string' && !ctx.state.refs.has(base)) {
        throw new HttpError(422, 'Validation Failed', [
          { resource: 'PullRequest', field: 'base', code: 'invalid' }
        ])
      }
      if (typeof title === 'string') pull.title = title
      if (typeof body === 'string') pull.body = body
      if (typeof base === 'string') pull.base = base
      if (state === 'open' || state === 'closed') pull.state = state
      return { status: 200, body: pullJson(ctx, pull) }
    }
  },
  {
    method: 'POST',
    pattern: /^\/pulls\/(\d+)\/requested_reviewers$/,
    handle: (ctx) => {
      const pull = findPull(ctx.state, ctx.params[0] ?? '')
      const reviewers = Array.isArray(ctx.body['reviewers'])
        ? ctx.body['reviewers'].map(String)
        : []
      const teams = Array.isArray(ctx.body['team_reviewers'])
        ? ctx.body['team_reviewers'].map(String)
        : []
      if (reviewers.includes(pull.user.login)) {
        throw new HttpError(422, 'Review cannot be requested from pull request author.')
      }
      pull.requestedReviewers.push(...reviewers.filter((r) => !pull.requestedReviewers.includes(r)))
      pull.requestedTeams.push(...teams.filter((t) => !pull.requestedTeams.includes(t)))
      return { status: 201, body: pullJson(ctx, pull) }
    }
  },
  {
    method: 'GET',
    pattern: /^\/collaborators\/([^/]+)\/permission$/,
    handle: (ctx) => {
      const login = ctx.params[0] ?? ''
      // A stranger on a public repository reads.
      const role = ctx.state.collaborators.get(login) ?? 'read'
      return {
        status: 200,
        body: { permission: legacyPermission[role], role_name: role, user: { login } }
      }
    }
  }
]

export const routes: Route[] = [...issueRoutes, ...gitRoutes]
