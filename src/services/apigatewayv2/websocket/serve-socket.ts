// A WebSocket API's data plane: the upgrade at `/{stage}` (`$connect` decides it), then each message
// routed by the API's route selection expression (else `$default`) to its integration, two-way routes
// answering with the integration's reply, and `$disconnect` once the connection ends.
import { randomBytes } from 'node:crypto'
import type { ApiGatewayMetrics } from '../../api-gateway-metrics.ts'
import type { LogsPort } from '../../logs/port.ts'
import type { FirehosePort } from '../../firehose/port.ts'
import type { HttpApiData, RouteData } from '../data.ts'
import type { HttpApiTarget, InvokeRequest, WebSocketPeer, WebSocketSession, WebSocketUpgrade } from '../port.ts'
import { type Connection, newConnectionId, webSocketLimits, type WebSocketConnections } from './connections.ts'
import { type AdmitDeps, admitConnect } from './admit.ts'
import { writeWebSocketAccessLog } from './access-log.ts'
import { connectEvent, disconnectEvent, type EventFacts, messageEvent } from './events.ts'
import { type IntegrateDeps, runIntegration } from './integrate.ts'
import type { RouteRequest } from './non-proxy.ts'
import { binaryFrameCloseCode } from './content-handling.ts'
import { countWebSocket, errorOf } from './metrics.ts'
import { missingRouteParameters } from './request-mapping.ts'
import { selectRouteKey } from './selection.ts'
import { badRequestBody, messageValidationFailure } from './validation.ts'

export interface WebSocketDeps extends IntegrateDeps, AdmitDeps {
  connections: WebSocketConnections
  /** AWS/ApiGateway: ConnectCount, MessageCount, the error metrics and IntegrationLatency. */
  metrics?: ApiGatewayMetrics
  log: (line: string) => void
  /** Stages' access logs are written through it. */
  logs?: LogsPort
  /** …or through it, to a Firehose stream. */
  firehose?: FirehosePort
}

/** A refusal's `{"message": …}`, for its access log line. */
function messageOf(body: string | Buffer): string | undefined {
  try {
    const message = (JSON.parse(body.toString()) as { message?: unknown }).message
    return typeof message === 'string' ? message : undefined
  } catch {
    return undefined
  }
}

/** AWS's ids for WebSocket requests and messages look like `XfGMlHvXtjMFvLw=` [R]. */
const newId = () => randomBytes(11).toString('base64')

const json = (status: number, message: string) => ({
  refuse: { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message }) },
})

/** The error frame AWS sends on the connection, spaced as AWS spaces it. */
const errorFrame = (message: string, connectionId: string, requestId: string) =>
  `{"message": "${message}", "connectionId":"${connectionId}", "requestId":"${requestId}"}`

/** What every event of one connection shares (the request's own id, route and time aside). */
type ConnectionFacts = Omit<EventFacts, 'routeKey' | 'requestId' | 'now'>

const sourceIpOf = (request: InvokeRequest) => (request.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '')

/** The route with that key in the stage's current deployment (the one serving when the message arrives). */
function routeOf(api: HttpApiData, stageName: string, key: string): { route: RouteData; deploymentId: string } | undefined {
  const deploymentId = api.stages[stageName]?.deploymentId
  const deployment = deploymentId === undefined ? undefined : api.deployments[deploymentId]
  const route = deployment === undefined ? undefined : Object.values(deployment.routes).find((r) => r.routeKey === key)
  return route === undefined ? undefined : { route, deploymentId: deploymentId! }
}

function integrationOf(api: HttpApiData, found: { route: RouteData; deploymentId: string }) {
  const id = /^integrations\/(\w+)$/.exec(found.route.target ?? '')?.[1]
  return id === undefined ? undefined : api.deployments[found.deploymentId]?.integrations[id]
}

export async function upgradeWebSocket(deps: WebSocketDeps, api: HttpApiData, request: InvokeRequest, target: HttpApiTarget): Promise<WebSocketUpgrade> {
  // The URL names the stage and nothing more: `wss://{id}.execute-api.{region}.amazonaws.com/{stage}`.
  const segments = target.path.split('?')[0]!.split('/').filter((s) => s !== '')
  const stageName = segments.length === 1 ? decodeURIComponent(segments[0]!) : undefined
  const stage = stageName === undefined ? undefined : api.stages[stageName]
  // [R] AWS refuses an unknown stage (or a disabled endpoint) with 403 Forbidden.
  if (api.disableExecuteApiEndpoint || stage?.deploymentId === undefined || api.deployments[stage.deploymentId] === undefined) return json(403, 'Forbidden')
  const now = deps.state.clock.now()
  const port = /:(\d+)$/.exec(request.headers['host'] ?? '')?.[1] ?? '80'
  const base: ConnectionFacts = {
    apiId: api.id, stage: stage.name, domainName: target.domainName, connectionId: newConnectionId(), connectedAt: now,
    sourceIp: sourceIpOf(request), userAgent: request.headers['user-agent'] ?? '',
  }
  const connect = routeOf(api, stage.name, '$connect')
  const integration = connect === undefined ? undefined : integrationOf(api, connect)
  const requestId = newId()
  const traceId = `Root=1-${Math.floor(now / 1000).toString(16).padStart(8, '0')}-${randomBytes(12).toString('hex')}`
  let wallMs: number | undefined
  // Each `$connect` is logged and counted once, however it ends (`failed`: calling the integration failed).
  const logged = (status: number, errorMessage?: string, integrationLatency?: number, failed = false) => {
    writeWebSocketAccessLog(deps, api, { facts: { ...base, routeKey: '$connect', requestId, now }, eventType: 'CONNECT', status, errorMessage, integrationLatency },
      deps.state.clock.now(), deps.log)
    countWebSocket(deps.metrics, api, stage.name, '$connect', { kind: 'connect', error: errorOf(status, integrationLatency !== undefined, failed), integrationMs: wallMs })
  }
  if (connect !== undefined) {
    // Throttle, authorizer, API key: they decide before the integration runs; the authorizer's answer goes with every later event.
    const admitted = await admitConnect(deps, api, stage, connect.route, request, target,
      connectEvent({ ...base, routeKey: '$connect', requestId, now }, request, traceId, port))
    if ('refuse' in admitted) {
      deps.log(`[nimbus] apigatewayv2 ${api.id} $connect refused: ${admitted.reason}`)
      logged(admitted.refuse.status, messageOf(admitted.refuse.body))
      return { refuse: admitted.refuse }
    }
    // The route's required request parameters (the handshake's headers and query string) [R: REST APIs' 400 and message].
    const missing = missingRouteParameters(connect.route.requestParameters, { rawHeaders: request.rawHeaders ?? Object.entries(request.headers).flat(), query: request.query })
    if (missing.length > 0) {
      const message = `Missing required request parameters: [${missing.join(', ')}]`
      logged(400, message)
      return json(400, message)
    }
    if (admitted.authorizer !== undefined) base.authorizer = admitted.authorizer
    if (admitted.iam !== undefined) base.iam = admitted.iam
  }
  let protocol: string | undefined
  let integrationLatency: number | undefined
  if (integration !== undefined) {
    const facts: EventFacts = { ...base, routeKey: '$connect', requestId, now }
    const event = connectEvent(facts, request, traceId, port)
    const started = deps.state.clock.now()
    const wallStart = performance.now()
    const outcome = await runIntegration(deps, integration, event,
      { ...routeRequest(api, stage.name, event, '', handshakeParams(request)), handshake: { rawHeaders: request.rawHeaders ?? Object.entries(request.headers).flat(), query: request.query } })
    integrationLatency = deps.state.clock.now() - started
    // AWS suppresses IntegrationLatency for mock integrations.
    if (integration.type !== 'MOCK') wallMs = performance.now() - wallStart
    if (!outcome.ok) {
      deps.log(`[nimbus] apigatewayv2 ${api.id} $connect refused: ${outcome.reason}`)
      logged(500, 'Internal server error', integrationLatency, true)
      return json(500, 'Internal server error')
    }
    const status = outcome.status
    // A non-2xx answer refuses the upgrade with that status and body [R: the body as the integration gave it].
    if (status !== undefined && (status < 200 || status > 299)) {
      logged(status, undefined, integrationLatency)
      return { refuse: { status, headers: { 'content-type': 'application/json' }, body: outcome.reply ?? '' } }
    }
    protocol = outcome.protocol
  }
  logged(200, undefined, integrationLatency)
  return {
    headers: protocol === undefined ? {} : { 'Sec-WebSocket-Protocol': protocol },
    limits: { maxFrameBytes: webSocketLimits.maxFrameBytes, maxMessageBytes: webSocketLimits.maxMessageBytes },
    accept: (peer) => session(deps, api, base, { ...base, peer, lastActiveAt: now, id: base.connectionId }, request.headers['host'] ?? ''),
  }
}

function session(deps: WebSocketDeps, api: HttpApiData, base: ConnectionFacts, connection: Connection, host: string): WebSocketSession {
  deps.connections.add(connection)
  const facts = (routeKey: string, requestId: string): EventFacts => ({ ...base, routeKey, requestId, now: deps.state.clock.now() })
  return {
    message: (data, binary) => {
      deps.connections.touch(connection)
      // AWS doesn't take binary frames: it "rejects it and disconnects the client with code 1003".
      if (binary) {
        deps.log(`[nimbus] apigatewayv2 ${api.id}: a binary frame on ${connection.id} closes it with 1003 (WebSocket APIs take text frames only)`)
        return connection.peer.close(binaryFrameCloseCode, 'Binary frames are not supported')
      }
      // Never a crash: a message whose handling fails is logged (the integrations answer their own failures as frames).
      onMessage(deps, api, connection, data, facts).catch((error: unknown) => deps.log(`[nimbus] apigatewayv2 ${api.id} message on ${connection.id}: ${String(error)}`))
    },
    closed: (code, reason) => {
      if (deps.connections.get(connection.id) !== connection) return
      deps.connections.remove(connection)
      // `$disconnect` is best effort, as on AWS: its outcome reaches no one.
      const found = routeOf(api, connection.stage, '$disconnect')
      const integration = found === undefined ? undefined : integrationOf(api, found)
      const disconnect = facts('$disconnect', newId())
      // The disconnect is logged with or without a route for it [R].
      if (integration === undefined) {
        return writeWebSocketAccessLog(deps, api, { facts: disconnect, eventType: 'DISCONNECT', status: 200 }, disconnect.now, deps.log)
      }
      const event = disconnectEvent(disconnect, host, code, reason)
      void runIntegration(deps, integration, event, routeRequest(api, connection.stage, event, '', noParams())).then((outcome) => {
        if (!outcome.ok) deps.log(`[nimbus] apigatewayv2 ${api.id} $disconnect of ${connection.id}: ${outcome.reason}`)
        writeWebSocketAccessLog(deps, api, { facts: disconnect, eventType: 'DISCONNECT', status: outcome.ok ? 200 : 500,
          integrationLatency: deps.state.clock.now() - disconnect.now }, deps.state.clock.now(), deps.log)
      }).catch((error: unknown) => deps.log(`[nimbus] apigatewayv2 ${api.id} $disconnect of ${connection.id}: ${String(error)}`))
    },
  }
}

async function onMessage(deps: WebSocketDeps, api: HttpApiData, connection: Connection, data: Buffer,
  facts: (routeKey: string, requestId: string) => EventFacts): Promise<void> {
  const requestId = newId()
  const messageId = newId()
  const peer: WebSocketPeer = connection.peer
  // Bodies that aren't JSON go to `$default`, as does a key no route has.
  const key = selectRouteKey(api.routeSelectionExpression, data.toString('utf8'))
  const reserved = key === '$connect' || key === '$disconnect'
  const found = (key === undefined || reserved ? undefined : routeOf(api, connection.stage, key)) ?? routeOf(api, connection.stage, '$default')
  const request = facts(found?.route.routeKey ?? key ?? '$default', requestId)
  const routeKey = found?.route.routeKey
  let wallMs: number | undefined
  /** What goes back to the client: a MessageCount of its own. */
  const reply = (data: string | Buffer) => {
    if (deps.connections.get(connection.id) !== connection) return
    peer.send(data)
    countWebSocket(deps.metrics, api, connection.stage, routeKey, { kind: 'out' })
  }
  // `metric`: the error metric the message counts in (by default as errorOf tells it from the status).
  const finish = (status: number, error?: string, integrationLatency?: number, metric = errorOf(status, integrationLatency !== undefined, false)) => {
    writeWebSocketAccessLog(deps, api, { facts: request, eventType: 'MESSAGE', status, messageId, errorMessage: error, integrationLatency },
      deps.state.clock.now(), deps.log)
    countWebSocket(deps.metrics, api, connection.stage, routeKey, { kind: 'message', error: metric, integrationMs: wallMs })
    if (error !== undefined) reply(errorFrame(error, connection.id, requestId))
  }
  if (found === undefined) return finish(403, 'Forbidden')
  // The route's throttle (RouteSettings by route key, else the stage's defaults): AWS's error frame [R: the wording].
  const stage = api.stages[connection.stage]
  if (stage !== undefined && deps.state.throttle.refuses(api.id, stage, found.route.routeKey, request.now)) return finish(429, 'Too Many Requests')
  if (deps.accountThrottle?.take(api.account, api.region, request.now) === false) return finish(429, 'Too Many Requests')
  // Request validation: a failure never reaches the integration.
  const invalid = messageValidationFailure(deps.mapping, api, found.route, data.toString('utf8'))
  if (invalid !== undefined) {
    deps.log(`[nimbus] apigatewayv2 ${api.id} route ${found.route.routeKey} on ${connection.id}: request validation failed: ${invalid}`)
    return finish(400, badRequestBody)
  }
  const integration = integrationOf(api, found)
  if (integration === undefined) return finish(500, 'Internal server error')
  const event = messageEvent(request, messageId, data, false)
  const wallStart = performance.now()
  const outcome = await runIntegration(deps, integration, event, routeRequest(api, connection.stage, event, event['body'] as string, noParams()))
  const latency = deps.state.clock.now() - request.now
  // AWS suppresses IntegrationLatency for mock integrations.
  if (integration.type !== 'MOCK') wallMs = performance.now() - wallStart
  // Two-way: the route has a response selection expression and a route response (AWS's `$default`).
  const twoWay = found.route.routeResponseSelectionExpression !== undefined && Object.keys(found.route.responses ?? {}).length > 0
  if (!outcome.ok || (twoWay && outcome.unmatched === true)) {
    const reason = outcome.ok ? 'no integration response matches the backend\'s answer and none is $default' : outcome.reason
    deps.log(`[nimbus] apigatewayv2 ${api.id} route ${found.route.routeKey} on ${connection.id}: ${reason}`)
    const message = (!outcome.ok && outcome.message) || 'Internal server error'
    // A passthrough refusal is API Gateway's own 4xx before the backend; anything else failed calling it.
    return message === 'Unsupported Media Type' ? finish(415, message, latency, 'client') : finish(500, message, latency, 'execution')
  }
  // The backend's own 4xx/5xx (its status) is an IntegrationError.
  finish(200, undefined, latency, outcome.status !== undefined && outcome.status >= 400 ? 'integration' : undefined)
  if (twoWay && outcome.reply !== undefined) reply(outcome.reply)
}

const noParams = (): RouteRequest['params'] => ({ path: {}, querystring: {}, header: {} })

/** `$connect`'s templates see the handshake's headers (as sent) and query string (a repeated key's last value). */
function handshakeParams(request: InvokeRequest): RouteRequest['params'] {
  const header: Record<string, string> = {}
  const raw = request.rawHeaders ?? Object.entries(request.headers).flat()
  for (let i = 0; i + 1 < raw.length; i += 2) header[raw[i]!] = raw[i + 1]!
  return { path: {}, querystring: Object.fromEntries(request.query), header }
}

/** What a non-proxy integration's templates see: the body, `$context` (the event's requestContext) and the stage's variables. */
function routeRequest(api: HttpApiData, stageName: string, event: Record<string, unknown>, body: string, params: RouteRequest['params']): RouteRequest {
  return {
    body, params, context: event['requestContext'] as Record<string, unknown>,
    stageVariables: { ...api.stages[stageName]?.variables }, account: api.account,
  }
}
