// The HTTP API data plane: an invoke URL's request → stage (`$default` at `/…`, a named stage at
// `/{stage}/…`), deployment snapshot, CORS, route → the Lambda proxy, HTTP_PROXY or first-class AWS service integration → the HTTP answer.
// HTTP APIs' own answers: 404 `{"message":"Not Found"}`, 500 `{"message":"Internal Server Error"}`.
import { randomBytes } from 'node:crypto'
import type { HttpClient } from '../../../core/http-client.ts'
import type { ApiAccountThrottle } from '../../../core/api-account-throttle.ts'
import type { InvokeRequest, InvokeResponse } from '../port.ts'
import type { LambdaPort } from '../../lambda/port.ts'
import type { InProcessAwsCall } from '../../service.ts'
import type { ApiGatewayMetrics } from '../../api-gateway-metrics.ts'
import { callService, missingParameters, type ServiceCallFacts } from './aws-service.ts'
import type { HttpApiTarget } from '../port.ts'
import type { CorsData, IntegrationData } from '../data.ts'
import type { HttpApiState } from '../store.ts'
import { eventV1, eventV2, type RequestFacts } from './event.ts'
import type { LogsPort } from '../../logs/port.ts'
import type { FirehosePort } from '../../firehose/port.ts'
import { type AccessFacts, writeAccessLog } from './access-log.ts'
import { isPreflight, preflightResponse, withCors } from './cors.ts'
import { httpProxy } from './http-proxy.ts'
import { checkJwt } from './jwt.ts'
import { iamCaller } from './iam-auth.ts'
import { mapResponse } from './parameter-mapping.ts'
import { mapLambdaEvent } from './lambda-request-mapping.ts'
import { authorizerVariables } from './authorizer-context.ts'
import { checkLambdaAuthorizer } from './lambda-authorizer.ts'
import { authorizerPermitted, integrationPermitted } from './lambda-permission.ts'
import { responseV1, responseV2 } from './response.ts'
import { selectRoute } from './select-route.ts'
import { functionArn, withStageVariables } from './function-arn.ts'

export interface ServeDeps {
  state: HttpApiState
  lambda: LambdaPort
  log: (line: string) => void
  /** First-class AWS service integrations call the service through Nimbus's own pipeline. */
  awsCall?: InProcessAwsCall
  /** HTTP_PROXY integrations call their backends through it. */
  http?: HttpClient
  /** Stages' access logs go to CloudWatch Logs through it. */
  logs?: LogsPort
  /** …or to an Amazon Data Firehose stream (`amazon-apigateway-…`) through it. */
  firehose?: FirehosePort
  /** The account-level throttle every REST and HTTP API of the account and region shares. */
  accountThrottle?: ApiAccountThrottle
  /** AWS/ApiGateway request metrics (Count, 4xx, 5xx, Latency, IntegrationLatency, DataProcessed). */
  metrics?: ApiGatewayMetrics
  /** `--enforce-iam`: Lambda integrations and authorizers need the function's permission for apigateway.amazonaws.com. */
  enforceIam?: boolean
}

function own(status: number, message: string, requestId: string): InvokeResponse {
  return { status, headers: { 'content-type': 'application/json', 'apigw-requestid': requestId }, body: JSON.stringify({ message }) }
}

const notFound = (id: string) => own(404, 'Not Found', id)

/** HTTP APIs' payload quota, 10 MB, as REST APIs'. */
const maxPayloadBytes = 10 * 1024 * 1024

/** [R] A body over the quota: answered as the execute-api front end answers REST APIs' (see apigateway's gateway-responses.ts). */
const tooLarge = (id: string): InvokeResponse => ({
  status: 413, headers: { 'content-type': 'text; charset=utf-8', 'apigw-requestid': id }, body: `HTTP content length exceeded ${maxPayloadBytes} bytes.`,
})
const internal = (id: string) => own(500, 'Internal Server Error', id)

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}


const newTrace = (now: number) => `Root=1-${Math.floor(now / 1000).toString(16).padStart(8, '0')}-${randomBytes(12).toString('hex')}`
const portOf = (request: InvokeRequest) => /:(\d+)$/.exec(request.headers['host'] ?? '')?.[1] ?? '80'

export function serveHttpApi(deps: ServeDeps, request: InvokeRequest, target: HttpApiTarget): Promise<InvokeResponse> | undefined {
  const api = deps.state.apis.get(target.apiId)
  if (api === undefined) return undefined
  // HTTP APIs answer with `apigw-requestid`: an id like `AbCdEfGhIAMEVdQ=` [R].
  const requestId = randomBytes(11).toString('base64')
  // The serving deployment's CORS configuration, once known, applies to whatever the answer is.
  const served: Served = { requestId, domainName: target.domainName, path: target.path.split('?')[0]!, startedAt: deps.state.clock.now() }
  const wallStart = performance.now()
  return answer(deps, request, target, requestId, served).catch((error: unknown) => {
    deps.log(`[nimbus] apigatewayv2 request ${requestId} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
    return internal(requestId)
  }).then((response) => {
    const answered = served.cors === undefined ? response : withCors(served.cors, request, response)
    if (served.stage?.accessLogSettings !== undefined) {
      if (served.integrationAt !== undefined) served.integrationMs = performance.now() - served.integrationAt
      writeAccessLog(deps, served, request, answered, deps.state.clock.now(), deps.log)
    }
    if (served.api !== undefined && served.stage !== undefined && deps.metrics !== undefined) recordMetrics(deps.metrics, served, request, answered, wallStart)
    return answered
  })
}

/** What the answer learnt on the way: the deployment's CORS configuration, the access log's facts, when the integration was called. */
type Served = AccessFacts & { cors?: CorsData; integrationAt?: number }

const bodyBytes = (body: InvokeRequest['body'] | InvokeResponse['body']): number =>
  typeof body === 'string' ? Buffer.byteLength(body) : Buffer.isBuffer(body) ? body.length : 0

/** The request in AWS/ApiGateway: per API, per stage, and per route where its detailed metrics are on. */
function recordMetrics(metrics: ApiGatewayMetrics, served: Served, request: InvokeRequest, response: InvokeResponse, wallStart: number): void {
  const api = served.api!
  const stage = served.stage!
  const end = performance.now()
  const apiId = { Name: 'ApiId', Value: api.id }
  const stageName = { Name: 'Stage', Value: stage.name }
  const series = [[apiId], [apiId, stageName]]
  const route = served.routeKey
  if (route !== undefined && (stage.routeSettings?.[route] ?? stage.defaultRouteSettings)?.detailedMetricsEnabled === true) {
    series.push([apiId, stageName, { Name: 'Route', Value: route }])
  }
  metrics.record({ account: api.account, region: api.region, series, status: response.status, latencyMs: end - wallStart,
    integrationMs: served.integrationAt === undefined ? undefined : end - served.integrationAt,
    bytes: bodyBytes(request.body) + bodyBytes(response.body) })
}

async function answer(deps: ServeDeps, request: InvokeRequest, target: HttpApiTarget, requestId: string,
  served: Served): Promise<InvokeResponse> {
  const { state } = deps
  const api = state.apis.get(target.apiId)!
  if (bodyBytes(request.body) > maxPayloadBytes) return tooLarge(requestId)
  if (api.disableExecuteApiEndpoint) return own(403, 'Forbidden', requestId)
  if (api.protocolType === 'WEBSOCKET') {
    // [R] A WebSocket API's URL answers plain HTTP with 403; an unsigned @connections call lacks its SigV4
    // (the management API, apigatewaymanagementapi, takes the signed ones), as AWS words it.
    return own(403, target.path.includes('/@connections') ? 'Missing Authentication Token' : 'Forbidden', requestId)
  }
  const segments = target.path.split('/').slice(1).filter((s, i, all) => s !== '' || i < all.length - 1).map(safeDecode)
  const first = segments[0]
  // A named stage by its first segment; else the `$default` stage takes the whole path.
  const named = first !== undefined && first !== '$default' ? api.stages[first] : undefined
  const stage = named ?? api.stages.$default
  if (stage === undefined) return notFound(requestId)
  const deployment = stage.deploymentId === undefined ? undefined : api.deployments[stage.deploymentId]
  if (deployment === undefined) return notFound(requestId)
  Object.assign(served, { api, stage })
  const routePath = named === undefined ? segments : segments.slice(1)
  const selected = selectRoute(deployment.routes, request.method, routePath.length === 1 && routePath[0] === '' ? [] : routePath)
  served.cors = deployment.cors
  served.routeKey = selected?.route.routeKey
  // With CORS configured the gateway answers preflights itself — unless an OPTIONS route matches, or
  // only `$default` does (AWS: `$default` catches OPTIONS requests too); ANY routes don't take them [R].
  if (deployment.cors !== undefined && isPreflight(request)) {
    const key = selected?.route.routeKey
    if (key === undefined || !(key === '$default' || key.startsWith('OPTIONS '))) {
      delete served.cors
      return preflightResponse(deployment.cors, request, requestId)
    }
  }
  if (selected === undefined) return notFound(requestId)
  if (state.throttle.refuses(api.id, stage, selected.route.routeKey, state.clock.now())) return own(429, 'Too Many Requests', requestId)
  // Then the account's own limit, shared by all its APIs in the region (AWS applies the tightest that is reached).
  if (deps.accountThrottle?.take(api.account, api.region, state.clock.now()) === false) return own(429, 'Too Many Requests', requestId)
  const integrationId = /^integrations\/(\w+)$/.exec(selected.route.target ?? '')?.[1]
  const integration = integrationId === undefined ? undefined : deployment.integrations[integrationId]
  if (integration === undefined) return notFound(requestId)
  let iam: RequestFacts['iam']
  if (selected.route.authorizationType === 'AWS_IAM') {
    const outcome = iamCaller(target, request)
    if ('denied' in outcome) {
      deps.log(`[nimbus] apigatewayv2 ${api.id}: AWS_IAM route ${selected.route.routeKey} refused the request: ${outcome.reason}`)
      return own(403, outcome.denied, requestId)
    }
    iam = outcome
  }
  let jwt: RequestFacts['jwt']
  if (selected.route.authorizationType === 'JWT') {
    const authorizer = api.authorizers?.[selected.route.authorizerId ?? '']
    if (authorizer === undefined) return internal(requestId)
    const outcome = await checkJwt(state, authorizer, selected.route, request, stage.variables)
    if ('denied' in outcome) {
      deps.log(`[nimbus] apigatewayv2 ${api.id}: JWT authorizer ${authorizer.id} refused the request: ${outcome.reason}`)
      if (outcome.denied === 403) return own(403, 'Forbidden', requestId)
      const denied = own(401, 'Unauthorized', requestId)
      // [R] AWS adds the RFC 6750 challenge.
      denied.headers['www-authenticate'] = outcome.reason === 'no token' ? 'Bearer' : `Bearer scope="" error="invalid_token" error_description="${outcome.reason}"`
      return denied
    }
    jwt = outcome
  }
  let lambdaContext: Record<string, unknown> | undefined
  let principalId: string | undefined
  if (selected.route.authorizationType === 'CUSTOM') {
    const authorizer = api.authorizers?.[selected.route.authorizerId ?? '']
    if (authorizer === undefined) return internal(requestId)
    const now = state.clock.now()
    const facts: RequestFacts = { api, stage, target, selected, request, requestId, now, traceId: newTrace(now), port: portOf(request) }
    const authorizerFunction = deps.enforceIam === true ? functionArn(withStageVariables(authorizer.authorizerUri ?? '', stage.variables)) : undefined
    if (authorizerFunction !== undefined && !authorizerPermitted(deps, facts, authorizer.id, authorizerFunction, authorizer.credentialsArn)) return internal(requestId)
    const outcome = await checkLambdaAuthorizer(state, deps.lambda, authorizer, facts)
    if ('denied' in outcome) {
      deps.log(`[nimbus] apigatewayv2 ${api.id}: Lambda authorizer ${authorizer.id} refused the request: ${outcome.reason}`)
      if (outcome.denied === 500) return internal(requestId)
      return outcome.denied === 401 ? own(401, 'Unauthorized', requestId) : own(403, 'Forbidden', requestId)
    }
    lambdaContext = outcome.context
    principalId = outcome.principalId
  }
  // The access log's `$context.authorizer.*`, `identity.*` and `integration.*` read these, parameter mapping `$context.authorizer.*`.
  if (lambdaContext !== undefined || jwt !== undefined || iam !== undefined) Object.assign(served, { lambda: lambdaContext, principalId, jwt, iam })
  const authorizer = authorizerVariables(lambdaContext, principalId, jwt?.claims)
  served.integrationType = integration.subtype ?? integration.type
  served.integrationAt = performance.now()
  if (integration.subtype !== undefined) return serviceIntegration(deps, integration, { api, stage, selected, request, requestId, now: state.clock.now(), authorizer })
  if (integration.type === 'HTTP_PROXY') {
    const now = state.clock.now()
    const facts = { api, stage, selected, request, requestId, now, traceId: newTrace(now), domainName: target.domainName, authorizer }
    const result = await httpProxy(deps, integration, facts)
    // HTTP APIs answer an integration timeout with 503 [R], an unreachable backend with 500.
    if (result === 'timeout') return own(503, 'Service Unavailable', requestId)
    if (result === 'failed') return internal(requestId)
    result.headers['apigw-requestid'] = requestId
    return mapResponse(integration.responseParameters, facts, result)
  }
  if (integration.type !== 'AWS_PROXY') {
    return own(501, `Nimbus does not run ${integration.type} integrations of HTTP APIs yet; see the Gaps in Nimbus's apigatewayv2 README.`, requestId)
  }
  // The function name or alias may be a stage variable, as the stages guide shows (`function:${stageVariables.fn}`).
  const arn = functionArn(withStageVariables(integration.uri ?? '', stage.variables))
  if (arn === undefined) return internal(requestId)
  const now = state.clock.now()
  const facts: RequestFacts = {
    api, stage, target, selected, request, requestId, now, traceId: newTrace(now), jwt, lambda: lambdaContext, iam, port: portOf(request), authorizer,
  }
  if (deps.enforceIam === true && !integrationPermitted(deps, facts, arn, integration.credentialsArn)) return internal(requestId)
  const v2 = integration.payloadFormatVersion === '2.0'
  const event = v2 ? eventV2(facts) : eventV1(facts)
  // Request parameter mapping transforms the request the function sees (only when the integration has some).
  if (integration.requestParameters !== undefined) mapLambdaEvent(event, v2, integration.requestParameters, facts)
  try {
    const result = await state.within(integration.timeoutInMillis, () => deps.lambda.invoke(arn, JSON.stringify(event)))
    // HTTP APIs answer an integration timeout with 503 [R].
    if (result === 'timeout') return own(503, 'Service Unavailable', requestId)
    if (result.outcome !== 'success') return internal(requestId)
    const response = (v2 ? responseV2 : responseV1)(result.payload.toString('utf8'))
    if (response === undefined) {
      deps.log(`[nimbus] apigatewayv2 ${api.id}: malformed Lambda proxy response from ${arn}; answering 500`)
      return internal(requestId)
    }
    response.headers['apigw-requestid'] = requestId
    return mapResponse(integration.responseParameters, facts, response)
  } catch (error) {
    deps.log(`[nimbus] apigatewayv2 ${api.id}: invoking ${arn} failed: ${error instanceof Error ? error.message : String(error)}`)
    return internal(requestId)
  }
}

/** A first-class integration, on the integration timeout; a call that can't be made answers 500 [R]. */
async function serviceIntegration(deps: ServeDeps, integration: IntegrationData, facts: ServiceCallFacts): Promise<InvokeResponse> {
  const { state } = deps
  if (deps.awsCall === undefined) return internal(facts.requestId)
  const call = deps.awsCall
  const result = await state.within(integration.timeoutInMillis, () => callService(call, integration, facts))
  if (result === 'timeout') return own(503, 'Service Unavailable', facts.requestId)
  if (result === undefined) {
    deps.log(`[nimbus] apigatewayv2 ${facts.api.id}: ${integration.subtype} integration ${integration.id} (route ${facts.selected.route.routeKey}): ${missingParameters(integration, facts)}; answering 500`)
    return internal(facts.requestId)
  }
  result.headers['apigw-requestid'] = facts.requestId
  // Response parameter mapping applies to every integration's answer ("Transforming API responses").
  return mapResponse(integration.responseParameters, facts, result)
}
