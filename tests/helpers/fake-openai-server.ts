/**
 * A fake OpenAI-compatible HTTP server for tests and benchmarks: POST /v1/chat/completions (and
 * Azure's /openai/deployments/<name>/chat/completions) on 127.0.0.1, with latency, a server-side
 * rate limit answered by 429 + retry-after, seeded fault injection (429, 500, non-JSON 502,
 * malformed 200, hung requests), and hostile servers: replies that trickle in, never end, are huge
 * or have no text (content: null), and error statuses with any headers (retry-after: 3600).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { createRandom } from '../../src/util/random.js'

export interface FakeChatBody {
  model: string
  messages: Array<{ role: string; content: string }>
  temperature?: number
  max_tokens?: number
  max_completion_tokens?: number
  [key: string]: unknown
}

export interface FakeRequestContext {
  /** 0-based arrival index of the request. */
  index: number
  /** Azure deployment name from the path, when the Azure route was used. */
  deployment: string | undefined
  /** GitHub Models: the organisation of an `/orgs/<org>/inference` route. */
  org?: string
  headers: IncomingMessage['headers']
}

export interface FakeFaults {
  /** Fraction of requests answered 429 (with retry-after). */
  rate429?: number
  /** retry-after (seconds) sent with injected 429s; default 0. Sent as retry-after only. */
  retryAfterSeconds?: number
  rate500?: number
  /** Fraction answered 502 with an HTML (non-JSON) body. */
  rate502NonJson?: number
  /** Fraction answered 200 with a body that is not a chat completion. */
  rateMalformed200?: number
  /** The first N requests never answer. */
  hangFirstN?: number
  /** Fraction of requests that never answer. */
  hangRate?: number
  /** Seed of the per-request fault draw (default 0). */
  seed?: number
}

/** How a 200 answer's bytes are sent; the default is all at once with a content-length. */
export interface FakeDelivery {
  /** Bytes per write (default: the whole body in one write). No content-length is sent. */
  chunkBytes?: number
  /** Pause between writes (default 0: as fast as the client reads them). */
  intervalMs?: number
  /** Never end: after the completion's JSON up to its reply text, send filler text forever. */
  endless?: boolean
}

export interface FakeOpenAIOptions {
  /**
   * The reply text (null: a reply with `content: null` and finish_reason content_filter); throw a
   * FakeHttpError to answer with that status instead.
   */
  respond: (
    body: FakeChatBody,
    context: FakeRequestContext
  ) => string | null | Promise<string | null>
  /** How each 200 answer is sent (trickled, endless); undefined → at once. */
  delivery?: (context: FakeRequestContext) => FakeDelivery | undefined
  /** Delay before every answer that is not a rate-limit 429. */
  latencyMs?: number
  faults?: FakeFaults
  /** Requests accepted per sliding second; beyond it: 429 with retry-after-ms and retry-after. */
  rateLimitPerSecond?: number
  /** When set, requests must carry it (Bearer or api-key) or get a 401. */
  apiKey?: string
  /**
   * Behave as GitHub Models' inference endpoint: routes `/inference/chat/completions` and
   * `/orgs/<org>/inference/chat/completions`, `Authorization: Bearer <token>` required (401
   * without it, 403 with another token, as for a token lacking `models: read`), model ids of the
   * form `publisher/model` (400 otherwise). `rateLimitFirstN` answers the first N requests 429
   * with GitHub's `x-ratelimit-timeremaining` header only (no retry-after).
   */
  githubModels?: { token: string; rateLimitFirstN?: number }
}

export interface FakeRecord {
  index: number
  model: string
  /** GitHub Models: the organisation of an `/orgs/<org>/inference` route. */
  org?: string
  messages: FakeChatBody['messages']
  /** The whole request body as received (parameters, response_format…); undefined if unparsed. */
  body: FakeChatBody | undefined
  /** The reply sent, for status 200 answers (null: content: null). */
  reply: string | null | undefined
  /** HTTP status sent; 0 for a hung request (never answered). */
  status: number
}

export interface FakeStats {
  requests: number
  ok: number
  status429: number
  status5xx: number
  hung: number
  /** Most requests being handled at once. */
  maxInFlight: number
  /** Body bytes written for 200 answers sent through a delivery (trickled, endless). */
  bytesSent: number
  /** Delivered answers whose client went away before the end (cut off). */
  cutOff: number
}

export interface FakeOpenAI {
  /** Base URL ending in /v1 (what an OpenAI client takes); GitHub Models: ending in /inference. */
  url: string
  /** http://127.0.0.1:<port> (Azure clients take `${origin}/openai`). */
  origin: string
  record: FakeRecord[]
  stats: FakeStats
  close(): Promise<void>
}

/** Throw from `respond` to answer with an error status and an OpenAI-style error body. */
export class FakeHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    /** Extra response headers, e.g. { 'retry-after': '3600' }. */
    readonly headers: Record<string, string> = {}
  ) {
    super(message)
  }
}

const CHAT_PATH = /^\/(?:v1\/chat\/completions|openai\/deployments\/([^/]+)\/chat\/completions)$/
const GITHUB_MODELS_PATH = /^\/(?:orgs\/([^/]+)\/)?inference\/chat\/completions$/

export async function startFakeOpenAI(options: FakeOpenAIOptions): Promise<FakeOpenAI> {
  const faults = options.faults ?? {}
  const record: FakeRecord[] = []
  const stats: FakeStats = {
    requests: 0,
    ok: 0,
    status429: 0,
    status5xx: 0,
    hung: 0,
    maxInFlight: 0,
    bytesSent: 0,
    cutOff: 0
  }
  const accepted: number[] = []
  const hung = new Set<ServerResponse>()
  const timers = new Set<NodeJS.Timeout>()
  const sockets = new Set<Socket>()
  let inFlight = 0
  let acceptedHead = 0

  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer)
        resolve()
      }, ms)
      timers.add(timer)
    })

  const send = (
    res: ServerResponse,
    status: number,
    body: string,
    headers: Record<string, string> = {}
  ) => {
    if (res.destroyed || res.writableEnded) return
    if (status === 429) stats.status429++
    if (status >= 500) stats.status5xx++
    if (status === 200) stats.ok++
    const type = headers['content-type'] ?? 'application/json'
    res.writeHead(status, { 'content-type': type, ...headers })
    res.end(body)
  }
  const sendError = (
    res: ServerResponse,
    status: number,
    message: string,
    extra: Record<string, string> = {},
    code?: string
  ) =>
    send(
      res,
      status,
      JSON.stringify({
        error: { message, type: errorType(status), param: null, code: code ?? null }
      }),
      extra
    )

  const rateLimited = (now: number): number | undefined => {
    const limit = options.rateLimitPerSecond
    if (limit === undefined) return undefined
    while (acceptedHead < accepted.length && (accepted[acceptedHead] as number) <= now - 1000)
      acceptedHead++
    if (acceptedHead > 4096) {
      accepted.splice(0, acceptedHead)
      acceptedHead = 0
    }
    if (accepted.length - acceptedHead < limit) {
      accepted.push(now)
      return undefined
    }
    return Math.max(1, (accepted[acceptedHead] as number) + 1000 - now)
  }

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const gh = options.githubModels
    const ghMatch = gh === undefined ? null : GITHUB_MODELS_PATH.exec(url.pathname)
    const match = gh === undefined ? CHAT_PATH.exec(url.pathname) : ghMatch && [ghMatch[0]]
    const raw = await readBody(req)
    if (req.method !== 'POST' || !match) {
      sendError(res, 404, `no route for ${req.method ?? '?'} ${url.pathname}`)
      return
    }
    const index = stats.requests++
    const entry: FakeRecord = {
      index,
      model: '',
      messages: [],
      body: undefined,
      reply: undefined,
      status: 0
    }
    record.push(entry)
    const finish = (status: number): void => {
      entry.status = status
    }
    if (gh !== undefined) {
      const auth = req.headers.authorization
      if (auth !== `Bearer ${gh.token}`) {
        const status = auth === undefined ? 401 : 403
        finish(status)
        sendError(
          res,
          status,
          status === 401
            ? 'Bad credentials'
            : 'The `models` permission is required to access this endpoint'
        )
        return
      }
      if (index < (gh.rateLimitFirstN ?? 0)) {
        finish(429)
        sendError(res, 429, 'Rate limit of 15 per 60s exceeded for UserByModelByMinute.', {
          'x-ratelimit-timeremaining': '0'
        })
        return
      }
    }
    if (options.apiKey !== undefined) {
      const bearer = req.headers.authorization?.replace(/^Bearer\s+/i, '')
      if (bearer !== options.apiKey && req.headers['api-key'] !== options.apiKey) {
        finish(401)
        sendError(
          res,
          401,
          'Incorrect API key provided: sk-te***st. You can find your API key at https://platform.openai.com/account/api-keys.',
          {},
          'invalid_api_key'
        )
        return
      }
    }
    let body: FakeChatBody
    try {
      body = JSON.parse(raw) as FakeChatBody
    } catch {
      finish(400)
      sendError(res, 400, 'We could not parse the JSON body of your request.')
      return
    }
    entry.body = body
    entry.model = match[1] ?? body.model
    entry.messages = Array.isArray(body.messages) ? body.messages : []
    if (ghMatch?.[1] !== undefined) entry.org = decodeURIComponent(ghMatch[1])
    if (gh !== undefined && !/^[^/\s]+\/[^/\s]+$/.test(String(entry.model))) {
      finish(400)
      sendError(res, 400, `Unknown model: ${String(entry.model)}`)
      return
    }
    if (typeof entry.model !== 'string' || !Array.isArray(body.messages)) {
      finish(400)
      sendError(res, 400, "Missing required parameter: 'model' or 'messages'.")
      return
    }

    const wait = rateLimited(Date.now())
    if (wait !== undefined) {
      finish(429)
      sendError(res, 429, 'Rate limit reached for requests', {
        'retry-after-ms': String(wait),
        'retry-after': String(Math.ceil(wait / 1000))
      })
      return
    }
    const draw = createRandom(`${faults.seed ?? 0}:${index}`).next()
    if (index < (faults.hangFirstN ?? 0) || draw < (faults.hangRate ?? 0)) {
      stats.hung++
      finish(0)
      hung.add(res)
      res.on('close', () => hung.delete(res))
      return
    }
    if (options.latencyMs) await delay(options.latencyMs)
    let edge = faults.hangRate ?? 0
    const hit = (rate: number | undefined): boolean => {
      const low = edge
      edge += rate ?? 0
      return draw >= low && draw < edge
    }
    if (hit(faults.rate429)) {
      finish(429)
      sendError(res, 429, 'Rate limit reached (injected)', {
        'retry-after': String(faults.retryAfterSeconds ?? 0)
      })
      return
    }
    if (hit(faults.rate500)) {
      finish(500)
      sendError(res, 500, 'The server had an error while processing your request (injected)')
      return
    }
    if (hit(faults.rate502NonJson)) {
      finish(502)
      send(res, 502, '<html><body><h1>502 Bad Gateway</h1></body></html>', {
        'content-type': 'text/html'
      })
      return
    }
    if (hit(faults.rateMalformed200)) {
      finish(200)
      send(res, 200, '{"id": "chatcmpl-broken", "object": "chat.compl', {})
      return
    }
    let reply: string | null
    try {
      reply = await options.respond(body, {
        index,
        deployment: gh === undefined ? match[1] : undefined,
        ...(entry.org === undefined ? {} : { org: entry.org }),
        headers: req.headers
      })
    } catch (error) {
      if (error instanceof FakeHttpError) {
        finish(error.status)
        sendError(res, error.status, error.message, error.headers, error.code)
        return
      }
      throw error
    }
    finish(200)
    entry.reply = reply
    const json = JSON.stringify(completion(index, entry.model, body.messages, reply))
    const delivery = options.delivery?.({ index, deployment: match[1], headers: req.headers })
    if (delivery) await deliver(res, json, delivery)
    else send(res, 200, json)
  }

  /** Writes `json` in chunks, paced or as the client reads; `endless` never stops. */
  const deliver = async (res: ServerResponse, json: string, how: FakeDelivery): Promise<void> => {
    stats.ok++
    res.writeHead(200, { 'content-type': 'application/json' })
    const marker = '"content":"'
    const start = how.endless ? json.indexOf(marker) + marker.length : json.length
    const bytes = Buffer.from(json.slice(0, start))
    const size = Math.max(1, how.chunkBytes ?? bytes.length)
    let offset = 0
    while (!res.destroyed) {
      let chunk: Buffer
      if (offset < bytes.length) {
        chunk = bytes.subarray(offset, offset + size)
        offset += chunk.length
      } else if (how.endless) {
        chunk = Buffer.alloc(size, 'a')
      } else {
        res.end()
        return
      }
      stats.bytesSent += chunk.length
      const flowing = res.write(chunk)
      if (how.intervalMs) await delay(how.intervalMs)
      else if (!flowing) await drainedOrClosed(res)
    }
    stats.cutOff++
  }

  const server = createServer((req, res) => {
    inFlight++
    stats.maxInFlight = Math.max(stats.maxInFlight, inFlight)
    res.on('close', () => inFlight--)
    handle(req, res).catch((error: unknown) => {
      sendError(
        res,
        500,
        `fake server failure: ${error instanceof Error ? error.message : String(error)}`
      )
    })
  })
  server.keepAliveTimeout = 5_000
  server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`

  return {
    url: options.githubModels === undefined ? `${origin}/v1` : `${origin}/inference`,
    origin,
    record,
    stats,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of timers) clearTimeout(timer)
        timers.clear()
        for (const res of hung) res.destroy()
        hung.clear()
        server.close((error) => (error ? reject(error) : resolve()))
        for (const socket of sockets) socket.destroy()
      })
  }
}

function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      res.off('drain', done)
      res.off('close', done)
      resolve()
    }
    res.on('drain', done)
    res.on('close', done)
  })
}

function completion(
  index: number,
  model: string,
  messages: FakeChatBody['messages'],
  reply: string | null
) {
  const promptTokens = messages.reduce(
    (sum, m) => sum + Math.ceil(String(m.content ?? '').length / 4),
    0
  )
  const completionTokens = Math.ceil((reply ?? '').length / 4)
  return {
    id: `chatcmpl-fake-${index}`,
    object: 'chat.completion',
    created: 1_700_000_000,
    model,
    choices: [
      {
        index: 0,
        message: { role: 'assistant', content: reply, refusal: null },
        logprobs: null,
        finish_reason: reply === null ? 'content_filter' : 'stop'
      }
    ],
    usage: {
      prompt_tokens: promptTokens,
      completion_tokens: completionTokens,
      total_tokens: promptTokens + completionTokens
    }
  }
}

function errorType(status: number): string {
  if (status === 401) return 'invalid_request_error'
  if (status === 429) return 'requests'
  if (status >= 500) return 'server_error'
  return 'invalid_request_error'
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}
