// The half of restJson1 and restXml they share: route the request, bind the HTTP parts, and hand
// the body (a payload member or the remaining members) to the protocol's body codec.
import { Readable } from 'node:stream'
import type { AwsError } from './errors.ts'
import { type HttpRequest, type HttpResponse, responseStatus } from './http.ts'
import { type InvalidValue, readHttpBindings, writeHttpBindings } from './http-bindings.ts'
import type { MemberRef, OperationModel, ServiceModel } from './model.ts'
import { routerFor } from './rest-router.ts'
import type { ParsedRequest, ResponseContext } from './wire-protocol.ts'

/** What differs between restJson1 and restXml: how a structure travels in the body. */
export interface RestBodyCodec {
  /** Content type of a structured body (`application/json`, `application/xml`). */
  readonly contentType: string
  /**
   * Reads a structure from a non-empty body. `member` is the payload member when the body is
   * one member's structure; absent when the body holds the input shape's unbound members.
   */
  readStructure(model: ServiceModel, shapeName: string, body: Buffer, member: { name: string; ref: MemberRef } | undefined): Record<string, unknown>
  /** Writes a structure (its unbound members); `rootName` names the XML root element. */
  writeStructure(model: ServiceModel, shapeName: string, value: Record<string, unknown>, root: { name: string; ref?: MemberRef }): string
  readonly invalid: InvalidValue
}

/** The payload member of a shape, when its `payload` trait names one. */
function payloadMember(model: ServiceModel, shapeName: string): { name: string; ref: MemberRef } | undefined {
  const shape = model.shape(shapeName)
  if (shape.payload === undefined) return undefined
  const ref = shape.members?.[shape.payload]
  return ref === undefined ? undefined : { name: shape.payload, ref }
}

function hasBodyMembers(model: ServiceModel, shapeName: string): boolean {
  return Object.values(model.shape(shapeName).members ?? {}).some((member) => member.location === undefined)
}

export function parseRestRequest(request: HttpRequest, model: ServiceModel, codec: RestBodyCodec): ParsedRequest {
  const { operation, labels } = routerFor(model).match(request)
  if (operation.input === undefined) return { operation, input: {} }
  const bound = readHttpBindings(model, operation, request, labels, codec.invalid)
  const payload = payloadMember(model, operation.input)
  let fromBody: Record<string, unknown> = {}
  if (payload !== undefined) {
    const value = request.bodyStream !== undefined && isStreamingBlob(model, payload)
      ? request.bodyStream
      : readPayload(model, payload, request.body, codec)
    if (value !== undefined) fromBody = { [payload.name]: value }
  } else if (request.body.length > 0 && hasBodyMembers(model, operation.input)) {
    fromBody = codec.readStructure(model, operation.input, request.body, undefined)
    // Bound members come from the HTTP parts only, even if the body repeats a name.
    for (const [name, member] of Object.entries(model.shape(operation.input).members ?? {})) {
      if (member.location !== undefined) delete fromBody[name]
    }
  }
  return { operation, input: { ...fromBody, ...bound } }
}

/** The operation from method, path, query and headers; undefined when no route matches. */
export function routeOperation(request: HttpRequest, model: ServiceModel): OperationModel | undefined {
  try {
    return routerFor(model).match(request).operation
  } catch {
    return undefined
  }
}

function isStreamingBlob(model: ServiceModel, payload: { ref: MemberRef }): boolean {
  const shape = model.shape(payload.ref.shape)
  return shape.type === 'blob' && (shape.streaming === true || payload.ref.streaming === true)
}

function readPayload(model: ServiceModel, payload: { name: string; ref: MemberRef }, body: Buffer, codec: RestBodyCodec): unknown {
  const shape = model.shape(payload.ref.shape)
  switch (shape.type) {
    case 'blob':
      // A streaming body (S3 PutObject) is always there, if empty; a plain blob only when sent.
      return body.length > 0 || shape.streaming === true || payload.ref.streaming === true ? body : undefined
    case 'string':
      return body.length > 0 ? body.toString('utf8') : undefined
    case 'structure':
      return body.length > 0 ? codec.readStructure(model, payload.ref.shape, body, payload) : undefined
    default:
      throw codec.invalid(`A ${shape.type} payload is not supported.`)
  }
}

export function serializeRestOutput(model: ServiceModel, operation: OperationModel, output: Record<string, unknown>,
  ctx: ResponseContext, codec: RestBodyCodec, baseHeaders: Record<string, string>): HttpResponse {
  const bindings = writeHttpBindings(model, operation.output, output)
  const status = bindings.status ?? (output as { [responseStatus]?: number })[responseStatus] ?? operation.http.responseCode ?? 200
  const headers: Record<string, string> = { ...baseHeaders, 'x-amzn-requestid': ctx.requestId, ...bindings.headers }
  const body = operation.output === undefined ? '' : outputBody(model, operation.output, output, codec, headers)
  // HEAD, 204 and 304 carry no body; headers (Content-Length, ETag…) still describe the resource.
  if (operation.http.method === 'HEAD' || status === 204 || status === 304) return { status, headers, body: '' }
  if (body !== '' && headers['content-type'] === undefined) headers['content-type'] = codec.contentType
  return { status, headers, body }
}

/** The body: the payload member as is (blob, string) or as a structure, else the unbound members. */
function outputBody(model: ServiceModel, shapeName: string, output: Record<string, unknown>, codec: RestBodyCodec,
  headers: Record<string, string>): string | Buffer | Readable {
  const payload = payloadMember(model, shapeName)
  if (payload === undefined) {
    if (!hasBodyMembers(model, shapeName)) return ''
    const name = model.quirks.xmlRootNames?.[shapeName] ?? model.shape(shapeName).locationName ?? shapeName
    return codec.writeStructure(model, shapeName, output, { name })
  }
  const value = output[payload.name]
  if (value === undefined || value === null) return ''
  const shape = model.shape(payload.ref.shape)
  if (shape.type === 'structure') {
    const name = payload.ref.locationName ?? shape.locationName ?? payload.name
    return codec.writeStructure(model, payload.ref.shape, value as Record<string, unknown>, { name, ref: payload.ref })
  }
  // A Readable passes through untouched so S3 GetObject can stream.
  if (value instanceof Readable) {
    headers['content-type'] ??= 'application/octet-stream'
    return value
  }
  if (typeof value === 'string') {
    headers['content-type'] ??= shape.type === 'blob' ? 'application/octet-stream' : 'text/plain'
    return value
  }
  headers['content-type'] ??= 'application/octet-stream'
  return Buffer.isBuffer(value) ? value : Buffer.from(value as Uint8Array)
}

/** The status an error renders with: the model's error trait wins over the thrown default. */
export function errorStatus(model: ServiceModel, error: AwsError): number {
  return model.errorShape(error.code)?.error?.httpStatusCode ?? error.status
}

/** HEAD errors carry no body either; SDKs name them from the status alone (S3's `NotFound`). */
export function isHead(ctx: ResponseContext): boolean {
  return ctx.operation?.http.method === 'HEAD'
}
