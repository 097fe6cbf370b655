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

/** What an answer API Gateway made itself is: its gateway response type and message (`$context.error.*`). */
export interface GatewayMade {
  type: string
  message: string | null
  /** Request validation's findings (`$context.error.validationErrorString`). */
  validationErrorString?: string
}

/** The answers API Gateway made itself, not its backend: a customised gateway response restyles them; the stage cache never stores them. */
const gatewayMade = new WeakMap<HttpResponse, GatewayMade>()
export const isGatewayMade = (response: HttpResponse) => gatewayMade.has(response)
export const gatewayMadeOf = (response: HttpResponse): GatewayMade | undefined => gatewayMade.get(response)

function made(response: HttpResponse, type: string, message: string | null, validationErrorString?: string): HttpResponse {
  gatewayMade.set(response, { type, message, validationErrorString })
  return response
}

function gatewayResponse(status: number, errorType: string, message: string, ids: ResponseIds, type: string, validationErrorString?: string): HttpResponse {
  return made({
    status,
    headers: { 'content-type': 'application/json', ...idHeaders(ids), 'x-amzn-errortype': errorType },
    body: JSON.stringify({ message }),
  }, type, message, validationErrorString)
}

/** ACCESS_DENIED words its message with a capital M, as AWS's authorizer denials read. */
function accessDenied(message: string, ids: ResponseIds): HttpResponse {
  return made({
    status: 403,
    headers: { 'content-type': 'application/json', ...idHeaders(ids), 'x-amzn-errortype': 'AccessDeniedException' },
    body: JSON.stringify({ Message: message }),
  }, 'ACCESS_DENIED', message)
}

export const gatewayResponses = {
  /** UNAUTHORIZED: an authorizer's identity source is missing, fails its validation expression, or the function said "Unauthorized". */
  unauthorized: (ids: ResponseIds) => gatewayResponse(401, 'UnauthorizedException', 'Unauthorized', ids, 'UNAUTHORIZED'),
  /** ACCESS_DENIED: the authorizer's policy denies the method ARN explicitly. */
  explicitDeny: (ids: ResponseIds) => accessDenied('User is not authorized to access this resource with an explicit deny', ids),
  /** ACCESS_DENIED: the authorizer's policy allows nothing matching the method ARN. */
  implicitDeny: (ids: ResponseIds) => accessDenied('User is not authorized to access this resource', ids),
  /** [R] ACCESS_DENIED: `--enforce-iam` found no identity policy allowing execute-api:Invoke on an AWS_IAM method. */
  iamDenied: (message: string, ids: ResponseIds) => accessDenied(message, ids),
  /**
   * An AWS_IAM method's signature refused, with the front end's code and message: a bad signature
   * (INVALID_SIGNATURE), an unknown access key ("The security token included in the request is
   * invalid."), an expired one (EXPIRED_TOKEN) [R: the response types other than INVALID_SIGNATURE].
   */
  signatureRefused: (code: string, message: string, ids: ResponseIds) => gatewayResponse(403, code, message, ids,
    code === 'ExpiredTokenException' ? 'EXPIRED_TOKEN' : code === 'InvalidSignatureException' || code === 'IncompleteSignatureException' ? 'INVALID_SIGNATURE' : 'DEFAULT_4XX'),
  /** [R] AUTHORIZER_CONFIGURATION_ERROR: the function failed or answered no valid policy; AWS's body is `{"message": null}`. */
  authorizerConfiguration: (ids: ResponseIds): HttpResponse => made({
    status: 500,
    headers: { 'content-type': 'application/json', ...idHeaders(ids), 'x-amzn-errortype': 'AuthorizerConfigurationException' },
    body: JSON.stringify({ message: null }),
  }, 'AUTHORIZER_CONFIGURATION_ERROR', null),
  /** MISSING_AUTHENTICATION_TOKEN: no resource or method matches (AWS's famous answer for a wrong path). */
  missingToken: (ids: ResponseIds) => gatewayResponse(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token', ids, 'MISSING_AUTHENTICATION_TOKEN'),
  /** [R] An unknown stage (and, in Nimbus, an unknown API id, which on AWS does not resolve at all). */
  forbidden: (ids: ResponseIds) => gatewayResponse(403, 'ForbiddenException', 'Forbidden', ids, 'DEFAULT_4XX'),
  /** A malformed Lambda proxy response or a function error. */
  badGateway: (ids: ResponseIds) => gatewayResponse(502, 'InternalServerErrorException', 'Internal server error', ids, 'DEFAULT_5XX'),
  /** A configuration error at request time (no matching integration response, a missing function). */
  internal: (ids: ResponseIds) => gatewayResponse(500, 'InternalServerErrorException', 'Internal server error', ids, 'API_CONFIGURATION_ERROR'),
  /** INTEGRATION_TIMEOUT: the backend did not answer within the integration's timeout (29 s by default). */
  timeout: (ids: ResponseIds) => gatewayResponse(504, 'InternalServerErrorException', 'Endpoint request timed out', ids, 'INTEGRATION_TIMEOUT'),
  /**
   * A payload over 10 MB is refused by the execute-api front end, before the API is looked at: a 413 in
   * plain text, as an answer from AWS quoted in a public issue shows (koki-develop/lgtm-generator#10) —
   * which is why a customised REQUEST_TOO_LARGE never applies to it.
   */
  tooLarge: (ids: ResponseIds) => made({
    status: 413, headers: { 'content-type': 'text; charset=utf-8', ...idHeaders(ids) }, body: 'HTTP content length exceeded 10485760 bytes.',
  }, 'REQUEST_TOO_LARGE', 'HTTP content length exceeded 10485760 bytes.'),
  /**
   * [R: the answer seen in a public issue, koki-develop/lgtm-generator#10] A Lambda integration whose payload
   * (the proxy event, or the mapped body) is over Lambda's 6 MB synchronous limit: refused before the function is
   * called, as a JSON 413 with a space after the colon (its Content-Length was 31).
   */
  requestTooLong: (ids: ResponseIds) => made({
    status: 413, headers: { 'content-type': 'application/json', ...idHeaders(ids), 'x-amzn-errortype': 'BadRequestException' },
    body: '{"message": "Request Too Long"}',
  }, 'REQUEST_TOO_LARGE', 'Request Too Long'),
  /** A request whose Content-Type has no request template when the passthrough behaviour forbids passing it through. */
  unsupportedMediaType: (ids: ResponseIds) => gatewayResponse(415, 'UnsupportedMediaTypeException', 'Unsupported Media Type', ids, 'UNSUPPORTED_MEDIA_TYPE'),
  /** THROTTLED: a throttled function, a usage plan's or the stage's throttle. */
  throttled: (ids: ResponseIds) => gatewayResponse(429, 'TooManyRequestsException', 'Too Many Requests', ids, 'THROTTLED'),
  /** QUOTA_EXCEEDED: the usage plan's quota for the period is used up. */
  quotaExceeded: (ids: ResponseIds) => gatewayResponse(429, 'LimitExceededException', 'Limit Exceeded', ids, 'QUOTA_EXCEEDED'),
  /** INVALID_API_KEY: a method requiring an API key got none, an unknown or disabled one, or one of no usage plan for the stage. */
  invalidApiKey: (ids: ResponseIds) => gatewayResponse(403, 'ForbiddenException', 'Forbidden', ids, 'INVALID_API_KEY'),
  /** BAD_REQUEST_PARAMETERS: the method's request validator found required parameters absent or blank. */
  badRequestParameters: (missing: string[], ids: ResponseIds) => {
    const message = `Missing required request parameters: [${missing.join(', ')}]`
    return gatewayResponse(400, 'BadRequestException', message, ids, 'BAD_REQUEST_PARAMETERS', message)
  },
  /** BAD_REQUEST_BODY: the body breaks the request model of its content type. */
  badRequestBody: (ids: ResponseIds, errors: string[] = []) =>
    gatewayResponse(400, 'BadRequestException', 'Invalid request body', ids, 'BAD_REQUEST_BODY', `[${errors.join(', ')}]`),
  /** Not AWS's: an integration type Nimbus doesn't run yet says so (README Gaps). */
  notImplemented: (type: string, ids: ResponseIds) => gatewayResponse(501, 'NotImplemented',
    `Nimbus does not run ${type} integrations yet; see the Gaps in Nimbus's apigateway README.`, ids, 'DEFAULT_5XX'),
}
