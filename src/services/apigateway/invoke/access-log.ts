// Access logging of REST API stages: the stage's AccessLogSettings format with its `$context.*`
// variables filled in for each request (`-` for a variable without a value, as AWS writes it), one
// log event per request into the destination log group through CloudWatch Logs' port, or one record
// per request into the destination Firehose stream through Firehose's port (api-gateway-access-log-sink.ts).
import type { HttpResponse } from '../../../protocol/http.ts'
import type { ApiData, StageData } from '../store.ts'
import { clfTime, logGroupOf, renderAccessLog } from '../../api-gateway-logs.ts'
import { accessLogStream, type AccessLogSinks, deliverAccessLine } from '../../api-gateway-access-log-sink.ts'
import type { InvokeTarget } from './invoke-url.ts'
import type { GatewayMade } from './gateway-responses.ts'
import type { InvokeContext } from './request-context.ts'

/** What one request leaves for its access log line. */
export interface AccessFacts {
  api: ApiData
  stage: StageData
  target: InvokeTarget
  method: string
  requestId: string
  extendedRequestId: string
  sourceIp: string
  userAgent: string | undefined
  startedAt: number
  resourcePath?: string
  resourceId?: string
  /** Served by the stage's canary: `$context.isCanaryRequest` (only written while the stage has a canary). */
  canary?: boolean
  /** When the integration was called (performance.now()): IntegrationLatency's start. */
  integrationAt?: number
  /** How long the integration took (ms; undefined: it wasn't called — a refusal, a stage cache hit). */
  integrationMs?: number
  /** The request's context once routed: the authorizer's answer, the IAM caller, the API key. */
  ctx?: InvokeContext
  /** The gateway's own answer, when it made one (its type is `$context.error.responseType`). */
  made?: GatewayMade
}

function bodyLength(body: HttpResponse['body']): number | undefined {
  if (typeof body === 'string') return Buffer.byteLength(body)
  if (Buffer.isBuffer(body)) return body.length
  return undefined
}

function variables(facts: AccessFacts, response: HttpResponse, now: number): Record<string, string | number | undefined> {
  const { api, stage, target } = facts
  return {
    requestId: facts.requestId, extendedRequestId: facts.extendedRequestId, apiId: api.id, accountId: api.account,
    stage: stage.stageName, deploymentId: stage.deploymentId, httpMethod: facts.method, resourcePath: facts.resourcePath,
    resourceId: facts.resourceId, path: target.requestPath ?? `/${stage.stageName}${target.path}`, protocol: 'HTTP/1.1', status: response.status,
    responseLength: bodyLength(response.body), requestTime: clfTime(facts.startedAt), requestTimeEpoch: facts.startedAt,
    'identity.sourceIp': facts.sourceIp, 'identity.userAgent': facts.userAgent, domainName: target.domainName,
    domainPrefix: target.domainName.split('.')[0], responseLatency: now - facts.startedAt,
    'error.message': facts.made?.message ?? errorMessage(response), 'error.responseType': facts.made?.type,
    'error.validationErrorString': facts.made?.validationErrorString,
    isCanaryRequest: stage.canarySettings === undefined ? undefined : String(facts.canary === true),
    ...integrationVariables(facts, response), ...callerVariables(facts),
  }
}

/** The gateway's own answers that mean the integration gave no answer of its own. */
const noBackendAnswer = new Set(['INTEGRATION_TIMEOUT', 'API_CONFIGURATION_ERROR', 'INTEGRATION_FAILURE'])

/**
 * `integrationLatency` / `integration.latency`, and the statuses: `integration.status` (AWS: "the status code
 * returned from an integration; for Lambda proxy integrations, the status code that your Lambda function code
 * returns") and `integrationStatus` / `integration.integrationStatus` (for Lambda integrations, the status of
 * AWS Lambda's own answer, 200, "not from the backend Lambda function code"). Taken from the answer that went
 * back [R: for non-proxy integrations the mapped status stands for the backend's]; a function error or a
 * malformed proxy answer has Lambda's 200 but no status of the function's; `integration.error` and
 * `integrationErrorMessage` the gateway's message then.
 */
function integrationVariables(facts: AccessFacts, response: HttpResponse): Record<string, string | number | undefined> {
  if (facts.integrationMs === undefined) return {}
  const type = facts.ctx?.route.method.integration?.type
  const lambda = type === 'AWS_PROXY' || (type === 'AWS' && /:lambda:path\//.test(facts.ctx?.route.method.integration?.uri ?? ''))
  const made = facts.made?.type
  const answered = made === undefined || !noBackendAnswer.has(made)
  const status = made === undefined ? response.status : undefined
  const service = lambda ? (answered ? 200 : undefined) : status
  const latency = Math.round(facts.integrationMs)
  return {
    integrationLatency: latency, 'integration.latency': latency, 'integration.status': status,
    integrationStatus: service, 'integration.integrationStatus': service,
    'integration.error': made !== undefined ? (facts.made?.message ?? undefined) : undefined,
    integrationErrorMessage: made !== undefined ? (facts.made?.message ?? undefined) : undefined,
  }
}

/**
 * The caller as the authorizer and the API key left it: `authorizer.principalId`, `authorizer.{key}` for each
 * context key (stringified), `authorizer.integrationLatency`/`latency`, `authorizer.status` (200 once it allowed;
 * its refusal's status otherwise), and `identity.*` (an AWS_IAM caller's accountId, caller, user, userArn,
 * accessKey; the API key and its id).
 */
function callerVariables(facts: AccessFacts): Record<string, string | number | undefined> {
  const ctx = facts.ctx
  if (ctx === undefined) return {}
  const out: Record<string, string | number | undefined> = {}
  const authorizer = ctx.authorizer
  if (authorizer !== undefined) {
    for (const [key, value] of Object.entries(authorizer)) {
      if (value !== undefined && value !== null && typeof value !== 'object') out[`authorizer.${key}`] = String(value)
    }
    out['authorizer.latency'] = out['authorizer.integrationLatency']
  }
  // A resource policy's explicit Deny refuses before the authorizer is called: it has no status then.
  if (ctx.route.method.authorizationType === 'CUSTOM' && ctx.resourcePolicy?.anonymous !== 'ExplicitDeny') {
    const refused = facts.made?.type
    const status = authorizer !== undefined ? 200
      : refused === 'UNAUTHORIZED' ? 401 : refused === 'ACCESS_DENIED' ? 403 : refused === 'AUTHORIZER_CONFIGURATION_ERROR' ? 500 : undefined
    out['authorizer.status'] = status
    out['authorize.status'] = status
  }
  const iam = ctx.iamCaller
  if (iam !== undefined) {
    Object.assign(out, { 'identity.accountId': iam.accountId, 'identity.caller': iam.caller, 'identity.user': iam.user,
      'identity.userArn': iam.userArn, 'identity.accessKey': iam.accessKey })
  }
  if (ctx.apiKey !== undefined) Object.assign(out, { 'identity.apiKey': ctx.apiKey.value, 'identity.apiKeyId': ctx.apiKey.id })
  return out
}

/** A gateway answer's own message (`$context.error.message`). */
function errorMessage(response: HttpResponse): string | undefined {
  if (response.headers['x-amzn-errortype'] === undefined || typeof response.body !== 'string') return undefined
  try {
    const parsed = JSON.parse(response.body) as { message?: unknown; Message?: unknown }
    const message = parsed.message ?? parsed.Message
    return typeof message === 'string' ? message : undefined
  } catch {
    return undefined
  }
}

/**
 * One event per request into the stage's log group (created if missing), in a stream of its own per stage
 * [R: AWS's stream names are opaque] — or one record into its Firehose stream.
 */
export function writeAccessLog(sinks: AccessLogSinks, facts: AccessFacts, response: HttpResponse, now: number, log: (line: string) => void): void {
  const settings = facts.stage.accessLogSettings
  if (settings?.destinationArn === undefined || settings.format === undefined) return
  const stream = accessLogStream(facts.api.id, facts.stage.stageName)
  try {
    const line = renderAccessLog(settings.format, variables(facts, response, now))
    deliverAccessLine(sinks, settings.destinationArn, stream, facts.startedAt, line)
    // AWS: a canary's requests are "reported to a production stage CloudWatch Logs log group as well as a
    // canary-specific" one — "the /Canary suffix appended to the selected log group name".
    const group = facts.canary === true ? logGroupOf(settings.destinationArn) : undefined
    if (group !== undefined) deliverAccessLine(sinks, `arn:aws:logs:${group.region}:${group.account}:log-group:${group.name}/Canary`, stream, facts.startedAt, line)
  } catch (error) {
    log(`[nimbus] apigateway ${facts.api.id}/${facts.stage.stageName}: writing the access log failed: ${error instanceof Error ? error.message : String(error)}`)
  }
}
