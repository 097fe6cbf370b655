// The HTTP edge: Node request → HttpRequest → pipeline → Node response. Keep-alive, 100-continue,
// body limits, the Host check (DNS rebinding), CORS and request ids live here; socket limits and
// the drain in connections.ts.
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import { Readable } from 'node:stream'
import { newRequestId } from '../core/ids.ts'
import { protocolErrors } from '../protocol/errors.ts'
import type { HttpRequest, HttpResponse } from '../protocol/http.ts'
import { credentialScope } from './caller.ts'
import { gatewayErrorResponse, refuseConnect } from './gateway-errors.ts'
import { acceptH2c } from './h2c.ts'
import { customHostTarget, identifyService, type Target } from './identify-service.ts'
import { bodiless, type ConnectionLimits, Connections, serverOptions } from './connections.ts'
import { addCorsHeaders, type CorsOrigins, isPreflight, preflightResponse } from './cors.ts'
import { bodyParserFor, handleRequest, type PreParsed, releaseBody, serviceServesPreflight, servicePreflight, streamingTarget, type GatewayDeps } from './handle-request.ts'
import type { BodyParser } from '../services/service.ts'
import { type AllowedHosts, hostAllowed, hostRefused } from './host-check.ts'
import { handleInternal, isInternalPath, type InternalApiDeps } from './internal-api.ts'
import { acceptWebSockets, isWebSocketUpgrade } from './websocket-upgrade.ts'

// `import … from 'node:http'` builds an ESM facade over every export, and one of them loads
// Node's bundled undici (~10 ms of start-up, measured). Requiring the module skips the facade.
const { createServer } = createRequire(import.meta.url)('node:http') as typeof import('node:http')

/**
 * Largest body the gateway buffers. AWS's own per-service limits (SQS 1 MiB…) are checked by the
 * services; the bodies of streaming operations (S3 uploads) are never buffered and have no cap here.
 */
export const MAX_BUFFERED_BODY = 16 * 1024 * 1024

export interface HttpServerDeps {
  gateway: GatewayDeps
  internal: InternalApiDeps
  /** Which Host names and browser origins are answered (host-check.ts, cors.ts). */
  security: { hosts: AllowedHosts; origins: CorsOrigins }
  limits: ConnectionLimits
}

export function createHttpServer(deps: HttpServerDeps): { server: Server; connections: Connections } {
  const answer = (req: IncomingMessage, res: ServerResponse, expectsContinue: boolean) => {
    connections.track(req, res)
    serve(req, res, deps, expectsContinue).catch((error: unknown) => {
      // The client left mid-body, or its stalled body was dropped (bodyIdleTimeoutMs): no one to answer.
      if (req.destroyed && res.destroyed) return
      deps.gateway.log(`[nimbus] failed to answer a request: ${String(error)}`)
      // An explicit length: a writeHead that threw may have left the failed answer's Content-Length behind.
      // The reason too: Node keeps the status message of a writeHead that threw ("500 OK").
      if (!res.headersSent) res.writeHead(500, 'Internal Server Error', { 'content-length': '0' })
      res.end()
    })
  }
  // Only `Upgrade: websocket` is an upgrade (API Gateway's WebSocket APIs); any other Upgrade header
  // (h2c's) is an ordinary request, as before an upgrade listener existed. (Node ≥ 24.9 reads the option.)
  const server = createServer({ ...serverOptions(deps.limits), shouldUpgradeCallback: isWebSocketUpgrade }, (req, res) => answer(req, res, false))
  const connections = new Connections(server, deps.limits)
  // Expect: 100-continue: an oversized buffered body is refused before the client sends it.
  server.on('checkContinue', (req, res) => answer(req, res, true))
  server.on('connect', refuseConnect)
  acceptWebSockets(server, { gateway: deps.gateway, hosts: deps.security.hosts, toHttpRequest })
  // An Expect other than 100-continue: answered as if absent (Node would send a bare 417 no SDK can read).
  server.on('checkExpectation', (req, res) => answer(req, res, false))
  // HTTP/2 without TLS (h2c) on the same port: the JS SDK's Kinesis client speaks only HTTP/2. Its
  // requests skip the per-request socket bookkeeping (their socket is the session's, shared).
  acceptH2c(server, (req, res) => {
    serve(req as unknown as IncomingMessage, res as unknown as ServerResponse, deps, false).catch((error: unknown) => {
      deps.gateway.log(`[nimbus] failed to answer an HTTP/2 request: ${String(error)}`)
      if (!res.headersSent) res.writeHead(500, { 'content-length': '0' })
      res.end()
    })
  }, deps.limits.headersTimeoutMs)
  return { server, connections }
}

function declaredLength(req: IncomingMessage): number {
  const length = Number(req.headers['content-length'] ?? 0)
  return Number.isFinite(length) ? length : 0
}

const EMPTY = Buffer.alloc(0)

async function serve(req: IncomingMessage, res: ServerResponse, deps: HttpServerDeps, expectsContinue: boolean): Promise<void> {
  // DNS rebinding: a foreign Host is refused before anything is read, routed or loaded — unless it is a custom domain
  // name the user created (API Gateway's), which then reaches only that domain's APIs (see customHostTarget).
  if (!hostAllowed(req.headers.host, deps.security.hosts)) {
    if (customHostTarget(toHttpRequest(req, EMPTY), deps.gateway.index) !== undefined) return serveCustomHost(req, res, deps, expectsContinue)
    if (!expectsContinue) req.resume()
    return reply(res, hostRefused(), undefined, deps.gateway.log)
  }
  // Only requests whose method some streaming operation uses are looked at before the body is read.
  const head = deps.gateway.index.streamingMethods.has(req.method ?? '') ? toHttpRequest(req, EMPTY) : undefined
  const streaming = head !== undefined && !isInternalPath(head.rawPath) ? streamingTarget(head, deps.gateway) : undefined
  if (streaming !== undefined) {
    if (expectsContinue) res.writeContinue()
    const request: HttpRequest = { ...streaming.request, bodyStream: req }
    return respond(req, res, deps, request, streaming.target, deps.gateway.verifySignatures === true ? { ...head!, bodyStream: req } : undefined)
  }
  if (declaredLength(req) > MAX_BUFFERED_BODY) {
    // Unasked, the client is already sending: drain it. Asked (100-continue), it never sends.
    if (!expectsContinue) req.resume()
    reply(res, await tooLarge(req, deps), undefined, deps.gateway.log)
    return
  }
  if (expectsContinue) res.writeContinue()
  // A large body a service parses as it arrives (Kinesis PutRecords) is never held whole.
  const parser = bodiless(req) ? undefined : largeBodyParser(req, head, deps)
  // Node dumps an unread request once its answer is sent.
  const parsed = parser === undefined ? undefined : await parseBody(req, MAX_BUFFERED_BODY, parser)
  const body = parser !== undefined ? (parsed !== undefined && 'body' in parsed ? parsed.body : EMPTY) : bodiless(req) ? EMPTY : await readBody(req, MAX_BUFFERED_BODY)
  if (body === undefined || (parser !== undefined && parsed === undefined)) {
    // A client that left while its body waited to be read has no one to answer.
    if (req.destroyed) return
    reply(res, await tooLarge(req, deps), undefined, deps.gateway.log)
    return
  }
  const request = toHttpRequest(req, body)
  const preParsed: PreParsed | undefined = parsed === undefined ? undefined : 'body' in parsed ? false : parsed
  const { origins } = deps.security
  // Every OPTIONS goes to a service with its own CORS rules first: S3 answers one without Origin or
  // Access-Control-Request-Method itself (400 / 403), as AWS does; other OPTIONS route as before.
  const ownPreflight = request.method === 'OPTIONS' ? servicePreflight(request, deps.gateway) : undefined
  if (ownPreflight !== undefined) return reply(res, ownPreflight, request, deps.gateway.log, origins)
  if (isPreflight(request) && !serviceServesPreflight(request, deps.gateway)) return reply(res, preflightResponse(request, origins), request, deps.gateway.log, origins)
  if (isInternalPath(request.rawPath)) {
    const answer = await handleInternal(request, deps.internal)
    // A moved manual clock (or a reset) is on disk before it is answered, as every change is.
    const flushed = deps.gateway.flushed?.()
    if (flushed !== undefined) await flushed
    return reply(res, answer, request, deps.gateway.log, origins)
  }
  return respond(req, res, deps, request, undefined, undefined, preParsed)
}

/**
 * A request whose Host passed only as a user-created custom domain: its body read, then handed to the domain's service
 * with no other routing (no internal API, no streaming operation, no other service's preflight answer).
 */
async function serveCustomHost(req: IncomingMessage, res: ServerResponse, deps: HttpServerDeps, expectsContinue: boolean): Promise<void> {
  if (declaredLength(req) > MAX_BUFFERED_BODY) {
    if (!expectsContinue) req.resume()
    return reply(res, await tooLarge(req, deps), undefined, deps.gateway.log)
  }
  if (expectsContinue) res.writeContinue()
  const body = bodiless(req) ? EMPTY : await readBody(req, MAX_BUFFERED_BODY)
  if (body === undefined) {
    if (req.destroyed) return
    return reply(res, await tooLarge(req, deps), undefined, deps.gateway.log)
  }
  // The domain may have been deleted while the body arrived: asked again, so its service's direct answer (checked at once,
  // with nothing awaited in between) is never skipped for the AWS protocol path — the control plane.
  const request = toHttpRequest(req, body)
  const target = customHostTarget(request, deps.gateway.index)
  if (target === undefined) return reply(res, hostRefused(), undefined, deps.gateway.log)
  return respond(req, res, deps, request, target)
}

/** The service's parser for this request's body, if it is a large POST one claims (not the internal API's). */
function largeBodyParser(req: IncomingMessage, head: HttpRequest | undefined, deps: HttpServerDeps): BodyParser | undefined {
  if (req.method !== 'POST' || (declaredLength(req) < PREALLOCATE_FROM && req.headers['transfer-encoding'] === undefined)) return undefined
  const request = head ?? toHttpRequest(req, EMPTY)
  return isInternalPath(request.rawPath) ? undefined : bodyParserFor(request, deps.gateway)
}

async function respond(req: IncomingMessage, res: ServerResponse, deps: HttpServerDeps, request: HttpRequest,
  target: Target | undefined, asSent?: HttpRequest, preParsed?: PreParsed): Promise<void> {
  const aborted = new AbortController()
  res.once('close', () => {
    // An HTTP/2 response reports writableFinished once its stream is gone, even cut short: an answer
    // never ended (a SubscribeToShard event stream whose client left) counts as aborted too.
    if (!res.writableFinished || !res.writableEnded) aborted.abort()
  })
  const response = await handleRequest(request, deps.gateway, aborted.signal, target, asSent, preParsed)
  // A streamed body the service didn't read (an error before the upload) is drained, so the
  // connection stays usable for the next request — unless it is large (a refused 6 GiB PUT):
  // then the connection closes after the answer instead of reading gigabytes to throw away.
  if (request.bodyStream !== undefined && !req.readableEnded) {
    if (declaredLength(req) > MAX_BUFFERED_BODY || req.headers['transfer-encoding'] !== undefined) response.headers['connection'] = 'close'
    else {
      // With --verify-signatures the body may be piped into a check nobody read: unpiped, it drains.
      req.unpipe()
      req.resume()
    }
  }
  reply(res, response, request, deps.gateway.log, deps.security.origins)
}

function toHttpRequest(req: IncomingMessage, body: Buffer): HttpRequest {
  let url = req.url ?? '/'
  // An absolute-form target (`GET http://host/path`, what a client sends to a proxy; RFC 9112 §3.2.2
  // says servers accept it): its path is the request's. Lets a client whose endpoint host can't be
  // resolved (`<account>.localhost` of S3 Control) use Nimbus as its HTTP proxy.
  if (url.charCodeAt(0) !== 47 && /^https?:\/\//i.test(url)) {
    // The path starts at the first `/` or `?` after the authority; with none, or a bare query, it is `/`.
    const rest = url.slice(url.indexOf('//') + 2).search(/[/?]/)
    const tail = rest === -1 ? '' : url.slice(url.indexOf('//') + 2 + rest)
    url = tail.startsWith('/') ? tail : `/${tail}`
  }
  const q = url.indexOf('?')
  // Node lower-cases names and joins repeated headers with ", " already; only set-cookie stays an array.
  const headers = req.headers as Record<string, string>
  const rawQuery = q === -1 ? '' : url.slice(q + 1)
  return {
    method: req.method ?? 'GET',
    rawPath: q === -1 ? url : url.slice(0, q),
    query: new URLSearchParams(rawQuery),
    rawQuery,
    headers,
    body,
    rawHeaders: req.rawHeaders,
    ...(req.socket.remoteAddress !== undefined && { remoteAddress: req.socket.remoteAddress }),
  }
}

/** Past this declared length the body is copied into one buffer as it arrives (no chunk list, no join). */
const PREALLOCATE_FROM = 64 * 1024

/** Reads the whole body; undefined once it passes `limit` (the rest is drained, not kept). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const declared = req.headers['transfer-encoding'] === undefined ? declaredLength(req) : 0
    // A large body of known length (a 5 MiB PutRecords): each socket chunk is copied in and let go
    // at once, so the body is held once rather than as chunks plus their concatenation.
    let whole = declared >= PREALLOCATE_FROM && declared <= limit ? Buffer.allocUnsafe(declared) : undefined
    // HTTP/1.1 hands each body piece (up to 64 KiB) over as a copy of its own: once in the body it is
    // freed at once rather than at the next scavenge, so a flood of large bodies doesn't leave tens of
    // megabytes of dead pieces in the malloc heap between collections (holes it then keeps). HTTP/2's
    // pieces are left to the collector.
    const ownPieces = req.httpVersionMajor === 1
    const chunks: Buffer[] = []
    let size = 0
    let over = false
    req.on('data', (chunk: Buffer) => {
      if (whole !== undefined && size + chunk.length <= whole.length) {
        chunk.copy(whole, size)
        size += chunk.length
        if (ownPieces) releaseBody(chunk)
        return
      }
      if (whole !== undefined) {
        // More than declared (the parser never lets this happen on HTTP/1.1): fall back to the list.
        chunks.push(whole.subarray(0, size))
        whole = undefined
      }
      size += chunk.length
      if (size > limit) over = true
      if (!over) chunks.push(chunk)
    })
    req.on('end', () => {
      if (over) resolve(undefined)
      else if (whole !== undefined) resolve(size === whole.length ? whole : whole.subarray(0, size))
      else resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks))
    })
    req.on('error', reject)
  })
}

/**
 * The body fed to a service's parser piece by piece, each HTTP/1.1 piece freed once fed (as readBody
 * does): what the parser made of it, or undefined once it passes `limit` (the rest drained, not kept).
 */
async function parseBody(req: IncomingMessage, limit: number, parser: BodyParser): Promise<ReturnType<BodyParser['finish']> | undefined> {
  let settled = false
  const letGo = () => {
    if (!settled) parser.abort()
    settled = true
  }
  // The client left mid-body (or while its body waited its turn): its parser's buffers go back now.
  req.once('close', letGo)
  if (parser.ready !== undefined) await parser.ready
  if (req.destroyed) {
    letGo()
    return undefined
  }
  return new Promise((resolve, reject) => {
    const ownPieces = req.httpVersionMajor === 1
    let size = 0
    let over = false
    req.on('data', (chunk: Buffer) => {
      if (over) return
      size += chunk.length
      if (size > limit) {
        over = true
        letGo()
        return
      }
      try {
        parser.write(chunk)
      } catch (error) {
        // A parser's fault must not take the process down: the request fails (500), the rest is drained.
        over = true
        letGo()
        reject(error as Error)
        return
      }
      if (ownPieces) releaseBody(chunk)
    })
    req.on('end', () => {
      if (over) return resolve(undefined)
      settled = true
      try {
        resolve(parser.finish())
      } catch (error) {
        parser.abort()
        reject(error as Error)
      }
    })
    req.on('error', (error) => {
      letGo()
      reject(error)
    })
  })
}

/**
 * 413 in the protocol of the service the request is for (told from its headers: the body is unread).
 * An invoke URL (API Gateway) answers its own 413 (REST APIs' or HTTP APIs' body, headers and request
 * id), as under its 10 MB quota: it is handed a stand-in body over any quota, never read or filled.
 */
async function tooLarge(req: IncomingMessage, deps: HttpServerDeps): Promise<HttpResponse> {
  const head = toHttpRequest(req, EMPTY)
  let target: Target | undefined
  try {
    target = identifyService(head, credentialScope(head), deps.gateway.index)
  } catch {
    target = undefined // a service that fails to load still gets its 413, in the request's style
  }
  const direct = target?.service.serveDirect?.({ ...head, body: overQuota() }, new AbortController().signal)
  if (direct !== undefined) {
    try {
      return await direct
    } catch {
      // its own answer failed: the gateway's 413 below
    }
  }
  return gatewayErrorResponse(protocolErrors.requestTooLarge(MAX_BUFFERED_BODY), head, newRequestId(), target)
}

/** Zero-filled, so its pages are mapped lazily and never touched: no memory is used for it. */
const overQuota = (): Buffer => Buffer.alloc(MAX_BUFFERED_BODY + 1)

function reply(res: ServerResponse, response: HttpResponse, request: HttpRequest | undefined, log: (line: string) => void,
  origins?: CorsOrigins): void {
  if (request !== undefined && origins !== undefined) addCorsHeaders(request, response, origins)
  // An HTTP API's answer names its request by `apigw-requestid` alone, as AWS's does.
  if (response.headers['apigw-requestid'] === undefined) response.headers['x-amzn-requestid'] ??= newRequestId()
  const { body } = response
  if (body instanceof Readable) {
    if (!writeHead(res, response, request, log, true)) return
    sendStream(body, res)
    return
  }
  // HEAD answers carry the length the GET would have (S3 HeadObject), which the protocol set.
  const head = request?.method === 'HEAD'
  const preset = response.headers['content-length'] !== undefined
  if (!head || !preset) response.headers['content-length'] = String(Buffer.byteLength(body))
  // Added here it is already the last header (the SQS/SNS hot path): only a protocol-set one moves.
  if (!writeHead(res, response, request, log, preset)) return
  res.end(head ? undefined : body)
}

/**
 * How many bytes of a streamed body may wait in the socket before reading more. Node's default
 * (16 KiB) paces a 1 MiB GetObject through ~64 event-loop turns, each waiting for the kernel to drain;
 * a bare server answering from memory hands over the whole MiB at once (measured: 0.5 → 0.8 of it).
 */
const SEND_BUFFER_BYTES = 1024 * 1024

/**
 * A body stream to the response, pausing while more than SEND_BUFFER_BYTES wait to be sent. A client
 * gone midway destroys the source (S3 closes its file and lets go of its blob); a failing source
 * destroys the response, so the client sees a cut body rather than a complete-looking one.
 * (stream.pipeline did this too, but builds an AbortController and a DOMException per response.)
 */
function sendStream(body: Readable, res: ServerResponse): void {
  // The client left before its answer began: nothing to send, and the source is let go now.
  if (res.destroyed) {
    body.destroy()
    return
  }
  const resume = () => body.resume()
  // Chunks that arrive in one turn (a body already in memory) leave in one writev.
  let corked = false
  const uncork = () => {
    corked = false
    res.uncork()
  }
  const onData = (chunk: Buffer) => {
    if (!corked) {
      corked = true
      res.cork()
      process.nextTick(uncork)
    }
    res.write(chunk)
    if (res.writableLength >= SEND_BUFFER_BYTES && res.writableNeedDrain) {
      body.pause()
      res.once('drain', resume)
    }
  }
  const onClose = () => {
    if (!body.readableEnded) body.destroy()
  }
  body.on('data', onData)
  body.once('end', () => {
    res.off('close', onClose)
    res.end()
  })
  body.once('error', (error) => {
    res.off('close', onClose)
    res.destroy(error)
  })
  res.once('close', onClose)
}

/**
 * Sends the status line and headers. Node refuses a header value it can't send (CR/LF, characters
 * past U+00FF); services validate what they echo, and anything that still slips through gets a
 * complete 500 here instead of a hung client: the body stream is destroyed (S3 lets go of its blob).
 */
function writeHead(res: ServerResponse, response: HttpResponse, request: HttpRequest | undefined, log: (line: string) => void,
  reorder: boolean): boolean {
  try {
    res.writeHead(response.status, reorder ? lengthLast(response.headers) : response.headers)
    return true
  } catch (error) {
    const requestId = response.headers['x-amzn-requestid']!
    log(`[nimbus] invalid response header in request ${requestId}: ${String(error)}`)
    if (response.body instanceof Readable) response.body.destroy()
    const failed = internalError(requestId)
    // The failed answer may linger (setHeader'd headers, its status message, a Content-Length Node
    // read before throwing): start clean and name everything explicitly.
    for (const name of res.getHeaderNames()) res.removeHeader(name)
    res.writeHead(failed.status, 'Internal Server Error', failed.headers)
    res.end(request?.method === 'HEAD' ? undefined : failed.body)
    return false
  }
}

/**
 * Content-Length goes last: once Node has read it, it re-encodes a later Content-Disposition and
 * refuses any Latin-1 letter in it ("café"; nodejs/node#46528), a value HTTP and S3 allow.
 */
function lengthLast(headers: Record<string, string>): Record<string, string> {
  const { 'content-length': length, ...rest } = headers
  return length === undefined ? rest : { ...rest, 'content-length': length }
}

/** S3's InternalError document (the only service whose answers echo client-chosen headers). */
function internalError(requestId: string): { status: number; headers: Record<string, string>; body: string } {
  const body = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>InternalError</Code>' +
    `<Message>We encountered an internal error. Please try again.</Message><RequestId>${requestId}</RequestId></Error>`
  return { status: 500, body, headers: { 'content-type': 'application/xml', 'content-length': String(Buffer.byteLength(body)),
    'x-amzn-requestid': requestId } }
}
