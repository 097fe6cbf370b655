// The HTTP edge: Node request → HttpRequest → pipeline → Node response. Keep-alive, 100-continue,
// body limits, the Host check (DNS rebinding), CORS and request ids live here; socket limits and
// the drain in connections.ts, the Node request's reading in node-request.ts and request-body.ts,
// the answer's writing in send-response.ts.
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import type { HttpRequest } from '../protocol/http.ts'
import { refuseConnect } from './gateway-errors.ts'
import { acceptH2c } from './h2c.ts'
import { customHostTarget, type Target } from './identify-service.ts'
import { bodiless, type ConnectionLimits, Connections, serverOptions } from './connections.ts'
import { type CorsOrigins, isPreflight, preflightResponse } from './cors.ts'
import { bodyParserFor, handleRequest, type PreParsed, serviceServesPreflight, servicePreflight, streamingTarget, type GatewayDeps } from './handle-request.ts'
import type { BodyParser } from '../services/service.ts'
import { type AllowedHosts, hostAllowed, hostRefused } from './host-check.ts'
import { handleInternal, isInternalPath, type InternalApiDeps } from './internal-api.ts'
import { declaredLength, EMPTY, toHttpRequest } from './node-request.ts'
import { MAX_BUFFERED_BODY, parseBody, PREALLOCATE_FROM, readBody, tooLarge } from './request-body.ts'
import { reply } from './send-response.ts'
import { acceptWebSockets, isWebSocketUpgrade } from './websocket-upgrade.ts'

// `import … from 'node:http'` builds an ESM facade over every export, and one of them loads
// Node's bundled undici (~10 ms of start-up, measured). Requiring the module skips the facade.
const { createServer } = createRequire(import.meta.url)('node:http') as typeof import('node:http')

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

/**
 * Who a request's Host lets in. DNS rebinding: a foreign Host is refused before anything is read, routed or loaded —
 * unless it is a custom domain name the user created (API Gateway's), which then reaches only that domain's APIs
 * (see customHostTarget): its body read, then handed to the domain's service with no other routing (no internal
 * API, no streaming operation, no large-body parser, no other service's preflight answer).
 */
function hostKind(req: IncomingMessage, deps: HttpServerDeps): 'nimbus' | 'custom' | 'refused' {
  if (hostAllowed(req.headers.host, deps.security.hosts)) return 'nimbus'
  return customHostTarget(toHttpRequest(req, EMPTY), deps.gateway.index) === undefined ? 'refused' : 'custom'
}

async function serve(req: IncomingMessage, res: ServerResponse, deps: HttpServerDeps, expectsContinue: boolean): Promise<void> {
  const host = hostKind(req, deps)
  if (host === 'refused') {
    if (!expectsContinue) req.resume()
    return reply(res, hostRefused(), undefined, deps.gateway.log)
  }
  const custom = host === 'custom'
  // Only requests whose method some streaming operation uses are looked at before the body is read.
  const head = !custom && deps.gateway.index.streamingMethods.has(req.method ?? '') ? toHttpRequest(req, EMPTY) : undefined
  const streaming = head !== undefined && !isInternalPath(head.rawPath) ? streamingTarget(head, deps.gateway) : undefined
  if (streaming !== undefined) {
    if (expectsContinue) res.writeContinue()
    const request: HttpRequest = { ...streaming.request, bodyStream: req }
    return respond(req, res, deps, request, streaming.target, deps.gateway.verifySignatures === true ? { ...head!, bodyStream: req } : undefined)
  }
  if (declaredLength(req) > MAX_BUFFERED_BODY) {
    // Unasked, the client is already sending: drain it. Asked (100-continue), it never sends.
    if (!expectsContinue) req.resume()
    reply(res, await tooLarge(req, deps.gateway), undefined, deps.gateway.log)
    return
  }
  if (expectsContinue) res.writeContinue()
  // A large body a service parses as it arrives (Kinesis PutRecords) is never held whole.
  const parser = custom || bodiless(req) ? undefined : largeBodyParser(req, head, deps)
  // Node dumps an unread request once its answer is sent.
  const parsed = parser === undefined ? undefined : await parseBody(req, MAX_BUFFERED_BODY, parser)
  const body = parser !== undefined ? (parsed !== undefined && 'body' in parsed ? parsed.body : EMPTY) : bodiless(req) ? EMPTY : await readBody(req, MAX_BUFFERED_BODY)
  if (body === undefined || (parser !== undefined && parsed === undefined)) {
    // A client that left while its body waited to be read has no one to answer. (Not `req.destroyed`: a body
    // read to its end — a chunked one found too large only then — is destroyed too, by autoDestroy, and is answered.)
    if (!req.complete) return
    reply(res, await tooLarge(req, deps.gateway), undefined, deps.gateway.log)
    return
  }
  const request = toHttpRequest(req, body)
  if (custom) return respondCustomHost(req, res, deps, request)
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
 * The domain may have been deleted while the body arrived: asked again, so its service's direct answer (checked at once,
 * with nothing awaited in between) is never skipped for the AWS protocol path — the control plane.
 */
function respondCustomHost(req: IncomingMessage, res: ServerResponse, deps: HttpServerDeps, request: HttpRequest): Promise<void> | void {
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
