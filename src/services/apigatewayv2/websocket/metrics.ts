// WebSocket APIs' AWS/ApiGateway metrics ("Monitor WebSocket API execution with CloudWatch metrics"):
// ConnectCount per `$connect`, MessageCount per message from or to the client, ClientError (a 4xx API
// Gateway answers before the integration), IntegrationError (the integration's 4xx/5xx), ExecutionError
// (calling the integration failed) and IntegrationLatency, by {ApiId}, {ApiId, Stage} and, with the
// route's detailed metrics, {ApiId, Stage, Route} — through the minute log HTTP APIs' metrics use.
import type { ApiGatewayMetrics, WebSocketRequestFacts } from '../../api-gateway-metrics.ts'
import type { HttpApiData } from '../data.ts'

export type WebSocketCount = Pick<WebSocketRequestFacts, 'kind' | 'error' | 'integrationMs'>

export function countWebSocket(metrics: ApiGatewayMetrics | undefined, api: HttpApiData, stageName: string, routeKey: string | undefined,
  count: WebSocketCount): void {
  const stage = api.stages[stageName]
  if (metrics === undefined || stage === undefined) return
  const apiId = { Name: 'ApiId', Value: api.id }
  const stageDimension = { Name: 'Stage', Value: stage.name }
  const series = [[apiId], [apiId, stageDimension]]
  if (routeKey !== undefined && (stage.routeSettings?.[routeKey] ?? stage.defaultRouteSettings)?.detailedMetricsEnabled === true) {
    series.push([apiId, stageDimension, { Name: 'Route', Value: routeKey }])
  }
  metrics.recordWebSocket({ account: api.account, region: api.region, series, ...count })
}

/** How a request ended, as the error metrics count it: `ran` — the integration was called; `failed` — calling it failed. */
export function errorOf(status: number, ran: boolean, failed: boolean): WebSocketCount['error'] {
  if (failed) return 'execution'
  if (ran) return status >= 400 ? 'integration' : undefined
  return status >= 400 && status < 500 ? 'client' : status >= 500 ? 'execution' : undefined
}
