/**
 * Shared plumbing of the fake GitHub server's routes: the route shape, GitHub-style errors, body
 * checks and page slicing with Link headers.
 */
import type { FakeGitHubState, FakeUser } from './fake-github-state.js'

export interface RouteContext {
  state: FakeGitHubState
  params: string[]
  query: URLSearchParams
  body: Record<string, unknown>
  user: FakeUser
  /** `http://127.0.0.1:PORT` */
  baseUrl: string
  /** The full request path, without the query. */
  pathname: string
}

export interface RouteResult {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

export class HttpError extends Error {
  readonly status: number
  readonly errors: unknown[] | undefined
  constructor(status: number, message: string, errors?: unknown[]) {
    super(message)
    this.status = status
    this.errors = errors
  }
}

export interface Route {
  method: string
  pattern: RegExp
  handle: (ctx: RouteContext) => RouteResult
}

export const COMMENT_LIMIT = 65_536

export function str(body: Record<string, unknown>, key: string): string {
  const value = body[key]
  if (typeof value !== 'string') throw new HttpError(422, `Invalid request: "${key}" is required`)
  return value
}

export function notFound(): never {
  throw new HttpError(404, 'Not Found')
}

export function checkBody(body: string, resource: string): void {
  if (body.length > COMMENT_LIMIT) {
    throw new HttpError(422, 'Validation Failed', [
      {
        resource,
        code: 'custom',
        field: 'body',
        message: 'body is too long (maximum is 65536 characters)'
      }
    ])
  }
}

export function userJson(user: FakeUser): unknown {
  return { login: user.login, type: user.type }
}

export function repoUrl(state: FakeGitHubState): string {
  return `https://github.com/${state.owner}/${state.repo}`
}

/** GitHub-style page slicing with a Link header (first/prev/next/last as they apply). */
export function paginate(ctx: RouteContext, items: unknown[]): RouteResult {
  const perPage = Math.min(100, Math.max(1, Number(ctx.query.get('per_page') ?? 30) || 30))
  const page = Math.max(1, Number(ctx.query.get('page') ?? 1) || 1)
  const last = Math.max(1, Math.ceil(items.length / perPage))
  const link = (n: number): string => {
    const q = new URLSearchParams(ctx.query)
    q.set('per_page', String(perPage))
    q.set('page', String(n))
    return `${ctx.baseUrl}${ctx.pathname}?${q.toString()}`
  }
  const rels: string[] = []
  if (page > 1) rels.push(`<${link(1)}>; rel="first"`, `<${link(page - 1)}>; rel="prev"`)
  if (page < last) rels.push(`<${link(page + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`)
  return {
    status: 200,
    body: items.slice((page - 1) * perPage, page * perPage),
    headers: rels.length > 0 ? { link: rels.join(', ') } : {}
  }
}
