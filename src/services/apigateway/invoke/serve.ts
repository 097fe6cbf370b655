// The data plane: an invoke URL's request → API, stage, deployment snapshot, route → the
// integration (AWS_PROXY Lambda, HTTP_PROXY; MOCK, AWS and HTTP with mapping templates) → the HTTP answer, with the
// ids AWS adds to every answer.
import { randomUuid } from '../../../core/random-pool.ts'
import type { HttpRequest, HttpResponse } from '../../../protocol/http.ts'
import type { HttpClient } from '../../../core/http-client.ts'
import type { ApiAccountThrottle } from '../../../core/api-account-throttle.ts'
import type { ApiGatewayV2Port } from '../../apigatewayv2/port.ts'
import type { LambdaPort } from '../../lambda/port.ts'
import type { CloudWatchPort } from '../../cloudwatch/port.ts'
import type { LogsPort } from '../../logs/port.ts'
import type { FirehosePort } from '../../firehose/port.ts'
import type { InProcessAwsCall, InvokeSignatureCheck } from '../../service.ts'
import { type ApiGatewayMetrics, encode } from '../../api-gateway-metrics.ts'
import { methodSettingKey } from './stage-throttle.ts'
import { type DomainState, domainTarget, mappedTarget } from '../domains/store.ts'
import { newExtendedRequestId, newTraceId } from '../ids.ts'
import type { ApiGatewayState, DeploymentData, IntegrationData, StageData } from '../store.ts'
import { gatewayMadeOf, gatewayResponses, idHeaders, type ResponseIds } from './gateway-responses.ts'
import type { UsageState } from '../usage-store.ts'
import { meter } from './api-key.ts'
import { type Authorization, authorize } from './authorizer.ts'
import { stageThrottled } from './stage-throttle.ts'
import { type CacheDeps, throughCache } from '../cache/cached-serve.ts'
import { validateRequest } from '../models/request-validation.ts'
import { applyGatewayResponses, type ResponseScope } from '../gateway-responses/apply.ts'
import { type InvokeTarget, invokeTarget } from './invoke-url.ts'
import { type AccessFacts, writeAccessLog } from './access-log.ts'
import { writeExecutionLog } from './execution-log.ts'
import { httpProxy } from './http-integration.ts'
import { nonProxy, tooLong } from './non-proxy.ts'
import { lambdaSyncPayloadBytes } from './aws-integration.ts'
import { proxyEvent } from './proxy-event.ts'
import { proxyResponse } from './proxy-response.ts'
import type { InvokeContext } from './request-context.ts'
import { route } from './route.ts'
import { servedStage } from '../canary/canary.ts'
import { lambdaFunctionArn } from './lambda-uri.ts'
import { checkResourcePolicy } from './resource-policy.ts'
import { integrationPermissionRefusal } from './lambda-permission.ts'

/** API Gateway's payload limit (10 MB) [R: the 413 body]. */
const maxPayloadBytes = 10 * 1024 * 1024

export interface InvokeDeps {
  state: ApiGatewayState
  /** API keys and usage plans: methods with apiKeyRequired are metered against them. */
  usage: UsageState
  lambda: LambdaPort
  log: (line: string) => void
  /** HTTP APIs' data plane, once apigatewayv2 is loaded (it is whenever an HTTP API exists). */
  httpApis?: () => ApiGatewayV2Port | undefined
  /** AWS service integrations call the service through Nimbus's own pipeline. */
  awsCall?: InProcessAwsCall
  /** The stage cache's hit and miss counts go to CloudWatch (AWS/ApiGateway). */
  cloudwatch?: CloudWatchPort
  /** HTTP and HTTP_PROXY integrations call their backends through it. */
  http?: HttpClient
  /** Custom domain names: a request whose Host is one goes to the API its base path maps. */
  domains?: DomainState
  /** Stages' access logs go to CloudWatch Logs through it. */
  logs?: LogsPort
  /** …or to an Amazon Data Firehose stream (`amazon-apigateway-…`) through it. */
  firehose?: FirehosePort
  /** The account-level throttle every REST and HTTP API of the account and region shares. */
  accountThrottle?: ApiAccountThrottle
  /** The gateway's SigV4 check of the request, for AWS_IAM methods (and HTTP API routes). */
  checkSignature?: InvokeSignatureCheck
  /** AWS/ApiGateway request metrics (Count, 4XXError, 5XXError, Latency, IntegrationLatency). */
  metrics?: ApiGatewayMetrics
  /** `--enforce-iam`: Lambda integrations and authorizers need the function's permission for apigateway.amazonaws.com. */
  enforceIam?: boolean
}

/** Undefined when the request is no invoke URL (a control-plane call): the gateway goes on as usual. */
export function serveInvokeUrl(deps: InvokeDeps, request: HttpRequest): Promise<HttpResponse> | undefined {
  const domain = deps.domains?.byHost(request.headers['host'])
  let mapped = domain === undefined ? undefined : domainTarget(domain, request.rawPath, request.headers['host'] ?? '', request.headers)
  if (mapped === 'unmapped') {
    // [R] A custom domain with no base path mapping (or, by its routing mode, no routing rule) for the path: AWS's 403 Forbidden.
    return Promise.resolve(gatewayResponses.forbidden({ requestId: randomUuid(), extendedRequestId: newExtendedRequestId() }))
  }
  // A custom domain created through apigatewayv2 (its API mappings): an HTTP API's, or a REST API's served here
  // (AWS maps either on either API's domains). One Host lookup, as before, for a request on no custom domain.
  if (mapped === undefined) {
    const httpApis = deps.httpApis?.()
    const selected = httpApis?.domainMapping(request)
    if (selected !== undefined) {
      if (selected === null || !deps.state.apis.has(selected.apiId)) return httpApis!.serveMapping(request, selected, deps.checkSignature)
      mapped = mappedTarget(selected.apiId, selected.stage, selected.rest.split('/').slice(1), selected.domainName, request.rawPath)
    }
  }
  const target = mapped ?? invokeTarget(request)
  if (target === undefined) return undefined
  // The execute-api hosts serve HTTP APIs (apigatewayv2) too: an id that is no REST API goes there.
  if (!deps.state.apis.has(target.apiId)) {
    // A REST domain's mapping may name an HTTP API (apigatewayv2's CreateApiMapping): its stage and the path after the base path.
    const path = mapped === undefined ? httpApiPath(request, target) : target.stage === undefined || target.stage === '$default' ? target.path
      : `/${encodeURIComponent(target.stage)}${target.path}`
    const served = deps.httpApis?.()?.serve(request, { apiId: target.apiId, path, domainName: target.domainName, checkSignature: deps.checkSignature })
    if (served !== undefined) return served
  }
  const ids: ResponseIds = { requestId: randomUuid(), extendedRequestId: newExtendedRequestId() }
  const scope: ResponseScope = {}
  const seen: Partial<AccessFacts> = {}
  const startedAt = deps.state.clock.now()
  const wallStart = performance.now()
  // Never a stack trace or a dropped connection: anything unexpected is AWS's 500, logged with the request id.
  const failed = (error: unknown) => {
    deps.log(`[nimbus] apigateway request ${ids.requestId} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`)
    return gatewayResponses.internal(ids)
  }
  let answered: Promise<HttpResponse>
  try {
    answered = answer(deps, request, target, ids, scope, seen)
  } catch (error) {
    answered = Promise.reject(error)
  }
  const finish = (response: HttpResponse): HttpResponse => {
    if (seen.api !== undefined && seen.stage !== undefined && deps.metrics !== undefined) {
      recordMetrics(deps.metrics, seen, request, response, wallStart, scope.ctx?.route.method.httpMethod)
    }
    // A stage with execution logging at INFO (or ERROR, for failures) writes the request's lines.
    if (seen.api !== undefined && seen.stage?.methodSettings !== undefined) {
      writeExecutionLog(deps.logs, { api: seen.api, stage: seen.stage, requestId: ids.requestId, extendedRequestId: ids.extendedRequestId,
        startedAt, resourcePath: seen.resourcePath, notes: scope.ctx?.notes ?? [], canary: seen.canary }, request, response, deps.log)
    }
    // A stage with access logging gets one line per request it served (an unknown stage has none to write to).
    if (seen.api !== undefined && seen.stage?.accessLogSettings !== undefined) {
      writeAccessLog(deps, {
        ...seen, api: seen.api, stage: seen.stage, target, method: request.method, ...ids, startedAt,
        sourceIp: (request.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''), userAgent: request.headers['user-agent'], ctx: scope.ctx,
        integrationMs: seen.integrationAt === undefined ? undefined : performance.now() - seen.integrationAt,
      }, response, deps.state.clock.now(), deps.log)
    }
    return response
  }
  // One reaction for the answer, whichever way it settles (a promise chain per step costs each request a few).
  return answered.then((response) => {
    // The access log tells the gateway's own answers by their type, whatever a customised response made of them.
    if (seen.stage?.accessLogSettings !== undefined) seen.made = gatewayMadeOf(response)
    let applied: HttpResponse
    try {
      applied = applyGatewayResponses(response, scope, request, target, ids, deps.state.clock.now(), deps.log)
    } catch (error) {
      applied = failed(error)
    }
    return finish(applied)
  }, (error: unknown) => finish(failed(error)))
}

/**
 * `scope` learns the API, stage, deployment and request context as they are found (customised gateway
 * responses need them); `seen` what the stage's access log line tells.
 */
function answer(deps: InvokeDeps, request: HttpRequest, target: InvokeTarget, ids: ResponseIds, scope: ResponseScope,
  seen: Partial<AccessFacts>): Promise<HttpResponse> {
  const { state } = deps
  if (request.body.length > maxPayloadBytes) return Promise.resolve(gatewayResponses.tooLarge(ids))
  const api = state.apis.get(target.apiId)
  const stored = target.stage === undefined || api === undefined || api.disableExecuteApiEndpoint ? undefined : api.stages[target.stage]
  // A canary release serves its share of the requests from its own deployment, with its variable overrides.
  const served = stored === undefined ? undefined : servedStage(state.canarySplit, api!.id, stored, (id) => api!.deployments[id] !== undefined)
  const stage = served?.stage
  const deployment = stage === undefined ? undefined : api?.deployments[stage.deploymentId]
  if (api === undefined || stage === undefined || deployment === undefined) return Promise.resolve(gatewayResponses.forbidden(ids))
  scope.api = api
  scope.stage = stage
  scope.deployment = deployment
  seen.api = api
  seen.stage = stage
  seen.canary = served!.canary
  const matched = route(deployment.resources, target.path, request.method, true)
  if (matched === undefined) return Promise.resolve(gatewayResponses.missingToken(ids))
  seen.resourcePath = matched.resource.path
  seen.resourceId = matched.resource.id
  const ctx: InvokeContext = { api, stage, target, route: matched, request, ...ids, now: state.clock.now(), canary: served!.canary,
    checkSignature: deps.checkSignature, deployed: true }
  scope.ctx = ctx
  // A deployed resource policy is evaluated before any authorizer (AWS's "pre-auth" phase).
  if (deployment.policy !== undefined) {
    const refused = checkResourcePolicy(ctx, deployment, ids, deps.log)
    if (refused !== undefined) return Promise.resolve(refused)
  }
  // Only a method with an authorizer waits for one (a promise per request otherwise).
  if (authorized(matched.method.authorizationType)) return authorize(deps, ctx, ids).then((authorization) => admit(deps, ctx, deployment, ids, seen, authorization))
  return admit(deps, ctx, deployment, ids, seen, undefined)
}

/** The stage cache's deps, made once per service rather than per request. */
const cacheDeps = new WeakMap<InvokeDeps, CacheDeps>()

function cacheDepsOf(deps: InvokeDeps): CacheDeps {
  let made = cacheDeps.get(deps)
  if (made === undefined) {
    const { state } = deps
    made = { cache: state.stageCache, now: () => state.clock.now(), cloudwatch: deps.cloudwatch }
    cacheDeps.set(deps, made)
  }
  return made
}

/** The authorization types `authorize` checks; any other (NONE) lets every request through. */
const authorized = (type: string | undefined) => type === 'AWS_IAM' || type === 'COGNITO_USER_POOLS' || type === 'CUSTOM'

/** After the authorizer: API key and usage plan, throttles, request validation, then the stage cache and the integration. */
function admit(deps: InvokeDeps, ctx: InvokeContext, deployment: DeploymentData, ids: ResponseIds, seen: Partial<AccessFacts>,
  authorization: Authorization | undefined): Promise<HttpResponse> {
  const { state } = deps
  const { api, request, route: matched } = ctx
  if (authorization !== undefined) {
    if ('denied' in authorization) return Promise.resolve(authorization.denied)
    ctx.authorizer = authorization.authorizer
  }
  // AWS checks the API key after the authorizer (whose usageIdentifierKey may be the key).
  const metered = meter(deps.usage, ctx, authorization !== undefined && 'usageIdentifierKey' in authorization ? authorization.usageIdentifierKey : undefined, ids)
  if (metered !== undefined) {
    if ('denied' in metered) return Promise.resolve(metered.denied)
    ctx.apiKey = { id: metered.key.id, value: metered.key.value }
  }
  if (stageThrottled(state, ctx)) return Promise.resolve(gatewayResponses.throttled(ids))
  // Then the account's own limit, shared by all its APIs in the region (AWS applies the tightest that is reached).
  if (deps.accountThrottle?.take(api.account, api.region, ctx.now) === false) return Promise.resolve(gatewayResponses.throttled(ids))
  const invalid = validateRequest(ctx, deployment)
  if (invalid !== undefined) {
    deps.log(`[nimbus] apigateway ${api.id} ${request.method} ${matched.resource.path}: request validation failed: ${invalid.kind === 'body' ? `[${invalid.errors.join(', ')}]` : `missing [${invalid.missing.join(', ')}]`}`)
    return Promise.resolve(invalid.kind === 'parameters' ? gatewayResponses.badRequestParameters(invalid.missing, ids) : gatewayResponses.badRequestBody(ids, invalid.errors))
  }
  return throughCache(cacheDepsOf(deps), ctx, ids, () => {
    seen.integrationAt = performance.now()
    return integrate(deps, ctx, ids)
  })
}

/** A stage's two series keys ({ApiName} and {ApiName, Stage}), built once per stage and API name rather than per request. */
const stageSeries = new WeakMap<StageData, { apiName: string; stageName: string; keys: readonly string[] }>()

function seriesKeys(apiName: string, stage: StageData): readonly string[] {
  const known = stageSeries.get(stage)
  if (known !== undefined && known.apiName === apiName && known.stageName === stage.stageName) return known.keys
  const name = { Name: 'ApiName', Value: apiName }
  const keys = [encode([name]), encode([name, { Name: 'Stage', Value: stage.stageName }])]
  stageSeries.set(stage, { apiName, stageName: stage.stageName, keys })
  return keys
}

/** The request in AWS/ApiGateway: per API, per stage, and per method where its detailed metrics are on (the setting looked up by the method as defined: an ANY method's is `ANY`). */
function recordMetrics(metrics: ApiGatewayMetrics, seen: Partial<AccessFacts>, request: HttpRequest, response: HttpResponse, wallStart: number,
  methodKey = request.method): void {
  const api = seen.api!
  const stage = seen.stage!
  const end = performance.now()
  let keys = seriesKeys(api.name, stage)
  const settings = stage.methodSettings
  if (settings !== undefined && seen.resourcePath !== undefined &&
    (settings[methodSettingKey(seen.resourcePath, methodKey)] ?? settings['*/*'])?.metricsEnabled === true) {
    keys = [...keys, encode([{ Name: 'ApiName', Value: api.name }, { Name: 'Method', Value: request.method },
      { Name: 'Resource', Value: seen.resourcePath }, { Name: 'Stage', Value: stage.stageName }])]
  }
  metrics.record({ account: api.account, region: api.region, series: [], keys, status: response.status, latencyMs: end - wallStart,
    integrationMs: seen.integrationAt === undefined ? undefined : end - seen.integrationAt })
}

/** The method's integration: what the stage cache stands in front of. */
export function integrate(deps: InvokeDeps, ctx: InvokeContext, ids: ResponseIds): Promise<HttpResponse> {
  const integration = ctx.route.method.integration
  if (integration === undefined) return Promise.resolve(gatewayResponses.internal(ids))
  if (deps.enforceIam === true && (integration.type === 'AWS_PROXY' || integration.type === 'AWS')) {
    const refused = integrationPermissionRefusal(deps, ctx, integration, ids)
    if (refused !== undefined) return Promise.resolve(refused)
  }
  switch (integration.type) {
    case 'MOCK':
    case 'AWS':
    case 'HTTP':
      return nonProxy(deps, integration, ctx, ids)
    case 'AWS_PROXY':
      return lambdaProxy(deps, integration, ctx, ids)
    case 'HTTP_PROXY':
      return httpProxy(deps, integration, ctx, ids, newTraceId(ctx.now))
    default:
      return Promise.resolve(gatewayResponses.notImplemented(integration.type ?? 'untyped', ids))
  }
}

/** The path after the host an HTTP API sees: the host form's as sent; the path form's stage put back in front (`$default` drops out). */
/** The path an HTTP (or WebSocket) API sees: the stage first, as in the host form. */
export function httpApiPath(request: HttpRequest, target: InvokeTarget): string {
  if (!request.rawPath.startsWith('/restapis/')) return request.rawPath
  if (target.stage === undefined || target.stage === '$default') return target.path
  return `/${encodeURIComponent(target.stage)}${target.path}`
}

async function lambdaProxy(deps: InvokeDeps, integration: IntegrationData, ctx: InvokeContext, ids: ResponseIds): Promise<HttpResponse> {
  const { state } = deps
  const functionArn = lambdaFunctionArn(integration.uri ?? '', ctx.stage.variables)
  if (functionArn === undefined) {
    deps.log(`[nimbus] apigateway ${ctx.api.id}: ${integration.uri} is no Lambda function URI; answering 500`)
    return gatewayResponses.internal(ids)
  }
  const traceId = newTraceId(ctx.now)
  const payload = JSON.stringify(proxyEvent(ctx, traceId))
  // Lambda's 6 MB synchronous limit: API Gateway refuses the request rather than call the function.
  if (payload.length > lambdaSyncPayloadBytes / 3 && Buffer.byteLength(payload) > lambdaSyncPayloadBytes) {
    return tooLong(deps, ctx, ids, `${Buffer.byteLength(payload)} byte Lambda event is over the ${lambdaSyncPayloadBytes} byte limit`)
  }
  let timer: { cancel(): void } | undefined
  state.inFlight++
  try {
    // The function's answer or the integration timeout, whichever comes first (one promise, no race).
    const result = await new Promise<Awaited<ReturnType<LambdaPort['invoke']>> | 'timeout'>((resolve, reject) => {
      timer = state.clock.after(integration.timeoutInMillis ?? 29_000, () => resolve('timeout'))
      deps.lambda.invoke(functionArn, payload).then(resolve, reject)
    })
    if (result === 'timeout') return gatewayResponses.timeout(ids)
    if (result.outcome !== 'success') return gatewayResponses.badGateway(ids)
    const answer = proxyResponse(result.payload, ctx.api.binaryMediaTypes, ctx.request.headers['accept'])
    if (answer === undefined) {
      deps.log(`[nimbus] apigateway ${ctx.api.id}: malformed Lambda proxy response from ${functionArn}; answering 502`)
      return gatewayResponses.badGateway(ids)
    }
    Object.assign(answer.headers, idHeaders(ids), { 'x-amzn-trace-id': `${traceId};Sampled=0` })
    return answer
  } catch (error) {
    // The function doesn't exist (any more): AWS answers 500 for an integration it cannot call.
    deps.log(`[nimbus] apigateway ${ctx.api.id}: invoking ${functionArn} failed: ${error instanceof Error ? error.message : String(error)}`)
    return gatewayResponses.internal(ids)
  } finally {
    timer?.cancel()
    state.inFlight--
  }
}
