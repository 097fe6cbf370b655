// The Lambda Runtime API of one execution environment: the HTTP interface a runtime's bootstrap
// long-polls for work (GET /next) and answers on (POST /{id}/response, /{id}/error, /init/error).
// Nimbus's own bootstraps (Node.js, Python) ask and answer over a pipe instead (runtime-pipe.ts), through
// poll() and post() here: one state, whichever transport the runtime (or its code) uses.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

const PREFIX = '/2018-06-01/runtime/'

/** AWS's limit on a synchronous response, as its own error message counts it. */
export const MAX_RESPONSE_BYTES = 6_291_556

/** One invocation as the runtime receives it from /next. */
export interface Delivery {
  readonly requestId: string
  readonly payload: Buffer
  readonly deadlineMs: number
  readonly invokedFunctionArn: string
  readonly traceId: string
  /** Already decoded from the Invoke API's base64: the runtime clients parse this header as JSON. */
  readonly clientContext?: string
}

/** An error a runtime reported: its errorType and the JSON the invoker gets back. */
export interface ReportedError {
  readonly errorType: string
  readonly payload: Buffer
}

export interface RuntimeApiListener {
  /** The runtime is waiting on /next: its init is done, or its previous invocation is. */
  ready(): void
  initError(error: ReportedError): void
  response(requestId: string, body: Buffer): void
  /** The runtime tried to return more than 6 MB; it got a 413, the invoke fails. */
  responseTooLarge(requestId: string): void
  invocationError(requestId: string, error: ReportedError): void
}

/** A runtime waiting for work: an HTTP long poll on /next, or the pipe's request for the next invocation. */
interface Poll {
  send(delivery: Delivery): void
  readonly gone: boolean
}

export class RuntimeApiServer {
  private readonly listener: RuntimeApiListener
  private readonly server: Server
  /** The runtime's pending request for work. */
  private waiting: Poll | undefined
  /** An invocation handed over before the runtime asked for it. */
  private queued: Delivery | undefined
  /** The invocation the runtime holds and has not answered yet. */
  private inFlight: string | undefined
  private lastAnswered: string | undefined
  private closed = false

  constructor(listener: RuntimeApiListener) {
    this.listener = listener
    this.server = createServer({ noDelay: true, keepAlive: true }, (req, res) => this.route(req, res))
    // /next is a long poll that AWS never times out, and a runtime may sit idle for as long as it likes.
    this.server.requestTimeout = 0
    this.server.headersTimeout = 0
    this.server.keepAliveTimeout = 0
    this.server.timeout = 0
  }

  /** Listens on a free loopback port; resolves with the `host:port` for AWS_LAMBDA_RUNTIME_API. */
  listen(): Promise<string> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(0, '127.0.0.1', () => {
        // Closed while the listen was under way: close again now that there is a socket to close.
        if (this.closed) return void this.server.close(() => reject(new Error('Runtime API closed')))
        const { port } = this.server.address() as AddressInfo
        resolve(`127.0.0.1:${port}`)
      })
    })
  }

  deliver(delivery: Delivery): void {
    const poll = this.waiting
    this.waiting = undefined
    if (poll === undefined || poll.gone) this.queued = delivery
    else this.handOver(poll, delivery)
  }

  /** The runtime asks for work over another transport than HTTP (as GET /next does); `send` gets it. */
  poll(send: (delivery: Delivery) => void): void {
    if (this.closed) return
    this.wait({ send, gone: false })
  }

  /**
   * An answer that came over another transport than HTTP (as POST `path` would): `body` undefined
   * when it was over 6 MB. Taken even once the API is closed: the runtime sent it before it ended.
   */
  post(path: string, body: Buffer | undefined, errorType: string | undefined): void {
    if (path === 'init/error') return this.listener.initError(errorReport(errorType, body))
    // `invocation/{id}/response` or `…/error`, taken apart without a regular expression (one per answer).
    const kind = !path.startsWith('invocation/') ? undefined : path.endsWith('/response') ? 'response' : path.endsWith('/error') ? 'error' : undefined
    const requestId = kind === undefined ? '' : path.slice('invocation/'.length, path.length - kind.length - 1)
    // An answer for another invocation, or a second one, is refused as the HTTP API refuses it (an id
    // never handed out, such as an empty one, is another invocation's).
    if (requestId === '' || this.claim(requestId) !== 'ok') return
    if (kind === 'error') return this.listener.invocationError(requestId, errorReport(errorType, body))
    if (body === undefined) this.listener.responseTooLarge(requestId)
    else this.listener.response(requestId, body)
  }

  close(): void {
    if (this.closed) return
    this.closed = true
    this.waiting = undefined
    this.server.close()
    this.server.closeAllConnections()
  }

  private route(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '').split('?')[0] ?? ''
    if (this.closed) return void res.destroy()
    // Only the function's process calls here, at AWS_LAMBDA_RUNTIME_API's loopback address: a browser
    // (it sends Origin) or a DNS-rebinding name (another Host) could take or answer invocations.
    if (req.headers.origin !== undefined || !loopbackHost(req.headers.host)) return reply(res, 403, forbidden)
    if (!path.startsWith(PREFIX)) return reply(res, 404, notFound)
    const rest = path.slice(PREFIX.length)
    if (rest === 'invocation/next' && req.method === 'GET') return this.next(res)
    if (rest === 'init/error' && req.method === 'POST') return this.readThen(req, res, (body) => this.initError(req, res, body))
    const match = /^invocation\/([^/]+)\/(response|error)$/.exec(rest)
    if (match === null || req.method !== 'POST') return reply(res, 404, notFound)
    const requestId = safeDecode(match[1]!)
    if (match[2] === 'response') this.readThen(req, res, (body) => this.response(res, requestId, body))
    else this.readThen(req, res, (body) => this.error(req, res, requestId, body))
  }

  private next(res: ServerResponse): void {
    if (this.waiting !== undefined && !this.waiting.gone) {
      return reply(res, 403, stateError('A runtime polls /next one request at a time.'))
    }
    const poll: Poll = { send: (d) => send(res, d), get gone() { return res.destroyed } }
    res.on('close', () => {
      if (this.waiting === poll) this.waiting = undefined
    })
    this.wait(poll)
  }

  private wait(poll: Poll): void {
    const queued = this.queued
    this.queued = undefined
    if (queued !== undefined) return this.handOver(poll, queued)
    this.waiting = poll
    this.listener.ready()
  }

  private handOver(poll: Poll, d: Delivery): void {
    this.inFlight = d.requestId
    poll.send(d)
  }

  private response(res: ServerResponse, requestId: string, body: Buffer | undefined): void {
    if (!this.answer(res, requestId)) return
    if (body === undefined) {
      reply(res, 413, { errorMessage: `Exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`, errorType: 'RequestEntityTooLarge' })
      return this.listener.responseTooLarge(requestId)
    }
    reply(res, 202, accepted)
    this.listener.response(requestId, body)
  }

  private error(req: IncomingMessage, res: ServerResponse, requestId: string, body: Buffer | undefined): void {
    if (!this.answer(res, requestId)) return
    reply(res, 202, accepted)
    this.listener.invocationError(requestId, reportedError(req, body))
  }

  private initError(req: IncomingMessage, res: ServerResponse, body: Buffer | undefined): void {
    reply(res, 202, accepted)
    this.listener.initError(reportedError(req, body))
  }

  /** Checks `requestId` is the invocation the runtime holds, and marks it answered; else replies why not. */
  private answer(res: ServerResponse, requestId: string): boolean {
    const claim = this.claim(requestId)
    if (claim === 'answered') reply(res, 403, stateError(`Invocation ${requestId} has already been answered.`))
    else if (claim === 'unknown') reply(res, 400, { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' })
    return claim === 'ok'
  }

  private claim(requestId: string): 'ok' | 'answered' | 'unknown' {
    if (requestId !== this.inFlight) return requestId === this.lastAnswered ? 'answered' : 'unknown'
    this.inFlight = undefined
    this.lastAnswered = requestId
    return 'ok'
  }

  /** Reads a body of at most 6 MB; a bigger one is drained and comes back as `undefined`. */
  private readThen(req: IncomingMessage, res: ServerResponse, then: (body: Buffer | undefined) => void): void {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_RESPONSE_BYTES) chunks.push(chunk)
    })
    req.on('end', () => {
      if (this.closed) return void res.destroy()
      then(size > MAX_RESPONSE_BYTES ? undefined : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks))
    })
    req.on('error', () => res.destroy())
  }
}

/**
 * The error body a runtime posted (application/vnd.aws.lambda.error+json). When it is missing or
 * not JSON, Lambda builds the error from the Lambda-Runtime-Function-Error-Type header.
 */
function reportedError(req: IncomingMessage, body: Buffer | undefined): ReportedError {
  const header = req.headers['lambda-runtime-function-error-type']
  return errorReport(typeof header === 'string' && header !== '' ? header : undefined, body)
}

/** The same from the error body and the Lambda-Runtime-Function-Error-Type a runtime sent (any transport). */
export function errorReport(headerType: string | undefined, body: Buffer | undefined): ReportedError {
  const parsed = body === undefined || body.length === 0 ? undefined : parseObject(body)
  if (parsed !== undefined) {
    const errorType = typeof parsed.errorType === 'string' && parsed.errorType !== '' ? parsed.errorType : headerType ?? 'Runtime.UnknownReason'
    return { errorType, payload: body! }
  }
  const errorType = headerType ?? 'Runtime.UnknownReason'
  const errorMessage = body === undefined ? '' : body.toString('utf8', 0, Math.min(body.length, 4096))
  return { errorType, payload: Buffer.from(JSON.stringify({ errorType, errorMessage })) }
}

function parseObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'))
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined
  } catch {
    return undefined
  }
}

/**
 * The Lambda-Runtime-* headers of an invocation, lower-cased, as the bootstrap reads them from a
 * message (worker executor) or a pipe frame (process executor) instead of GET /next's answer.
 */
export function invocationHeaders(d: Delivery): Record<string, string> {
  const headers: Record<string, string> = {
    'lambda-runtime-aws-request-id': d.requestId,
    'lambda-runtime-deadline-ms': String(d.deadlineMs),
    'lambda-runtime-invoked-function-arn': d.invokedFunctionArn,
    'lambda-runtime-trace-id': d.traceId,
  }
  if (d.clientContext !== undefined) headers['lambda-runtime-client-context'] = d.clientContext
  return headers
}

/** An invocation as the answer to GET /next: the payload, and the Lambda-Runtime-* headers. */
function send(res: ServerResponse, d: Delivery): void {
  const headers: Record<string, string | number> = {
    'Content-Type': 'application/json',
    'Content-Length': d.payload.length,
    'Lambda-Runtime-Aws-Request-Id': d.requestId,
    'Lambda-Runtime-Deadline-Ms': String(d.deadlineMs),
    'Lambda-Runtime-Invoked-Function-Arn': d.invokedFunctionArn,
    'Lambda-Runtime-Trace-Id': d.traceId,
  }
  if (d.clientContext !== undefined && isHeaderSafe(d.clientContext)) headers['Lambda-Runtime-Client-Context'] = d.clientContext
  res.writeHead(200, headers)
  res.end(d.payload)
}

const accepted = { status: 'OK' }
const notFound = { errorMessage: 'Not found', errorType: 'NotFound' }
const forbidden = { errorMessage: 'The Runtime API answers the function\'s own process only.', errorType: 'Forbidden' }

/** `127.x.x.x`, `localhost` or `[::1]`, any port; no Host at all (HTTP/1.0) too. */
function loopbackHost(host: string | undefined): boolean {
  if (host === undefined || host.startsWith('127.') || host.startsWith('[::1]')) return true
  return host === 'localhost' || host.startsWith('localhost:')
}
const stateError = (errorMessage: string) => ({ errorMessage, errorType: 'InvalidStateTransition' })

function reply(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body)
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) })
  res.end(text)
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** Header values must be visible ASCII/Latin-1 without control characters, or Node refuses them. */
function isHeaderSafe(value: string): boolean {
  return /^[\t\x20-\x7e\x80-\xff]*$/.test(value)
}
