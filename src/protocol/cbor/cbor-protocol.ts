// AWS's CBOR flavour of awsJson 1.1 (`application/x-amz-cbor-1.1`, what the Java SDK and KCL send to
// Kinesis): POST / with X-Amz-Target "<prefix>.<Operation>", bodies and errors in CBOR.
import { type AwsError, protocolErrors } from '../errors.ts'
import type { HttpRequest, HttpResponse } from '../http.ts'
import type { OperationModel, ServiceModel } from '../model.ts'
import type { ParsedRequest, ResponseContext, WireProtocol } from '../wire-protocol.ts'
import { eventStreamMember, eventStreamResponse, isAsyncIterable, type PayloadEncoder } from '../json-rpc/event-stream-output.ts'
import { CborError, CborTag, decode, encode } from './cbor.ts'
import { readCborShape, writeCborShape } from './cbor-shapes.ts'

export const cborContentType = 'application/x-amz-cbor-1.1'

function parseRequest(request: HttpRequest, model: ServiceModel): ParsedRequest {
  const target = request.headers['x-amz-target'] ?? ''
  const name = target.slice(target.lastIndexOf('.') + 1)
  const operation = model.operation(name)
  if (operation === undefined) throw protocolErrors.unknownOperation(name || target)
  let body: unknown = {}
  if (request.body.length > 0) {
    try {
      body = decode(request.body, { epochAsNumber: false })
    } catch (error) {
      if (!(error instanceof CborError)) throw error
      // AWS answers an undecodable CBOR body with a bare SerializationException. [R: wording ours]
      throw protocolErrors.serialization(`The request body is not valid CBOR: ${error.message}.`)
    }
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body) || body instanceof Uint8Array || body instanceof CborTag) {
    throw protocolErrors.serialization('The request body must be a CBOR map.')
  }
  const input = operation.input === undefined ? {} : readCborShape(model, operation.input, body)
  return { operation, input: input as Record<string, unknown> }
}

function serializeOutput(model: ServiceModel, operation: OperationModel, output: object, ctx: ResponseContext): HttpResponse {
  // SubscribeToShard from the Java SDK / KCL 2.x: the same event stream, each message's payload in CBOR
  // and labelled `:content-type: application/x-amz-cbor-1.1`.
  const stream = operation.output === undefined ? undefined : eventStreamMember(model, operation.output)
  if (stream !== undefined && isAsyncIterable((output as Record<string, unknown>)[stream.name])) {
    const payload: PayloadEncoder = (value, shape) => encode((shape === undefined ? value : writeCborShape(model, shape, value)) ?? {})
    return eventStreamResponse(model, stream, output as Record<string, unknown>, cborContentType, ctx.requestId, payload)
  }
  const data = operation.output === undefined ? {} : writeCborShape(model, operation.output, output)
  return { status: 200, headers: { 'content-type': cborContentType, 'x-amzn-requestid': ctx.requestId }, body: encode(data ?? {}) }
}

function serializeError(model: ServiceModel, error: AwsError, ctx: ResponseContext): HttpResponse {
  const status = model.errorShape(error.code)?.error?.httpStatusCode ?? error.status
  const body = { __type: `${model.metadata.namespace}#${error.code}`, message: error.message, ...error.fields }
  return { status, headers: { 'content-type': cborContentType, 'x-amzn-requestid': ctx.requestId }, body: encode(body) }
}

export const awsCbor: WireProtocol = { name: 'cbor', parseRequest, serializeOutput, serializeError }
