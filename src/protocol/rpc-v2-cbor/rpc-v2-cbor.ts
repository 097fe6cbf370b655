// Smithy RPC v2 CBOR: POST /service/<ServiceName>/operation/<Operation> with `smithy-protocol:
// rpc-v2-cbor` and a CBOR body (application/cbor); answers in CBOR, errors as {__type, message}.
// Values follow the model as in JSON (member names, epoch-second timestamps as tag 1, blobs as
// byte strings), so input reading shares json-shapes' checks.
import { decode, encode, CborError } from '../cbor/cbor.ts'
import { type AwsError, protocolErrors } from '../errors.ts'
import type { HttpRequest, HttpResponse } from '../http.ts'
import { readJsonShape } from '../json-shapes.ts'
import type { ServiceModel } from '../model.ts'
import type { ParsedRequest, ResponseContext, WireProtocol } from '../wire-protocol.ts'
import { smithyRpcV2, writeCborShape } from '../cbor/cbor-shapes.ts'

const headers = (requestId: string): Record<string, string> =>
  ({ 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor', 'x-amzn-requestid': requestId })

/** The operation named by the path (`…/operation/<Name>`), if any. */
function operationName(request: HttpRequest): string {
  const m = /\/service\/[^/]+\/operation\/([^/?]+)$/.exec(request.rawPath)
  return m === null ? '' : decodeURIComponent(m[1]!)
}

/** Byte strings become base64 text, which json-shapes reads into the Buffers blobs are. */
function blobsAsBase64(value: unknown): unknown {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64')
  if (Array.isArray(value)) return value.map(blobsAsBase64)
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(value)) out[k] = blobsAsBase64(v)
    return out
  }
  return value
}

function parseRequest(request: HttpRequest, model: ServiceModel): ParsedRequest {
  const name = operationName(request)
  const operation = model.operation(name)
  if (operation === undefined) throw protocolErrors.unknownOperation(name || request.rawPath)
  let body: unknown = {}
  if (request.body.length > 0) {
    try {
      body = decode(request.body)
    } catch (error) {
      if (error instanceof CborError) throw protocolErrors.serialization(`The request body is not valid CBOR: ${error.message}`)
      throw error
    }
  }
  if (body === null || body === undefined) body = {}
  if (typeof body !== 'object' || Array.isArray(body) || body instanceof Uint8Array) {
    throw protocolErrors.serialization('The request body must be a CBOR map.')
  }
  const input = operation.input === undefined ? {} : readJsonShape(model, operation.input, blobsAsBase64(body), '')
  return { operation, input: input as Record<string, unknown> }
}

function serializeOutput(model: ServiceModel, operation: { output?: string }, output: object, ctx: ResponseContext): HttpResponse {
  // An operation without output answers an empty body (the SDK reads none).
  const body = operation.output === undefined ? Buffer.alloc(0) : encode(writeCborShape(model, operation.output, output, smithyRpcV2) ?? {})
  return { status: 200, headers: headers(ctx.requestId), body }
}

function serializeError(model: ServiceModel, error: AwsError, ctx: ResponseContext): HttpResponse {
  const shape = model.errorShape(error.code)
  const out = headers(ctx.requestId)
  // awsQueryCompatible services name their legacy query code too, as they do on awsJson.
  if (model.metadata.awsQueryCompatible === true) out['x-amzn-query-error'] = `${shape?.error?.code ?? error.code};${error.fault}`
  const status = shape?.error?.httpStatusCode ?? error.status
  const body = { __type: `${model.metadata.namespace}#${error.code}`, message: error.message, ...error.fields }
  return { status, headers: out, body: encode(body) }
}

export const rpcV2Cbor: WireProtocol = { name: 'rpc-v2-cbor', parseRequest, serializeOutput, serializeError }

export function isRpcV2CborRequest(request: Pick<HttpRequest, 'headers'>): boolean {
  return request.headers['smithy-protocol'] === 'rpc-v2-cbor'
}
