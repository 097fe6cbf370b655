// A Node request as the pipeline's HttpRequest: its target's path and query, headers as Node parsed
// them, the body given (or none yet), the client's address. Also its declared body length.
import type { IncomingMessage } from 'node:http'
import type { HttpRequest } from '../protocol/http.ts'

/** A body not read (yet): the request's head alone. */
export const EMPTY = Buffer.alloc(0)

export function declaredLength(req: IncomingMessage): number {
  const length = Number(req.headers['content-length'] ?? 0)
  return Number.isFinite(length) ? length : 0
}

export function toHttpRequest(req: IncomingMessage, body: Buffer): HttpRequest {
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
