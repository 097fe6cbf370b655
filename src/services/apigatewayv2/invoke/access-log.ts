// Access logging of HTTP API stages: the stage's AccessLogSettings format with its `$context.*`
// variables filled in (`-` for one without a value, as AWS writes it), one log event per request
// into the destination CloudWatch Logs group through the Logs port, or one record into the destination
// Firehose stream through Firehose's port (api-gateway-access-log-sink.ts).
import { createHash } from 'node:crypto'
import { clfTime, renderAccessLog } from '../../api-gateway-logs.ts'
import { type AccessLogSinks, deliverAccessLine } from '../../api-gateway-access-log-sink.ts'
import type { HttpApiData, StageData } from '../data.ts'
import type { InvokeRequest, InvokeResponse } from '../port.ts'

/** What one request leaves for its access log line. */
export interface AccessFacts {
  api?: HttpApiData
  stage?: StageData
  routeKey?: string
  domainName: string
  path: string
  requestId: string
  startedAt: number
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
  }
  const stream = createHash('md5').update(`${api.id}/${stage.name}`).digest('hex')
  try {
    deliverAccessLine(sinks, settings.destinationArn, stream, facts.startedAt, renderAccessLog(settings.format, values))
  } catch (error) {
    log(`[nimbus] apigatewayv2 ${api.id}/${stage.name}: writing the access log failed: ${error instanceof Error ? error.message : String(error)}`)
  }
}
