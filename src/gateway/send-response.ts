// Writing an HttpResponse to Node's response: CORS headers, a request id, Content-Length, a streamed
// body paced by the socket, and a complete 500 when Node refuses a header.
import type { ServerResponse } from 'node:http'
import { Readable } from 'node:stream'
import { newRequestId } from '../core/ids.ts'
import type { HttpRequest, HttpResponse } from '../protocol/http.ts'
import { addCorsHeaders, type CorsOrigins } from './cors.ts'

export function reply(res: ServerResponse, response: HttpResponse, request: HttpRequest | undefined, log: (line: string) => void,
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
