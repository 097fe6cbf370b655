// The HTTP edge: Node request → HttpRequest → pipeline → Node response. Keep-alive, 100-continue,
// body limits, CORS and request ids live here.
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import { pipeline, Readable } from 'node:stream'
import { newRequestId } from '../core/ids.ts'
import { protocolErrors } from '../protocol/errors.ts'
import type { HttpRequest, HttpResponse } from '../protocol/http.ts'
import type { Target } from './identify-service.ts'
import { addCorsHeaders, isPreflight, preflightResponse } from './cors.ts'
import { handleRequest, servicePreflight, streamingTarget, type GatewayDeps } from './handle-request.ts'
import { handleInternal, isInternalPath, type InternalApiDeps } from './internal-api.ts'

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
}

export function createHttpServer(deps: HttpServerDeps): Server {
  const answer = (req: IncomingMessage, res: ServerResponse, expectsContinue: boolean) => {
    serve(req, res, deps, expectsContinue).catch((error: unknown) => {
      deps.gateway.log(`[nimbus] failed to answer a request: ${String(error)}`)
      if (!res.headersSent) res.writeHead(500)
      res.end()
    })
  }
  const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, (req, res) => answer(req, res, false))
  // Expect: 100-continue: an oversized buffered body is refused before the client sends it.
  server.on('checkContinue', (req, res) => answer(req, res, true))
  return server
}

function declaredLength(req: IncomingMessage): number {
  const length = Number(req.headers['content-length'] ?? 0)
  return Number.isFinite(length) ? length : 0
}

const EMPTY = Buffer.alloc(0)

async function serve(req: IncomingMessage, res: ServerResponse, deps: HttpServerDeps, expectsContinue: boolean): Promise<void> {
  // Only requests whose method some streaming operation uses are looked at before the body is read.
  const head = deps.gateway.index.streamingMethods.has(req.method ?? '') ? toHttpRequest(req, EMPTY) : undefined
  const streaming = head !== undefined && !isInternalPath(head.rawPath) ? streamingTarget(head, deps.gateway) : undefined
  if (streaming !== undefined) {
    if (expectsContinue) res.writeContinue()
    const request: HttpRequest = { ...streaming.request, bodyStream: req }
    return respond(req, res, deps, request, streaming.target)
  }
  if (declaredLength(req) > MAX_BUFFERED_BODY) {
    // Unasked, the client is already sending: drain it. Asked (100-continue), it never sends.
    if (!expectsContinue) req.resume()
    reply(res, tooLarge(), undefined)
    return
  }
  if (expectsContinue) res.writeContinue()
  const body = await readBody(req, MAX_BUFFERED_BODY)
  if (body === undefined) {
    reply(res, tooLarge(), undefined)
    return
  }
  const request = toHttpRequest(req, body)
  if (isPreflight(request)) return reply(res, servicePreflight(request, deps.gateway) ?? preflightResponse(request), request)
  if (isInternalPath(request.rawPath)) return reply(res, handleInternal(request, deps.internal), request)
  return respond(req, res, deps, request, undefined)
}

async function respond(req: IncomingMessage, res: ServerResponse, deps: HttpServerDeps, request: HttpRequest,
  target: Target | undefined): Promise<void> {
  const aborted = new AbortController()
  res.once('close', () => {
    if (!res.writableFinished) aborted.abort()
  })
  const response = await handleRequest(request, deps.gateway, aborted.signal, target)
  // A streamed body the service didn't read (an error before the upload) is drained, so the
  // connection stays usable for the next request.
  if (request.bodyStream !== undefined && !req.readableEnded) req.resume()
  reply(res, response, request)
}

function toHttpRequest(req: IncomingMessage, body: Buffer): HttpRequest {
  const url = req.url ?? '/'
  const q = url.indexOf('?')
  // Node lower-cases names and joins repeated headers with ", " already; only set-cookie stays an array.
  const headers = req.headers as Record<string, string>
  return {
    method: req.method ?? 'GET',
    rawPath: q === -1 ? url : url.slice(0, q),
    query: new URLSearchParams(q === -1 ? '' : url.slice(q + 1)),
    headers,
    body,
  }
}

/** Reads the whole body; undefined once it passes `limit` (the rest is drained, not kept). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let over = false
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > limit) over = true
      if (!over) chunks.push(chunk)
    })
    req.on('end', () => resolve(over ? undefined : chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

function tooLarge(): HttpResponse {
  const error = protocolErrors.requestTooLarge(MAX_BUFFERED_BODY)
  return { status: error.status, headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ __type: error.code, message: error.message }) }
}

function reply(res: ServerResponse, response: HttpResponse, request: HttpRequest | undefined): void {
  if (request !== undefined) addCorsHeaders(request, response)
  response.headers['x-amzn-requestid'] ??= newRequestId()
  const { body } = response
  if (body instanceof Readable) {
    res.writeHead(response.status, response.headers)
    // pipeline, not pipe: a client gone midway destroys the source too (S3 closes its file).
    pipeline(body, res, () => {})
    return
  }
  // HEAD answers carry the length the GET would have (S3 HeadObject), which the protocol set.
  const head = request?.method === 'HEAD'
  if (!head || response.headers['content-length'] === undefined) {
    response.headers['content-length'] = String(Buffer.byteLength(body))
  }
  res.writeHead(response.status, response.headers)
  res.end(head ? undefined : body)
}
