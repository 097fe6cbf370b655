// The HTTP edge: Node request → HttpRequest → pipeline → Node response. Keep-alive, 100-continue,
// body limits, CORS and request ids live here.
import type { IncomingMessage, Server, ServerResponse } from 'node:http'
import { createRequire } from 'node:module'
import { Readable } from 'node:stream'
import { newRequestId } from '../core/ids.ts'
import { protocolErrors } from '../protocol/errors.ts'
import type { HttpRequest, HttpResponse } from '../protocol/http.ts'
import { addCorsHeaders, isPreflight, preflightResponse } from './cors.ts'
import { handleRequest, type GatewayDeps } from './handle-request.ts'
import { handleInternal, isInternalPath, type InternalApiDeps } from './internal-api.ts'

// `import … from 'node:http'` builds an ESM facade over every export, and one of them loads
// Node's bundled undici (~10 ms of start-up, measured). Requiring the module skips the facade.
const { createServer } = createRequire(import.meta.url)('node:http') as typeof import('node:http')

/** Largest body the gateway buffers. AWS's own per-service limits (SQS 1 MiB…) are checked by the services. */
export const MAX_BUFFERED_BODY = 16 * 1024 * 1024

export interface HttpServerDeps {
  gateway: GatewayDeps
  internal: InternalApiDeps
}

export function createHttpServer(deps: HttpServerDeps): Server {
  const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, (req, res) => {
    serve(req, res, deps).catch((error: unknown) => {
      deps.gateway.log(`[nimbus] failed to answer a request: ${String(error)}`)
      if (!res.headersSent) res.writeHead(500)
      res.end()
    })
  })
  // Refuse an oversized body before the client sends it when it asked first (Expect: 100-continue).
  server.on('checkContinue', (req, res) => {
    if (declaredLength(req) > MAX_BUFFERED_BODY) {
      reply(res, tooLarge(), undefined)
      return
    }
    res.writeContinue()
    server.emit('request', req, res)
  })
  return server
}

function declaredLength(req: IncomingMessage): number {
  const length = Number(req.headers['content-length'] ?? 0)
  return Number.isFinite(length) ? length : 0
}

async function serve(req: IncomingMessage, res: ServerResponse, deps: HttpServerDeps): Promise<void> {
  if (declaredLength(req) > MAX_BUFFERED_BODY) {
    req.resume()
    reply(res, tooLarge(), undefined)
    return
  }
  const body = await readBody(req, MAX_BUFFERED_BODY)
  if (body === undefined) {
    reply(res, tooLarge(), undefined)
    return
  }
  const request = toHttpRequest(req, body)
  if (isPreflight(request)) return reply(res, preflightResponse(request), request)
  if (isInternalPath(request.rawPath)) return reply(res, handleInternal(request, deps.internal), request)
  const aborted = new AbortController()
  res.once('close', () => {
    if (!res.writableFinished) aborted.abort()
  })
  const response = await handleRequest(request, deps.gateway, aborted.signal)
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
    body.pipe(res)
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
