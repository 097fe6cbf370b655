// Reading a request's body: whole into one buffer (readBody), or fed to a service's own parser as it
// arrives (parseBody); past the gateway's cap, the 413 in the protocol of the service it was for.
import type { IncomingMessage } from 'node:http'
import { newRequestId } from '../core/ids.ts'
import { protocolErrors } from '../protocol/errors.ts'
import type { HttpResponse } from '../protocol/http.ts'
import type { BodyParser } from '../services/service.ts'
import { credentialScope } from './caller.ts'
import { gatewayErrorResponse } from './gateway-errors.ts'
import { type GatewayDeps, releaseBody } from './handle-request.ts'
import { identifyService, type Target } from './identify-service.ts'
import { declaredLength, EMPTY, toHttpRequest } from './node-request.ts'

/**
 * Largest body the gateway buffers. AWS's own per-service limits (SQS 1 MiB…) are checked by the
 * services; the bodies of streaming operations (S3 uploads) are never buffered and have no cap here.
 */
export const MAX_BUFFERED_BODY = 16 * 1024 * 1024

/** Past this declared length the body is copied into one buffer as it arrives (no chunk list, no join). */
export const PREALLOCATE_FROM = 64 * 1024

/** Reads the whole body; undefined once it passes `limit` (the rest is drained, not kept). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
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
export async function parseBody(req: IncomingMessage, limit: number, parser: BodyParser): Promise<ReturnType<BodyParser['finish']> | undefined> {
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
export async function tooLarge(req: IncomingMessage, deps: GatewayDeps): Promise<HttpResponse> {
  const head = toHttpRequest(req, EMPTY)
  let target: Target | undefined
  try {
    target = identifyService(head, credentialScope(head), deps.index)
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
