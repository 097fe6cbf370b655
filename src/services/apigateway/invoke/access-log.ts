// Access logging of REST API stages: the stage's AccessLogSettings format with its `$context.*`
// variables filled in for each request (`-` for a variable without a value, as AWS writes it), one
// log event per request into the destination log group through CloudWatch Logs' port, or one record
// per request into the destination Firehose stream through Firehose's port (api-gateway-access-log-sink.ts).
import { createHash } from 'node:crypto'
import type { HttpResponse } from '../../../protocol/http.ts'
import type { ApiData, StageData } from '../store.ts'
import { clfTime, renderAccessLog } from '../../api-gateway-logs.ts'
import { type AccessLogSinks, deliverAccessLine } from '../../api-gateway-access-log-sink.ts'
import type { InvokeTarget } from './invoke-url.ts'

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
    resourceId: facts.resourceId, path: `/${stage.stageName}${target.path}`, protocol: 'HTTP/1.1', status: response.status,
    responseLength: bodyLength(response.body), requestTime: clfTime(facts.startedAt), requestTimeEpoch: facts.startedAt,
    'identity.sourceIp': facts.sourceIp, 'identity.userAgent': facts.userAgent, domainName: target.domainName,
    domainPrefix: target.domainName.split('.')[0], responseLatency: now - facts.startedAt,
    'error.message': errorMessage(response), 'error.responseType': response.headers['x-amzn-errortype'],
    isCanaryRequest: stage.canarySettings === undefined ? undefined : String(facts.canary === true),
  }
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
  const stream = createHash('md5').update(`${facts.api.id}/${facts.stage.stageName}`).digest('hex')
  try {
    deliverAccessLine(sinks, settings.destinationArn, stream, facts.startedAt, renderAccessLog(settings.format, variables(facts, response, now)))
  } catch (error) {
    log(`[nimbus] apigateway ${facts.api.id}/${facts.stage.stageName}: writing the access log failed: ${error instanceof Error ? error.message : String(error)}`)
  }
}
