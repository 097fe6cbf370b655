// restJson1 (Lambda, and most newer services): operations routed by method + URI, members bound to
// labels, query and headers, the rest as a JSON body with timestamps as epoch seconds.
import { type AwsError, protocolErrors } from '../errors.ts'
import type { HttpRequest, HttpResponse } from '../http.ts'
import { readJsonShape, writeJsonShape } from '../json-shapes.ts'
import type { OperationModel, ServiceModel } from '../model.ts'
import { errorStatus, isHead, parseRestRequest, type RestBodyCodec, routeOperation, serializeRestOutput } from '../rest-operation.ts'
import type { ParsedRequest, ResponseContext, WireProtocol } from '../wire-protocol.ts'

const jsonCodec: RestBodyCodec = {
  contentType: 'application/json',
  readStructure(model, shapeName, body, member) {
    let value: unknown
    try {
      value = JSON.parse(body.toString('utf8'))
    } catch {
      throw protocolErrors.serialization('The request body is not valid JSON.')
    }
    const path = member?.name ?? ''
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw protocolErrors.serialization(`Value at '${path || 'body'}' must be a structure`)
    }
    return (readJsonShape(model, shapeName, value, path) ?? {}) as Record<string, unknown>
  },
  writeStructure(model, shapeName, value) {
    return JSON.stringify(writeJsonShape(model, shapeName, value) ?? {})
  },
  invalid: (detail) => protocolErrors.serialization(detail),
}

function parseRequest(request: HttpRequest, model: ServiceModel): ParsedRequest {
  return parseRestRequest(request, model, jsonCodec)
}

function serializeOutput(model: ServiceModel, operation: OperationModel, output: object, ctx: ResponseContext): HttpResponse {
  return serializeRestOutput(model, operation, output as Record<string, unknown>, ctx, jsonCodec, {})
}

/**
 * The code travels in `x-amzn-errortype` (what SDKs read first); the body carries the message and
 * the error's extra members. Lambda sends `{"Type":"User","Message":"Function not found: …"}`:
 * the message key follows the error shape's own member (`Message`, or its wire name: apigatewayv2's
 * is `message`), else `message`, which is what SDKs fall back to. No `__type`: restJson1 services don't send one.
 */
function serializeError(model: ServiceModel, error: AwsError, ctx: ResponseContext): HttpResponse {
  const shape = model.errorShape(error.code)
  const code = shape?.error?.code ?? error.code
  const headers: Record<string, string> = {
    'content-type': 'application/json', 'x-amzn-requestid': ctx.requestId, 'x-amzn-errortype': code,
  }
  const status = errorStatus(model, error)
  if (isHead(ctx)) return { status, headers, body: '' }
  const member = shape?.members?.['Message']
  const messageKey = member === undefined ? 'message' : member.locationName ?? 'Message'
  const body = { ...error.fields, [messageKey]: error.message }
  return { status, headers, body: JSON.stringify(body) }
}

export const restJson: WireProtocol = { name: 'rest-json', parseRequest, operationOf: routeOperation, serializeOutput, serializeError }
