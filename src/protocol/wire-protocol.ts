// A wire protocol is three functions: parse a request, serialize an output, serialize an error.
import type { AwsError } from './errors.ts'
import type { HttpRequest, HttpResponse } from './http.ts'
import type { OperationModel, ProtocolName, ServiceModel } from './model.ts'

export interface ParsedRequest {
  operation: OperationModel
  input: Record<string, unknown>
}

export interface ResponseContext {
  requestId: string
  /** The operation, when the request got far enough to name one. */
  operation?: OperationModel
}

export interface WireProtocol {
  readonly name: ProtocolName
  parseRequest(request: HttpRequest, model: ServiceModel): ParsedRequest
  /**
   * The operation a request is for, from method, path, query and headers alone (REST protocols
   * route without the body): the gateway asks before it reads a body it may have to stream.
   */
  operationOf?(request: HttpRequest, model: ServiceModel): OperationModel | undefined
  serializeOutput(model: ServiceModel, operation: OperationModel, output: object, ctx: ResponseContext): HttpResponse
  serializeError(model: ServiceModel, error: AwsError, ctx: ResponseContext): HttpResponse
}
