// Access logging of HTTP API stages: the stage's AccessLogSettings format with its `$context.*`
// variables filled in (`-` for one without a value, as AWS writes it), one log event per request
// into the destination CloudWatch Logs group through the Logs port, or one record into the destination
// Firehose stream through Firehose's port (api-gateway-access-log-sink.ts).
import { clfTime, renderAccessLog } from '../../api-gateway-logs.ts'
import { accessLogStream, type AccessLogSinks, deliverAccessLine } from '../../api-gateway-access-log-sink.ts'
import type { HttpApiData, StageData } from '../data.ts'
import type { InvokeRequest, InvokeResponse } from '../port.ts'
import type { IamCaller } from './iam-auth.ts'
import { authorizerVariables } from './authorizer-context.ts'

/** What one request leaves for its access log line. */
export interface AccessFacts {
  api?: HttpApiData
  stage?: StageData
  routeKey?: string
  domainName: string
  path: string
  requestId: string
  startedAt: number
  /** The route's integration type (a first-class integration's subtype) and how long it took (undefined: not called). */
  integrationType?: string
  integrationMs?: number
  /** What the route's authorizer left: a Lambda authorizer's context, a JWT's claims, the IAM caller. */
  lambda?: Record<string, unknown>
  /** A Lambda authorizer's IAM policy answer's `principalId` (`$context.authorizer.principalId`). */
  principalId?: string
  jwt?: { claims: Record<string, string>; scopes: string[] | null }
  iam?: IamCaller
}

function errorMessage(response: InvokeResponse): string | undefined {
  if (response.status < 400 || typeof response.body !== 'string') return undefined
  try {
    const message = (JSON.parse(response.body) as { message?: unknown }).message
    return typeof message === 'string' ? message : undefined
  } catch {
    return undefined
  }
}

export function writeAccessLog(sinks: AccessLogSinks, facts: AccessFacts, request: InvokeRequest, response: InvokeResponse, now: number,
  log: (line: string) => void): void {
  const { api, stage } = facts
  const settings = stage?.accessLogSettings
  if (api === undefined || stage === undefined || settings?.destinationArn === undefined || settings.format === undefined) return
  const values: Record<string, string | number | undefined> = {
    requestId: facts.requestId, extendedRequestId: facts.requestId, apiId: api.id, accountId: api.account, stage: stage.name,
    routeKey: facts.routeKey, httpMethod: request.method, path: facts.path, protocol: 'HTTP/1.1', status: response.status,
    responseLength: typeof response.body === 'string' ? Buffer.byteLength(response.body) : response.body.length,
    requestTime: clfTime(facts.startedAt), requestTimeEpoch: facts.startedAt,
    'identity.sourceIp': (request.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''), 'identity.userAgent': request.headers['user-agent'],
    domainName: facts.domainName, domainPrefix: facts.domainName.split('.')[0], responseLatency: now - facts.startedAt,
    'error.message': errorMessage(response),
    ...integrationVariables(facts, response), ...callerVariables(facts),
  }
  const stream = accessLogStream(api.id, stage.name)
  try {
    deliverAccessLine(sinks, settings.destinationArn, stream, facts.startedAt, renderAccessLog(settings.format, values))
  } catch (error) {
    log(`[nimbus] apigatewayv2 ${api.id}/${stage.name}: writing the access log failed: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/** The answers the gateway makes itself when the integration gave none (its timeout 503, a failed call 500). */
const gatewayMade = (response: InvokeResponse) => response.status >= 500 && errorMessage(response) !== undefined &&
  (errorMessage(response) === 'Internal Server Error' || errorMessage(response) === 'Service Unavailable')

/**
 * AWS's HTTP API table: `integrationLatency` = `integration.latency`; `integration.status`, the integration's
 * answer (a Lambda proxy's: what the function code returned); `integrationStatus` and
 * `integration.integrationStatus`, for Lambda proxy integrations the status of AWS Lambda's own answer (200,
 * "not from the backend Lambda function code"), else the integration's; `integration.error` /
 * `integrationErrorMessage` the gateway's message when the integration gave no answer [R: read from the answer
 * that went back].
 */
function integrationVariables(facts: AccessFacts, response: InvokeResponse): Record<string, string | number | undefined> {
  if (facts.integrationMs === undefined) return {}
  const failed = gatewayMade(response)
  const status = failed ? undefined : response.status
  const latency = Math.round(facts.integrationMs)
  const service = facts.integrationType === 'AWS_PROXY' ? (failed && response.status === 503 ? undefined : 200) : status
  const error = failed ? errorMessage(response) : undefined
  return {
    integrationLatency: latency, 'integration.latency': latency, 'integration.status': status, integrationStatus: service,
    'integration.integrationStatus': service, 'integration.error': error, integrationErrorMessage: error,
  }
}

/** `authorizer.{key}` (a Lambda authorizer's context, its `principalId`), `authorizer.claims.{claim}` (a JWT's), and an IAM caller's `identity.*`. */
function callerVariables(facts: AccessFacts): Record<string, string | number | undefined> {
  const out: Record<string, string | number | undefined> = {}
  // The same `$context.authorizer.*` parameter mapping reads.
  for (const [key, value] of Object.entries(authorizerVariables(facts.lambda, facts.principalId, facts.jwt?.claims) ?? {})) out[`authorizer.${key}`] = value
  const iam = facts.iam
  if (iam !== undefined) {
    Object.assign(out, { 'identity.accountId': iam.accountId, 'identity.caller': iam.caller, 'identity.user': iam.user,
      'identity.userArn': iam.userArn, 'identity.accessKey': iam.accessKey })
  }
  return out
}
