/**
 * A fake GitHub REST API on 127.0.0.1 (random port) for tests that drive the real Octokit or the
 * built action. Stateful (see FakeGitHubState), token-checked, with per-route failure injection
 * and a record of every request.
 *
 *   const gh = await startFakeGitHubServer({ files: { 'prompts/a.md': 'Hello' } })
 *   // ... point GITHUB_API_URL / baseUrl at gh.url, token 'test-token'
 *   gh.inject({ method: 'POST', path: /\/issues\/\d+\/comments$/, status: 403 })
 *   await gh.close()
 */
import { createServer } from 'node:http'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { FakeGitHubState } from './fake-github-state.js'
import type { FakeFileChanges, FakeUser } from './fake-github-state.js'
import { HttpError, routes } from './fake-github-routes.js'
import type { RouteResult } from './fake-github-routes.js'

export { FakeGitHubState } from './fake-github-state.js'
export type { FakeComment, FakePull, FakeRole, FakeUser } from './fake-github-state.js'

export interface RecordedRequest {
  method: string
  /** Decoded path without the query, e.g. `/repos/octo/prompts/git/ref/heads/main`. */
  path: string
  query: Record<string, string>
  body: unknown
  authorization: string | undefined
  /** The status answered (0 until answered). */
  status: number
}

/** Makes matching requests fail, or runs a hook before they are served (e.g. a racing writer). */
export interface FailureRule {
  method?: string
  /** Exact decoded path, or a pattern tested against it. */
  path: string | RegExp
  /** Answer this status instead of serving the request; omit to only run `before`. */
  status?: number
  message?: string
  headers?: Record<string, string>
  /** How many matching requests the rule applies to (default: all). */
  times?: number
  before?: (state: FakeGitHubState, request: RecordedRequest) => void
}

export interface FakeGitHubOptions {
  owner?: string
  repo?: string
  defaultBranch?: string
  /** Files of the default branch's first commit. Default: a README. */
  files?: FakeFileChanges
  /** token → the user it authenticates (a login, or a full user). Default: test-token → github-actions[bot]. */
  tokens?: Record<string, string | FakeUser>
  failures?: FailureRule[]
  /**
   * Whether GraphQL's `viewer` answers for installation (bot) tokens. GitHub's `GET /user` refuses
   * them (403); `viewer` names the bot. Set false to model a host where neither says who we are.
   */
  botViewer?: boolean
}

export interface FakeGitHubServer {
  /** `http://127.0.0.1:PORT` — use as the API base URL. */
  url: string
  state: FakeGitHubState
  requests: RecordedRequest[]
  inject(rule: FailureRule): void
  close(): Promise<void>
}

export const FAKE_GITHUB_TOKEN = 'test-token'

function toUser(value: string | FakeUser): FakeUser {
  if (typeof value !== 'string') return value
  return { login: value, type: value.endsWith('[bot]') ? 'Bot' : 'User' }
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
  if (text === '') return {}
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new HttpError(400, 'Problems parsing JSON')
  }
}

function send(res: ServerResponse, result: RouteResult): void {
  res.writeHead(result.status, {
    'content-type': 'application/json; charset=utf-8',
    ...(result.headers ?? {})
  })
  res.end(result.body === undefined ? '' : JSON.stringify(result.body))
}

function errorResult(
  status: number,
  message: string,
  errors?: unknown[],
  headers?: Record<string, string>
): RouteResult {
  return {
    status,
    headers,
    body: {
      message,
      documentation_url: 'https://docs.github.com/rest',
      ...(errors ? { errors } : {})
    }
  }
}

function matches(rule: FailureRule, request: RecordedRequest): boolean {
  if (rule.method && rule.method.toUpperCase() !== request.method) return false
  return typeof rule.path === 'string' ? rule.path === request.path : rule.path.test(request.path)
}

/**
 * Who the token is: `GET /user` answers for a person's token and refuses an installation token
 * (a bot) as GitHub does; GraphQL `{ viewer { login } }` answers for both unless `botViewer` is off.
 */
function identityRoute(
  request: RecordedRequest,
  user: FakeUser,
  botViewer: boolean
): RouteResult | undefined {
  const bot = user.type === 'Bot'
  if (request.method === 'GET' && request.path === '/user') {
    if (bot) return errorResult(403, 'Resource not accessible by integration')
    return { status: 200, body: { login: user.login, type: user.type } }
  }
  if (request.method === 'POST' && request.path === '/graphql') {
    const query = (request.body as { query?: unknown } | undefined)?.query
    if (typeof query !== 'string' || !/\bviewer\b/.test(query))
      return errorResult(400, 'only the viewer query is served')
    if (bot && !botViewer) return errorResult(403, 'Resource not accessible by integration')
    return { status: 200, body: { data: { viewer: { login: user.login } } } }
  }
  return undefined
}

/** Starts the fake on 127.0.0.1, port 0. */
export async function startFakeGitHubServer(
  options: FakeGitHubOptions = {}
): Promise<FakeGitHubServer> {
  const state = new FakeGitHubState(
    options.owner ?? 'octo',
    options.repo ?? 'prompts',
    options.defaultBranch ?? 'main'
  )
  state.commitFiles(
    state.defaultBranch,
    options.files ?? { 'README.md': '# prompts\n' },
    'initial commit'
  )
  const tokens = new Map(
    Object.entries(options.tokens ?? { [FAKE_GITHUB_TOKEN]: 'github-actions[bot]' }).map(
      ([token, user]) => [token, toUser(user)] as const
    )
  )
  const rules = (options.failures ?? []).map((rule) => ({ ...rule, left: rule.times ?? Infinity }))
  const requests: RecordedRequest[] = []
  const repoPrefix = `/repos/${state.owner}/${state.repo}`
  let baseUrl = ''

  const handle = async (req: IncomingMessage): Promise<RouteResult> => {
    const url = new URL(req.url ?? '/', baseUrl)
    const path = decodeURIComponent(url.pathname)
    const recorded: RecordedRequest = {
      method: (req.method ?? 'GET').toUpperCase(),
      path,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      authorization: req.headers.authorization,
      status: 0
    }
    requests.push(recorded)
    const answer = (result: RouteResult): RouteResult => {
      recorded.status = result.status
      return result
    }
    try {
      recorded.body = await readBody(req)
      const auth = /^(?:token|bearer)\s+(\S+)$/i.exec(req.headers.authorization ?? '')
      if (!auth) return answer(errorResult(401, 'Requires authentication'))
      const user = tokens.get(auth[1] ?? '')
      if (!user) return answer(errorResult(401, 'Bad credentials'))

      for (const rule of rules) {
        if (rule.left <= 0 || !matches(rule, recorded)) continue
        rule.left -= 1
        rule.before?.(state, recorded)
        if (rule.status !== undefined) {
          const message =
            rule.message ??
            (rule.status === 403 ? 'Resource not accessible by integration' : 'Injected failure')
          return answer(errorResult(rule.status, message, undefined, rule.headers))
        }
      }

      const identity = identityRoute(recorded, user, options.botViewer ?? true)
      if (identity) return answer(identity)
      if (path !== repoPrefix && !path.startsWith(`${repoPrefix}/`))
        return answer(errorResult(404, 'Not Found'))
      const rest = path.slice(repoPrefix.length)
      for (const route of routes) {
        if (route.method !== recorded.method) continue
        const match = route.pattern.exec(rest)
        if (!match) continue
        const body = recorded.body
        return answer(
          route.handle({
            state,
            params: match.slice(1).map((p) => p ?? ''),
            query: url.searchParams,
            body:
              body !== null && typeof body === 'object' && !Array.isArray(body)
                ? (body as Record<string, unknown>)
                : {},
            user,
            baseUrl,
            pathname: url.pathname
          })
        )
      }
      return answer(errorResult(404, 'Not Found'))
    } catch (error) {
      if (error instanceof HttpError)
        return answer(errorResult(error.status, error.message, error.errors))
      return answer(errorResult(500, error instanceof Error ? error.message : String(error)))
    }
  }

  const server = createServer((req, res) => {
    handle(req).then(
      (result) => send(res, result),
      (error: unknown) => send(res, errorResult(500, String(error)))
    )
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    url: baseUrl,
    state,
    requests,
    inject(rule) {
      rules.push({ ...rule, left: rule.times ?? Infinity })
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      })
    }
  }
}
