// API Gateway V2 (HTTP APIs): the control plane (APIs with quick create, routes, integrations,
// stages, deployments) and, through its port, the data plane of each stage at the execute-api hosts.
import type { ApiAccountThrottle } from '../../core/api-account-throttle.ts'
import type { Clock } from '../../core/clock.ts'
import { HttpClient } from '../../core/http-client.ts'
import { ServiceModel } from '../../protocol/model.ts'
import type { Persistence } from '../../storage/persistence/persistence.ts'
import type { ApiGatewayPort, UsageMeterRequest } from '../apigateway/port.ts'
import type { LambdaPort } from '../lambda/port.ts'
import type { LogsPort } from '../logs/port.ts'
import type { FirehosePort } from '../firehose/port.ts'
import { ApiGatewayMetrics } from '../api-gateway-metrics.ts'
import { defineService, type InProcessAwsCall, type OperationTable, type ServiceDefinition } from '../service.ts'
import { httpApiConsole } from './console.ts'
import { apiGatewayV2Descriptor } from './descriptor.ts'
import { apiGatewayV2Errors } from './errors.ts'
import { model } from './generated/model.ts'
import type { apigatewayv2Operations } from './generated/types.ts'
import { domainOperations } from './domains/operations.ts'
import { updateDomainOperations } from './domains/update-domain.ts'
import { hostName, HttpDomainState, selectMapping, selectTarget } from './domains/store.ts'
import { httpDomainPeer } from './domains/peer.ts'
import { routingRuleOperations } from './domains/routing-rules.ts'
import { serveHttpApi } from './invoke/serve.ts'
import { apiOperations } from './operations/apis.ts'
import { authorizerOperations } from './operations/authorizers.ts'
import { memberUpdateOperations } from './operations/member-updates.ts'
import { modelOperations } from './operations/models.ts'
import { routeOperations } from './operations/routes.ts'
import { tagOperations } from './operations/tags.ts'
import { updateOperations } from './operations/updates.ts'
import { exportOperations } from './openapi/export-api.ts'
import { importOperations } from './openapi/import-api.ts'
import type { ApiGatewayV2Port, WebSocketConnectionsPort } from './port.ts'
import { HttpApiState } from './store.ts'
import { type Connection, WebSocketConnections } from './websocket/connections.ts'
import { countWebSocket } from './websocket/metrics.ts'
import { webSocketResponseOperations } from './websocket/integrations.ts'
import { upgradeWebSocket } from './websocket/serve-socket.ts'
import { VpcLinkState, vpcLinkOperations } from './vpc-links/vpc-links.ts'

export interface ApiGatewayV2Deps {
  clock: Clock
  lambda: LambdaPort
  log: (line: string) => void
  /** First-class AWS service integrations (SQS, EventBridge, Kinesis) call the service in process through the gateway's pipeline. */
  awsCall?: InProcessAwsCall
  /** Stages' access logs are written through it. */
  logs?: LogsPort
  /** …or through it, to a Firehose stream. */
  firehose?: FirehosePort
  /** With a data dir, every HTTP API is durable (read back here at creation); else in memory. */
  persistence?: Persistence
  /** API Gateway's account-level throttle, shared with REST APIs (core/api-account-throttle.ts). */
  accountThrottle?: ApiAccountThrottle
  /** REST APIs' port (loaded on first use): their custom domains (one set with these), WebSocket APIs' mapping templates, AWS integration backends and usage plans. */
  restApis?: () => ApiGatewayPort
  /** A minute of request metrics ended: CloudWatch re-plans alarms on AWS/ApiGateway. */
  metricsChanged?: (account: string, region: string) => void
  /** `--enforce-iam`: Lambda integrations and authorizers need the function's permission for apigateway.amazonaws.com. */
  enforceIam?: boolean
}

export function createApiGatewayV2(deps: ApiGatewayV2Deps): { definition: ServiceDefinition; port: ApiGatewayV2Port; state: HttpApiState } {
  const durable = deps.persistence?.durable === true ? deps.persistence : undefined
  const state = new HttpApiState(deps.clock, durable)
  // HTTP_PROXY integrations' backend calls (their timeouts on Nimbus's clock).
  const http = new HttpClient(deps.clock)
  const domains = new HttpDomainState(durable)
  const localDomains = httpDomainPeer(domains, (apiId) => state.apis.get(apiId)?.protocolType === 'WEBSOCKET')
  const vpcLinks = new VpcLinkState(durable)
  // WebSocket APIs' open connections (never durable: a socket ends with the process).
  const connections = new WebSocketConnections(deps.clock)
  const metrics = new ApiGatewayMetrics(deps.clock, 'http', deps.metricsChanged ?? (() => {}))
  const base = {
    ...apiOperations(state, deps.log),
    ...routeOperations(state),
    ...authorizerOperations(state),
    ...updateOperations(state),
    ...domainOperations(state, domains, () => deps.restApis?.()),
    ...routingRuleOperations(localDomains, () => deps.restApis?.()?.domainPeer,
      (account, region, apiId, stage) => deps.restApis?.()?.restStage(account, region, apiId, stage), (apiId) => state.apis.has(apiId),
      (apiId) => deps.restApis?.()?.privateRestApi(apiId) === true),
    ...webSocketResponseOperations(state),
    ...memberUpdateOperations(state),
    ...modelOperations(state),
    ...updateDomainOperations(domains, () => deps.restApis?.()?.domainPeer),
    ...vpcLinkOperations(vpcLinks, deps.clock),
    ...tagOperations(state, domains, vpcLinks, () => deps.restApis?.()?.domainPeer),
  }
  // OpenAPI import goes through the Create* operations above, so it checks what they check.
  const operations = {
    ...base,
    ...importOperations(state, base),
    ...exportOperations(state),
  } satisfies OperationTable<apigatewayv2Operations>

  // Built first: the definition serves custom domains through it.
  let port: ApiGatewayV2Port | undefined
  const definition = defineService({
    name: apiGatewayV2Descriptor.name,
    signingName: apiGatewayV2Descriptor.signingName,
    model: new ServiceModel(model),
    protocols: apiGatewayV2Descriptor.protocols,
    pathPrefixes: apiGatewayV2Descriptor.pathPrefixes,
    operations,
    errors: { missingParameter: apiGatewayV2Errors.missingParameter },
    reset: () => {
      http.abortAll()
      connections.closeAll()
      domains.reset()
      vpcLinks.reset()
      state.reset()
      deps.accountThrottle?.clear()
      metrics.clear()
    },
    // Shutdown: each client gets a 1001 Going Away close frame before the gateway ends the sockets.
    drain: () => connections.closeAll(),
    stop: () => {
      http.abortAll()
      connections.closeAll()
      if (durable === undefined) state.apis.clear()
      if (durable === undefined) domains.domains.clear()
      if (durable === undefined) vpcLinks.forget()
    },
    health: () => ({ status: 'running', httpApis: state.apis.size, inFlight: state.inFlight, webSocketConnections: connections.size }),
    console: httpApiConsole(state),
    // Requests to its custom domain names (when API Gateway, which owns the invoke hosts, isn't loaded).
    servesHost: (host) => domains.byHost(host) !== undefined,
    serveDirect: (request, _signal, checkSignature) => port?.serveDomain(request, checkSignature),
    // …and WebSocket upgrades to them.
    serveUpgrade: (request, checkSignature) => port?.upgradeDomain(request, checkSignature),
    // A preflight to one of its custom domains is the HTTP API's own request (its CorsConfiguration answers it).
    cors: { preflight: () => undefined, headers: () => undefined, servesPreflight: (request) => domains.byHost(request.headers['host']) !== undefined },
  })
  const webSocketDeps = {
    state, lambda: deps.lambda, log: deps.log, connections, http, logs: deps.logs, firehose: deps.firehose, accountThrottle: deps.accountThrottle, metrics,
    enforceIam: deps.enforceIam,
    mapping: deps.restApis === undefined ? undefined : () => deps.restApis!().mapping,
    meterApiKey: deps.restApis === undefined ? undefined : (request: UsageMeterRequest) => deps.restApis!().meterApiKey(request),
  }
  const serveDeps = { state, lambda: deps.lambda, log: deps.log, awsCall: deps.awsCall, http, logs: deps.logs, accountThrottle: deps.accountThrottle, metrics,
    enforceIam: deps.enforceIam, firehose: deps.firehose }
  port = {
    serve: (request, target) => serveHttpApi(serveDeps, request, target),
    servesDomain: (host) => domains.byHost(host) !== undefined,
    domainPeer: localDomains,
    serveDomain: (request, checkSignature) => {
      const selected = port!.domainMapping(request)
      return selected === undefined ? undefined : port!.serveMapping(request, selected, checkSignature)
    },
    domainMapping: (request) => {
      const domain = domains.byHost(request.headers['host'])
      if (domain === undefined) return undefined
      const selected = selectTarget(domain, request.rawPath, request.headers)
      return selected === undefined ? null : { ...selected, domainName: hostName(request.headers['host'] ?? '') }
    },
    serveMapping: (request, selected, checkSignature) => {
      // [R] No mapping for the path: HTTP APIs' 404 Not Found.
      const served = selected === null ? undefined : serveHttpApi(serveDeps, request, {
        apiId: selected.apiId, domainName: selected.domainName, checkSignature,
        path: selected.stage === undefined || selected.stage === '$default' ? selected.rest : `/${encodeURIComponent(selected.stage)}${selected.rest}`,
      })
      return served ?? Promise.resolve({ status: 404, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'Not Found' }) })
    },
    describe: (apiId) => {
      const api = state.apis.get(apiId)
      return api === undefined ? undefined : { cors: api.cors !== undefined }
    },
    upgrade: (request, target) => {
      const api = state.apis.get(target.apiId)
      if (api === undefined) return undefined
      // An HTTP API takes no upgrade: it answers the request as it would any other.
      if (api.protocolType !== 'WEBSOCKET') return serveHttpApi(serveDeps, request, target)?.then((refuse) => ({ refuse }))
      return upgradeWebSocket(webSocketDeps, api, request, target)
    },
    upgradeDomain: (request, checkSignature) => {
      const domain = domains.byHost(request.headers['host'])
      if (domain === undefined) return undefined
      const selected = selectMapping(domain, request.rawPath)
      const api = selected === undefined ? undefined : state.apis.get(selected.mapping.apiId)
      // An HTTP API takes no upgrade: it answers the request as it would any other.
      if (api !== undefined && api.protocolType !== 'WEBSOCKET') return port?.serveDomain(request, checkSignature)?.then((refuse) => ({ refuse }))
      // [R] No API mapped at the path: 403 Forbidden, as an invoke URL naming no stage answers. A mapping naming a
      // REST API (no WebSocket API can share its domain, as AWS documents) gets the same 403 a REST invoke URL answers.
      if (selected === undefined || api === undefined) return Promise.resolve(forbidden())
      // The mapping names the stage: `wss://api.example.com/orders` is the stage's URL, with nothing after the key.
      return upgradeWebSocket(webSocketDeps, api, request, { apiId: api.id, domainName: hostName(request.headers['host'] ?? ''), checkSignature,
        path: `/${encodeURIComponent(selected.mapping.stage ?? '$default')}${selected.rest}` })
    },
    webSocketStage: (account, region, apiId, stage) => {
      const api = state.apis.get(apiId)
      return api !== undefined && api.protocolType === 'WEBSOCKET' && api.account === account && api.region === region && api.stages[stage] !== undefined
    },
    // A message posted to a connection is one more MessageCount of its API and stage.
    connections: webSocketPort(connections, (connection) => {
      const api = state.apis.get(connection.apiId)
      if (api !== undefined) countWebSocket(metrics, api, connection.stage, undefined, { kind: 'out' })
    }),
    metrics: metrics.source,
  }
  return { definition, port, state }
}

const forbidden = () => ({ refuse: { status: 403, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'Forbidden' }) } })

/** The @connections operations over the open connections (apiId, when the URL names one, must match). */
function webSocketPort(connections: WebSocketConnections, posted: (connection: Connection) => void): WebSocketConnectionsPort {
  const find = (id: string, apiId: string | undefined) => {
    const connection = connections.get(id)
    return connection === undefined || (apiId !== undefined && connection.apiId !== apiId) ? undefined : connection
  }
  return {
    post: (id, data, apiId) => {
      const connection = find(id, apiId)
      if (connection === undefined) return false
      connection.peer.send(data.toString('utf8'))
      posted(connection)
      return true
    },
    get: (id, apiId) => {
      const connection = find(id, apiId)
      return connection === undefined ? undefined
        : { connectedAt: connection.connectedAt, lastActiveAt: connection.lastActiveAt, sourceIp: connection.sourceIp, userAgent: connection.userAgent }
    },
    delete: (id, apiId) => {
      const connection = find(id, apiId)
      // [R] AWS closes the socket with 1000 (normal closure).
      connection?.peer.close(1000, '')
      return connection !== undefined
    },
  }
}
