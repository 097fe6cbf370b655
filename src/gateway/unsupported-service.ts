// Requests for AWS services Nimbus does not serve (Step Functions, RDS, DynamoDB…) are answered 501
// NotImplemented in that service's own protocol, so the client shows the message instead of failing
// to parse it; the message names the service and what Nimbus serves.
import { AwsError } from '../protocol/errors.ts'
import type { HttpRequest, HttpResponse } from '../protocol/http.ts'
import type { AwsService } from './aws-services.ts'
import { type ErrorStyle, isCborRequest, renderGatewayError } from './gateway-errors.ts'

/** AWS's not-implemented status and the code SDKs show as is; the message names the service and what Nimbus serves. */
export function unsupportedServiceError(service: AwsService, served: readonly string[]): AwsError {
  return new AwsError('NotImplemented', `Nimbus does not serve ${service.name} (${service.signing}) yet; it serves ${served.join(', ')}. `
    + 'See "Services so far" in Nimbus\'s README.', { status: 501 })
}

/** The error in the protocol the service speaks, unless the request plainly speaks another (SQS's JSON and query). */
export function unsupportedServiceResponse(service: AwsService, served: readonly string[], request: HttpRequest,
  requestId: string): HttpResponse {
  const type = request.headers['content-type'] ?? ''
  let style: ErrorStyle
  if (isCborRequest(request)) style = 'cbor'
  else if (request.headers['x-amz-target'] !== undefined || type.startsWith('application/x-amz-json')) style = 'json'
  else if (type.startsWith('application/x-www-form-urlencoded') || service.protocol === 'query') style = 'query'
  else if (service.protocol === 'ec2') style = 'ec2'
  else if (service.protocol === 'json') style = 'json'
  else if (service.protocol === 'rest-json') style = 'rest-json'
  else style = 'xml'
  const jsonType = type.startsWith('application/x-amz-json') ? type : `application/x-amz-json-${service.json ?? '1.1'}`
  return renderGatewayError(unsupportedServiceError(service, served), style, request, requestId, jsonType)
}
