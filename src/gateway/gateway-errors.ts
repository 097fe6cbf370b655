// Errors the gateway answers itself (body too large, no service claims the request, a method HTTP
// can't route), rendered in the protocol the client speaks: a query client gets an ErrorResponse,
// an awsJson client a `__type`, a REST JSON client `x-amzn-errortype`, an EC2 client its <Response>,
// a Smithy RPC v2 CBOR client (CloudWatch in new SDKs) a CBOR `__type`, anything else S3's <Error>.
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { newRequestId } from '../core/ids.ts'
import { type AwsError, protocolErrors } from '../protocol/errors.ts'
import type { HttpRequest, HttpResponse } from '../protocol/http.ts'
import { protocols } from '../protocol/protocols.ts'
import { XmlWriter } from '../protocol/xml.ts'
import type { Target } from './identify-service.ts'

export type ErrorStyle = 'json' | 'query' | 'rest-json' | 'xml' | 'ec2' | 'cbor'

/** The protocol a request speaks, from its headers and query alone (the body may be unread). */
export function errorStyle(request: Pick<HttpRequest, 'headers' | 'query'>): ErrorStyle {
  const type = request.headers['content-type'] ?? ''
  if (isCborRequest(request)) return 'cbor'
  if (request.headers['x-amz-target'] !== undefined || type.startsWith('application/x-amz-json')) return 'json'
  if (type.startsWith('application/x-www-form-urlencoded') || request.query.has('Action')) return 'query'
  if (type.startsWith('application/json')) return 'rest-json'
  return 'xml'
}

/**
 * The error as the client's protocol renders it: by the service's own protocol and model when the
 * request was identified (namespaces, legacy codes), else by what the request looks like.
 */
export function gatewayErrorResponse(error: AwsError, request: Pick<HttpRequest, 'headers' | 'query' | 'method'>,
  requestId: string, target?: Target): HttpResponse {
  const protocol = target === undefined ? undefined : protocols[target.protocol]
  if (target !== undefined && protocol !== undefined) return protocol.serializeError(target.service.model, error, { requestId })
  return renderGatewayError(error, errorStyle(request), request, requestId)
}

/** The error in the given style; `jsonType` is the awsJson content type when the request named none. */
export function renderGatewayError(error: AwsError, style: ErrorStyle, request: Pick<HttpRequest, 'headers' | 'method'>,
  requestId: string, jsonType = 'application/x-amz-json-1.0'): HttpResponse {
  const headers: Record<string, string> = { 'x-amzn-requestid': requestId }
  if (style === 'cbor') {
    // The SDKs refuse a response without this header before reading the body.
    Object.assign(headers, { 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor' })
    return { status: error.status, headers, body: cborTextMap({ __type: error.code, message: error.message }) }
  }
  if (style === 'json') {
    const type = request.headers['content-type'] ?? ''
    headers['content-type'] = type.startsWith('application/x-amz-json') ? type : jsonType
    return { status: error.status, headers, body: JSON.stringify({ __type: error.code, message: error.message }) }
  }
  if (style === 'rest-json') {
    Object.assign(headers, { 'content-type': 'application/json', 'x-amzn-errortype': error.code })
    return { status: error.status, headers, body: request.method === 'HEAD' ? '' : JSON.stringify({ message: error.message }) }
  }
  const w = new XmlWriter()
  if (style === 'query') {
    w.open('ErrorResponse').open('Error').leaf('Type', error.fault).leaf('Code', error.code).leaf('Message', error.message)
    w.empty('Detail').close('Error').leaf('RequestId', requestId).close('ErrorResponse')
    headers['content-type'] = 'text/xml'
  } else if (style === 'ec2') {
    // EC2's own envelope: Errors/Error, and RequestID spelled with a capital D.
    w.open('Response').open('Errors').open('Error').leaf('Code', error.code).leaf('Message', error.message).close('Error')
    w.close('Errors').leaf('RequestID', requestId).close('Response')
    headers['content-type'] = 'text/xml'
  } else {
    w.open('Error').leaf('Code', error.code).leaf('Message', error.message).leaf('RequestId', requestId).close('Error')
    Object.assign(headers, { 'content-type': 'application/xml', 'x-amz-request-id': requestId })
  }
  return { status: error.status, headers, body: request.method === 'HEAD' ? '' : w.toString() }
}

/** Smithy's RPC v2 CBOR protocol: `POST /service/<name>/operation/<op>` with a `smithy-protocol` header. */
export function isCborRequest(request: Pick<HttpRequest, 'headers'>): boolean {
  return request.headers['smithy-protocol'] === 'rpc-v2-cbor' || (request.headers['content-type'] ?? '').startsWith('application/cbor')
}

/** A CBOR map of text strings (RFC 8949 major types 5 and 3): all an error body needs, so no CBOR library. */
function cborTextMap(entries: Record<string, string>): Buffer {
  const head = (major: number, length: number): Buffer => {
    if (length < 24) return Buffer.from([(major << 5) | length])
    if (length < 0x100) return Buffer.from([(major << 5) | 24, length])
    if (length < 0x10000) return Buffer.from([(major << 5) | 25, length >> 8, length & 0xff])
    const b = Buffer.alloc(5)
    b[0] = (major << 5) | 26
    b.writeUInt32BE(length, 1)
    return b
  }
  const text = (value: string): Buffer[] => {
    const bytes = Buffer.from(value, 'utf8')
    return [head(3, bytes.length), bytes]
  }
  const pairs = Object.entries(entries)
  return Buffer.concat([head(5, pairs.length), ...pairs.flatMap(([k, v]) => [...text(k), ...text(v)])])
}

/**
 * `CONNECT` asks for a tunnel, which no AWS endpoint offers: answer 405 in the client's style and
 * close, instead of Node's default of dropping the socket without a word.
 */
export function refuseConnect(req: IncomingMessage, socket: Duplex): void {
  const headers = req.headers as Record<string, string>
  const response = gatewayErrorResponse(protocolErrors.methodNotAllowed(), { method: 'CONNECT', headers, query: new URLSearchParams() },
    newRequestId())
  const body = String(response.body)
  const lines = Object.entries({ ...response.headers, 'content-length': String(Buffer.byteLength(body)), connection: 'close' })
    .map(([k, v]) => `${k}: ${v}\r\n`).join('')
  socket.on('error', () => {}) // a client that hung up already: nothing to tell
  socket.end(`HTTP/1.1 ${response.status} Method Not Allowed\r\n${lines}\r\n${body}`)
}
