// The Update* operations of HTTP APIs (UpdateApi with its CorsConfiguration, UpdateRoute,
// UpdateIntegration, UpdateStage) and DeleteCorsConfiguration: members given replace the stored
// ones (an HTTP API integration's parameter mappings merge), the result is checked as the Create
// operation checks it, and AutoDeploy stages redeploy.
import type { OperationContext } from '../../service.ts'
import type { CorsData, IntegrationData, RouteData } from '../data.ts'
import { apiGatewayV2Errors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import type { HttpApiState } from '../store.ts'
import { buildIntegration, buildRoute } from './routes.ts'
import { buildWebSocketIntegration } from '../websocket/integrations.ts'
import { apiView, integrationView, parametersView, routeView, stageView } from './views.ts'
import { routeSettingsFrom } from '../route-throttle.ts'
import { applyQuickCreate } from './quick-update.ts'
import { accessLogDestinationProblem, firehosePrefixMessage } from '../../api-gateway-access-log-sink.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

/** A CorsConfiguration as stored; AWS refuses credentials with the `*` origin and a MaxAge beyond a day [R: the messages]. */
export function corsFrom(input: T.Cors): CorsData {
  if (input.AllowCredentials === true && (input.AllowOrigins ?? []).includes('*')) {
    throw apiGatewayV2Errors.badRequest('allow-credentials is not supported when allow-origins contains *')
  }
  if (input.MaxAge !== undefined && (input.MaxAge < -1 || input.MaxAge > 86_400)) {
    throw apiGatewayV2Errors.badRequest('MaxAge must be between -1 and 86400')
  }
  const cors: CorsData = {}
  if (input.AllowCredentials !== undefined) cors.allowCredentials = input.AllowCredentials
  if (input.AllowHeaders !== undefined) cors.allowHeaders = [...input.AllowHeaders]
  if (input.AllowMethods !== undefined) cors.allowMethods = [...input.AllowMethods]
  if (input.AllowOrigins !== undefined) cors.allowOrigins = [...input.AllowOrigins]
  if (input.ExposeHeaders !== undefined) cors.exposeHeaders = [...input.ExposeHeaders]
  if (input.MaxAge !== undefined) cors.maxAge = input.MaxAge
  return cors
}

/** [R] AWS wants a CloudWatch Logs group ARN (or a Firehose stream's) and a format naming `$context.requestId`. */
export function accessLogSettings(input: T.AccessLogSettings): { destinationArn?: string; format?: string } {
  const problem = input.DestinationArn === undefined ? undefined : accessLogDestinationProblem(input.DestinationArn)
  if (problem !== undefined) {
    throw apiGatewayV2Errors.badRequest(problem === 'prefix' ? firehosePrefixMessage : `Invalid destination ARN specified: ${input.DestinationArn}`)
  }
  if (input.Format !== undefined && !/\$\{?context\.(requestId|extendedRequestId)\b/.test(input.Format)) {
    throw apiGatewayV2Errors.badRequest('Access log format must contain $context.requestId or $context.extendedRequestId')
  }
  return { destinationArn: input.DestinationArn, format: input.Format }
}

function routeInput(route: RouteData, apiId: string): T.CreateRouteRequest {
  return {
    ApiId: apiId, RouteKey: route.routeKey, Target: route.target, AuthorizationType: route.authorizationType as T.AuthorizationType,
    AuthorizerId: route.authorizerId, AuthorizationScopes: route.authorizationScopes, ApiKeyRequired: route.apiKeyRequired,
    OperationName: route.operationName, RouteResponseSelectionExpression: route.routeResponseSelectionExpression,
    RequestModels: route.requestModels, ModelSelectionExpression: route.modelSelectionExpression,
    RequestParameters: route.requestParameters === undefined ? undefined : parametersView(route.requestParameters),
  }
}

function integrationInput(integration: IntegrationData, apiId: string): T.CreateIntegrationRequest {
  return {
    ApiId: apiId, IntegrationType: integration.type as T.IntegrationType, IntegrationUri: integration.uri, IntegrationMethod: integration.method,
    PayloadFormatVersion: integration.payloadFormatVersion, TimeoutInMillis: integration.timeoutInMillis, Description: integration.description,
    IntegrationSubtype: integration.subtype, RequestParameters: integration.requestParameters, ResponseParameters: integration.responseParameters,
    CredentialsArn: integration.credentialsArn, ConnectionType: integration.connectionType as T.ConnectionType, ConnectionId: integration.connectionId,
    RequestTemplates: integration.requestTemplates, TemplateSelectionExpression: integration.templateSelectionExpression,
    PassthroughBehavior: integration.passthroughBehavior as T.PassthroughBehavior, ContentHandlingStrategy: integration.contentHandlingStrategy as T.ContentHandlingStrategy,
  }
}

/**
 * HTTP APIs' UpdateIntegration merges parameter mappings into the stored ones, as AWS's parameter
 * mapping guide shows: a key with an empty value is removed (`{"append:header.header1": ""}`), and a
 * status code with an empty map drops that status's response mappings (`{"200": {}}`); other keys are
 * added or replaced, keys not named stay.
 */
function mergeMappings(stored: Record<string, string> | undefined, given: Record<string, string>): Record<string, string> | undefined {
  const merged = { ...stored }
  for (const [key, value] of Object.entries(given)) {
    if (value === '') delete merged[key]
    else merged[key] = value
  }
  return Object.keys(merged).length === 0 ? undefined : merged
}

function mergeResponseMappings(stored: Record<string, Record<string, string>> | undefined,
  given: Record<string, Record<string, string>>): Record<string, Record<string, string>> | undefined {
  const merged = { ...stored }
  for (const [status, mappings] of Object.entries(given)) {
    const next = Object.keys(mappings).length === 0 ? undefined : mergeMappings(merged[status], mappings)
    if (next === undefined) delete merged[status]
    else merged[status] = next
  }
  return Object.keys(merged).length === 0 ? undefined : merged
}

/** Members the caller gave (undefined ones keep the stored value). */
function given<T extends object>(input: T): Partial<T> {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<T>
}

export function updateOperations(state: HttpApiState) {
  const own = (ctx: OperationContext, id: string) => state.api(ctx.caller.account, ctx.caller.region, id)

  const updateApi: Op<T.UpdateApiRequest, T.UpdateApiResponse> = (input, ctx) => {
    const api = own(ctx, input.ApiId)
    if (input.Name !== undefined && input.Name.trim() === '') throw apiGatewayV2Errors.badRequest('Invalid API name specified')
    // Everything is checked before anything changes (quick create's members last: they change the API as they go).
    const cors = input.CorsConfiguration === undefined ? undefined : corsFrom(input.CorsConfiguration)
    const quick = applyQuickCreate(state, api, input)
    if (input.Name !== undefined) api.name = input.Name
    if (input.Description !== undefined) api.description = input.Description
    if (input.Version !== undefined) api.version = input.Version
    if (input.DisableExecuteApiEndpoint !== undefined) api.disableExecuteApiEndpoint = input.DisableExecuteApiEndpoint
    if (input.RouteSelectionExpression !== undefined) api.routeSelectionExpression = input.RouteSelectionExpression
    if (input.ApiKeySelectionExpression !== undefined) api.apiKeySelectionExpression = input.ApiKeySelectionExpression
    // [R] A CorsConfiguration replaces the API's whole configuration; AutoDeploy stages pick it up at once.
    if (cors !== undefined) api.cors = cors
    if (cors !== undefined || quick) state.changed(api)
    else state.save(api)
    return apiView(api, ctx.host)
  }

  const deleteCorsConfiguration: Op<T.DeleteCorsConfigurationRequest, void> = (input, ctx) => {
    const api = own(ctx, input.ApiId)
    delete api.cors
    state.changed(api)
  }

  const updateRoute: Op<T.UpdateRouteRequest, T.UpdateRouteResult> = (input, ctx) => {
    const api = own(ctx, input.ApiId)
    const route = state.route(api, input.RouteId)
    const { RouteId: _id, ...members } = given(input)
    const updated = buildRoute(api, { ...routeInput(route, api.id), ...members } as T.CreateRouteRequest, route.id, route.managed)
    api.routes[route.id] = updated
    state.changed(api)
    return routeView(updated)
  }

  const updateIntegration: Op<T.UpdateIntegrationRequest, T.UpdateIntegrationResult> = (input, ctx) => {
    const api = own(ctx, input.ApiId)
    const integration = state.integration(api, input.IntegrationId)
    const { IntegrationId: _id, ...members } = given(input)
    if (api.protocolType !== 'WEBSOCKET') {
      if (members.RequestParameters !== undefined) members.RequestParameters = mergeMappings(integration.requestParameters, members.RequestParameters)
      if (members.ResponseParameters !== undefined) {
        members.ResponseParameters = mergeResponseMappings(integration.responseParameters, members.ResponseParameters)
      }
    }
    const merged = { ...integrationInput(integration, api.id), ...members } as T.CreateIntegrationRequest
    const updated = api.protocolType === 'WEBSOCKET' ? { ...buildWebSocketIntegration(merged, integration.id), responses: integration.responses }
      : buildIntegration(merged, integration.id, integration.managed)
    api.integrations[integration.id] = updated
    state.changed(api)
    return integrationView(updated)
  }

  const updateStage: Op<T.UpdateStageRequest, T.UpdateStageResponse> = (input, ctx) => {
    const api = own(ctx, input.ApiId)
    const stage = state.stage(api, input.StageName)
    // [R] Stored and shown: HTTP APIs' backends are called without a client certificate (README Gaps).
    if (input.ClientCertificateId !== undefined) {
      if (!/^[a-z0-9]{1,32}$/.test(input.ClientCertificateId)) throw apiGatewayV2Errors.badRequest(`Invalid client certificate ID specified: ${input.ClientCertificateId}`)
    }
    // Given settings replace the default's members they name, and each named route's [R].
    const defaults = input.DefaultRouteSettings === undefined ? undefined : routeSettingsFrom(input.DefaultRouteSettings, 'DefaultRouteSettings')
    const routes = input.RouteSettings === undefined ? undefined
      : Object.entries(input.RouteSettings).map(([key, value]) => [key, routeSettingsFrom(value, `RouteSettings[${key}]`)] as const)
    if (defaults !== undefined) stage.defaultRouteSettings = { ...stage.defaultRouteSettings, ...defaults }
    for (const [key, value] of routes ?? []) stage.routeSettings = { ...stage.routeSettings, [key]: { ...stage.routeSettings?.[key], ...value } }
    const access = input.AccessLogSettings === undefined ? undefined : accessLogSettings(input.AccessLogSettings)
    if (input.DeploymentId !== undefined) {
      state.deployment(api, input.DeploymentId)
      if (input.AutoDeploy ?? stage.autoDeploy) throw apiGatewayV2Errors.badRequest('Deployments cannot be set for stages with AutoDeploy enabled')
      stage.deploymentId = input.DeploymentId
    }
    if (input.Description !== undefined) stage.description = input.Description
    if (input.ClientCertificateId !== undefined) stage.clientCertificateId = input.ClientCertificateId
    if (access !== undefined) stage.accessLogSettings = access
    // [R] StageVariables replace the stage's whole map.
    if (input.StageVariables !== undefined) stage.variables = { ...input.StageVariables }
    const turnedOn = input.AutoDeploy === true && !stage.autoDeploy
    if (input.AutoDeploy !== undefined) stage.autoDeploy = input.AutoDeploy
    stage.lastUpdatedDate = state.clock.now()
    // Turning AutoDeploy on deploys the API's current routes at once.
    if (turnedOn) state.changed(api)
    else state.save(api)
    return stageView(stage)
  }

  return {
    UpdateApi: updateApi, DeleteCorsConfiguration: deleteCorsConfiguration, UpdateRoute: updateRoute,
    UpdateIntegration: updateIntegration, UpdateStage: updateStage,
  }
}
