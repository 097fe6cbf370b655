// API Gateway's own answers at request time (its default "gateway responses"): a JSON message
// and the error type in `x-amzn-ErrorType`, plus the ids every answer carries.
import type { HttpResponse } from '../../../protocol/http.ts'

export interface ResponseIds {
  requestId: string
  extendedRequestId: string
}

export function idHeaders(ids: ResponseIds): Record<string, string> {
  return { 'x-amzn-requestid': ids.requestId, 'x-amz-apigw-id': ids.extendedRequestId }
}

/** The answers API Gateway made itself, not its backend: the stage cache never stores them. */
const gatewayMade = new WeakSet<HttpResponse>()
export const isGatewayMade = (response: HttpResponse) => gatewayMade.has(response)

function gatewayResponse(status: number, errorType: string, message: string, ids: ResponseIds): HttpResponse {
  const response = {
    status,
    headers: { 'content-type': 'application/json', ...idHeaders(ids), 'x-amzn-errortype': errorType },
    body: JSON.stringify({ message }),
  }
  gatewayMade.add(response)
  return response
}

/** ACCESS_DENIED words its message with a capital M, as AWS's authorizer denials read. */
function accessDenied(message: string, ids: ResponseIds): HttpResponse {
  return {
    status: 403,
    headers: { 'content-type': 'application/json', ...idHeaders(ids), 'x-amzn-errortype': 'AccessDeniedException' },
    body: JSON.stringify({ Message: message }),
  }
}

export const gatewayResponses = {
  /** UNAUTHORIZED: an authorizer's identity source is missing, fails its validation expression, or the function said "Unauthorized". */
  unauthorized: (ids: ResponseIds) => gatewayResponse(401, 'UnauthorizedException', 'Unauthorized', ids),
  /** ACCESS_DENIED: the authorizer's policy denies the method ARN explicitly. */
  explicitDeny: (ids: ResponseIds) => accessDenied('User is not authorized to access this resource with an explicit deny', ids),
  /** ACCESS_DENIED: the authorizer's policy allows nothing matching the method ARN. */
  implicitDeny: (ids: ResponseIds) => accessDenied('User is not authorized to access this resource', ids),
  /** [R] AUTHORIZER_CONFIGURATION_ERROR: the function failed or answered no valid policy; AWS's body is `{"message": null}`. */
  authorizerConfiguration: (ids: ResponseIds): HttpResponse => ({
    status: 500,
    headers: { 'content-type': 'application/json', ...idHeaders(ids), 'x-amzn-errortype': 'AuthorizerConfigurationException' },
    body: JSON.stringify({ message: null }),
  }),
  /** MISSING_AUTHENTICATION_TOKEN: no resource or method matches (AWS's famous answer for a wrong path). */
  missingToken: (ids: ResponseIds) => gatewayResponse(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token', ids),
  /** [R] An unknown stage (and, in Nimbus, an unknown API id, which on AWS does not resolve at all). */
  forbidden: (ids: ResponseIds) => gatewayResponse(403, 'ForbiddenException', 'Forbidden', ids),
  /** A malformed Lambda proxy response or a function error. */
  badGateway: (ids: ResponseIds) => gatewayResponse(502, 'InternalServerErrorException', 'Internal server error', ids),
  /** A configuration error at request time (no matching integration response, a missing function). */
  internal: (ids: ResponseIds) => gatewayResponse(500, 'InternalServerErrorException', 'Internal server error', ids),
  /** INTEGRATION_TIMEOUT: the backend did not answer within the integration's timeout (29 s by default). */
  timeout: (ids: ResponseIds) => gatewayResponse(504, 'InternalServerErrorException', 'Endpoint request timed out', ids),
  /** [R] Payload over 10 MB. */
  tooLarge: (ids: ResponseIds) => gatewayResponse(413, 'RequestTooLargeException', 'Request Too Long', ids),
  /** A request whose Content-Type has no request template when the passthrough behaviour forbids passing it through. */
  unsupportedMediaType: (ids: ResponseIds) => gatewayResponse(415, 'UnsupportedMediaTypeException', 'Unsupported Media Type', ids),
  /** THROTTLED: a throttled function, a usage plan's or the stage's throttle. */
  throttled: (ids: ResponseIds) => gatewayResponse(429, 'TooManyRequestsException', 'Too Many Requests', ids),
  /** QUOTA_EXCEEDED: the usage plan's quota for the period is used up. */
  quotaExceeded: (ids: ResponseIds) => gatewayResponse(429, 'LimitExceededException', 'Limit Exceeded', ids),
  /** INVALID_API_KEY: a method requiring an API key got none, an unknown or disabled one, or one of no usage plan for the stage. */
  invalidApiKey: (ids: ResponseIds) => gatewayResponse(403, 'ForbiddenException', 'Forbidden', ids),
  /** BAD_REQUEST_PARAMETERS: the method's request validator found required parameters absent or blank. */
  badRequestParameters: (missing: string[], ids: ResponseIds) =>
    gatewayResponse(400, 'BadRequestException', `Missing required request parameters: [${missing.join(', ')}]`, ids),
  /** BAD_REQUEST_BODY: the body breaks the request model of its content type. */
  badRequestBody: (ids: ResponseIds) => gatewayResponse(400, 'BadRequestException', 'Invalid request body', ids),
  /** Not AWS's: an integration type Nimbus doesn't run yet says so (README Gaps). */
  notImplemented: (type: string, ids: ResponseIds) => gatewayResponse(501, 'NotImplemented',
    `Nimbus does not run ${type} integrations yet; see the Gaps in Nimbus's apigateway README.`, ids),
}
