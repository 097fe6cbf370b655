// Access logging of WebSocket API stages: one event per `$connect`, message and `$disconnect`, the
// stage's AccessLogSettings format with the WebSocket `$context` variables filled in (`-` for one
// without a value, as AWS writes it), into the destination CloudWatch Logs group through the Logs port
// (or Firehose stream through Firehose's port: api-gateway-access-log-sink.ts).
import { clfTime, renderAccessLog } from '../../api-gateway-logs.ts'
import { accessLogStream, type AccessLogSinks, deliverAccessLine } from '../../api-gateway-access-log-sink.ts'
import type { HttpApiData } from '../data.ts'
import type { EventFacts } from './events.ts'

/** One request of a connection as its log line tells it. */
export interface WebSocketAccess {
  facts: EventFacts
  eventType: 'CONNECT' | 'MESSAGE' | 'DISCONNECT'
  status: number
  messageId?: string
  errorMessage?: string
  /** Milliseconds the integration took (undefined: none ran). */
  integrationLatency?: number
}

export function writeWebSocketAccessLog(sinks: AccessLogSinks, api: HttpApiData, access: WebSocketAccess, now: number,
  log: (line: string) => void): void {
  const { facts } = access
  const stage = api.stages[facts.stage]
  const settings = stage?.accessLogSettings
  if (stage === undefined || settings?.destinationArn === undefined || settings.format === undefined) return
  const principal = facts.authorizer?.['principalId']
  const values: Record<string, string | number | undefined> = {
    requestId: facts.requestId, extendedRequestId: facts.requestId, apiId: api.id, accountId: api.account, stage: stage.name,
    routeKey: facts.routeKey, eventType: access.eventType, connectionId: facts.connectionId, connectedAt: facts.connectedAt,
    messageId: access.messageId, messageDirection: 'IN', status: access.status,
    requestTime: clfTime(facts.now), requestTimeEpoch: facts.now,
    'identity.sourceIp': facts.sourceIp, 'identity.userAgent': facts.userAgent, 'identity.userArn': facts.iam?.userArn,
    'identity.accountId': facts.iam?.accountId, 'identity.caller': facts.iam?.caller,
    'authorizer.principalId': typeof principal === 'string' ? principal : undefined,
    domainName: facts.domainName, domainPrefix: facts.domainName.split('.')[0], responseLatency: now - facts.now,
    integrationLatency: access.integrationLatency, 'error.message': access.errorMessage,
  }
  const stream = accessLogStream(api.id, stage.name)
  try {
    deliverAccessLine(sinks, settings.destinationArn, stream, facts.now, renderAccessLog(settings.format, values))
  } catch (error) {
    log(`[nimbus] apigatewayv2 ${api.id}/${stage.name}: writing the access log failed: ${error instanceof Error ? error.message : String(error)}`)
  }
}
