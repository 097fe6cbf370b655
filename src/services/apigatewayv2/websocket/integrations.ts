// WebSocket APIs' control plane beyond HTTP APIs': their integrations (AWS_PROXY, HTTP_PROXY and the
// non-proxy AWS, HTTP, MOCK), route responses (which make a route two-way) and integration responses.
import type { OperationContext } from '../../service.ts'
import type { HttpApiData, IntegrationData, IntegrationResponseData, RouteResponseData } from '../data.ts'
import { apiGatewayV2Errors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { newId, type HttpApiState } from '../store.ts'
import { parameterConstraints, parametersView } from '../operations/views.ts'
import { checkWebSocketRequestParameters } from './request-mapping.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

const types = new Set(['AWS', 'AWS_PROXY', 'HTTP', 'HTTP_PROXY', 'MOCK'])

/** `$default`, or a pattern wrapped in slashes (`/4\d\d/`), as AWS's selection expressions are [R: the message]. */
export function checkIntegrationResponseKey(key: string): void {
  if (key !== '$default' && !/^\/.+\/$/s.test(key)) throw apiGatewayV2Errors.badRequest(`Invalid integration response key specified: ${key}`)
}

/** CONVERT_TO_BINARY or CONVERT_TO_TEXT, the two AWS supports [R: the message]. */
export function checkContentHandling(strategy: string | undefined): void {
  if (strategy !== undefined && strategy !== 'CONVERT_TO_BINARY' && strategy !== 'CONVERT_TO_TEXT') {
    throw apiGatewayV2Errors.badRequest(`Invalid content handling strategy specified: ${strategy}`)
  }
}

/** A WebSocket API's integration, checked as CreateIntegration checks one [R: the messages]. */
export function buildWebSocketIntegration(input: T.CreateIntegrationRequest, id: string): IntegrationData {
  const type = input.IntegrationType
  if (!types.has(type)) throw apiGatewayV2Errors.badRequest(`Invalid integration type specified: ${String(type)}`)
  if (input.IntegrationSubtype !== undefined) throw apiGatewayV2Errors.badRequest('Integration subtypes are only supported for HTTP APIs')
  if (type !== 'MOCK' && input.IntegrationUri === undefined) throw apiGatewayV2Errors.badRequest(`IntegrationUri is required for ${type} integrations`)
  // WebSocket APIs speak payload format 1.0 only.
  if (input.PayloadFormatVersion !== undefined && input.PayloadFormatVersion !== '1.0') {
    throw apiGatewayV2Errors.badRequest(`Invalid payload format version specified: ${input.PayloadFormatVersion}`)
  }
  checkWebSocketRequestParameters(input.RequestParameters)
  checkContentHandling(input.ContentHandlingStrategy)
  const timeout = input.TimeoutInMillis ?? 29_000
  // WebSocket APIs allow 50 ms to 29 s (AWS's quota table).
  if (timeout < 50 || timeout > 29_000) throw apiGatewayV2Errors.badRequest('Timeout must be between 50 milliseconds and 29 seconds.')
  return {
    id, type, uri: input.IntegrationUri, method: input.IntegrationMethod ?? (type === 'MOCK' ? undefined : 'POST'),
    payloadFormatVersion: '1.0', timeoutInMillis: timeout, description: input.Description,
    requestParameters: input.RequestParameters, credentialsArn: input.CredentialsArn, connectionType: input.ConnectionType ?? 'INTERNET',
    ...(input.ConnectionId !== undefined && { connectionId: input.ConnectionId }),
    managed: false,
    ...(input.RequestTemplates !== undefined && { requestTemplates: { ...input.RequestTemplates } }),
    ...(input.TemplateSelectionExpression !== undefined && { templateSelectionExpression: input.TemplateSelectionExpression }),
    // AWS answers WHEN_NO_MATCH for integrations that aren't proxies when none is given [R].
    ...((input.PassthroughBehavior !== undefined || !type.endsWith('_PROXY')) && { passthroughBehavior: input.PassthroughBehavior ?? 'WHEN_NO_MATCH' }),
    ...(input.ContentHandlingStrategy !== undefined && { contentHandlingStrategy: input.ContentHandlingStrategy }),
  }
}

export const routeResponseView = (r: RouteResponseData): T.RouteResponse => ({
  RouteResponseId: r.id, RouteResponseKey: r.key, ModelSelectionExpression: r.modelSelectionExpression,
  ResponseModels: r.responseModels === undefined ? undefined : { ...r.responseModels },
  ResponseParameters: r.responseParameters === undefined ? undefined : parametersView(r.responseParameters),
})

export const integrationResponseView = (r: IntegrationResponseData): T.IntegrationResponse => ({
  IntegrationResponseId: r.id, IntegrationResponseKey: r.key, TemplateSelectionExpression: r.templateSelectionExpression,
  ResponseTemplates: r.responseTemplates === undefined ? undefined : { ...r.responseTemplates },
  ContentHandlingStrategy: r.contentHandlingStrategy as T.ContentHandlingStrategy,
  ResponseParameters: r.responseParameters === undefined ? undefined : { ...r.responseParameters },
})

/** Route and integration responses belong to WebSocket APIs; an HTTP API has none [R: the message]. */
export function websocketOnly(api: HttpApiData, what: string): void {
  if (api.protocolType !== 'WEBSOCKET') throw apiGatewayV2Errors.badRequest(`${what} are supported only for WebSocket APIs`)
}

/** A route's route response, else AWS's NotFoundException [R: the wording]. */
export function routeResponseOf(state: HttpApiState, api: HttpApiData, routeId: string, id: string): RouteResponseData {
  const found = state.route(api, routeId).responses?.[id]
  if (found === undefined) throw apiGatewayV2Errors.notFound(`Invalid RouteResponse identifier specified ${id}`)
  return found
}

/** An integration's integration response, else AWS's NotFoundException [R: the wording]. */
export function integrationResponseOf(state: HttpApiState, api: HttpApiData, integrationId: string, id: string): IntegrationResponseData {
  const found = state.integration(api, integrationId).responses?.[id]
  if (found === undefined) throw apiGatewayV2Errors.notFound(`Invalid IntegrationResponse identifier specified ${id}`)
  return found
}

export function webSocketResponseOperations(state: HttpApiState) {
  const own = (ctx: OperationContext, id: string) => state.api(ctx.caller.account, ctx.caller.region, id)
  const routeResponse = (api: HttpApiData, routeId: string, id: string) => routeResponseOf(state, api, routeId, id)
  const integrationResponse = (api: HttpApiData, integrationId: string, id: string) => integrationResponseOf(state, api, integrationId, id)

  const createRouteResponse: Op<T.CreateRouteResponseRequest, T.CreateRouteResponseResponse> = (input, ctx) => {
    const api = own(ctx, input.ApiId)
    websocketOnly(api, 'Route responses')
    const route = state.route(api, input.RouteId)
    // [R] WebSocket route responses are keyed `$default` (the only route response selection AWS supports).
    if (input.RouteResponseKey !== '$default') throw apiGatewayV2Errors.badRequest(`Invalid route response key specified: ${input.RouteResponseKey}`)
    if (Object.values(route.responses ?? {}).some((r) => r.key === input.RouteResponseKey)) {
      throw apiGatewayV2Errors.conflict(`RouteResponse with key ${input.RouteResponseKey} already exists for this route`)
    }
    const response: RouteResponseData = {
      id: newId(6), key: input.RouteResponseKey, modelSelectionExpression: input.ModelSelectionExpression,
      ...(input.ResponseModels !== undefined && { responseModels: { ...input.ResponseModels } }),
      ...(input.ResponseParameters !== undefined && { responseParameters: parameterConstraints(input.ResponseParameters) }),
    }
    route.responses = { ...route.responses, [response.id]: response }
    state.changed(api)
    return routeResponseView(response)
  }

  const createIntegrationResponse: Op<T.CreateIntegrationResponseRequest, T.CreateIntegrationResponseResponse> = (input, ctx) => {
    const api = own(ctx, input.ApiId)
    websocketOnly(api, 'Integration responses')
    const integration = state.integration(api, input.IntegrationId)
    checkIntegrationResponseKey(input.IntegrationResponseKey)
    checkContentHandling(input.ContentHandlingStrategy)
    if (Object.values(integration.responses ?? {}).some((r) => r.key === input.IntegrationResponseKey)) {
      throw apiGatewayV2Errors.conflict(`IntegrationResponse with key ${input.IntegrationResponseKey} already exists for this integration`)
    }
    const response: IntegrationResponseData = {
      id: newId(6), key: input.IntegrationResponseKey, templateSelectionExpression: input.TemplateSelectionExpression,
      responseTemplates: input.ResponseTemplates, contentHandlingStrategy: input.ContentHandlingStrategy,
      ...(input.ResponseParameters !== undefined && { responseParameters: { ...input.ResponseParameters } }),
    }
    integration.responses = { ...integration.responses, [response.id]: response }
    state.changed(api)
    return integrationResponseView(response)
  }

  return {
    CreateRouteResponse: createRouteResponse,
    GetRouteResponse: ((input, ctx) => routeResponseView(routeResponse(own(ctx, input.ApiId), input.RouteId, input.RouteResponseId))) as Op<T.GetRouteResponseRequest, T.GetRouteResponseResponse>,
    GetRouteResponses: ((input, ctx) => ({ Items: Object.values(state.route(own(ctx, input.ApiId), input.RouteId).responses ?? {}).map(routeResponseView) })) as Op<T.GetRouteResponsesRequest, T.GetRouteResponsesResponse>,
    DeleteRouteResponse: ((input, ctx) => {
      const api = own(ctx, input.ApiId)
      routeResponse(api, input.RouteId, input.RouteResponseId)
      delete api.routes[input.RouteId]!.responses![input.RouteResponseId]
      state.changed(api)
    }) as Op<T.DeleteRouteResponseRequest, void>,
    CreateIntegrationResponse: createIntegrationResponse,
    GetIntegrationResponse: ((input, ctx) => integrationResponseView(integrationResponse(own(ctx, input.ApiId), input.IntegrationId, input.IntegrationResponseId))) as Op<T.GetIntegrationResponseRequest, T.GetIntegrationResponseResponse>,
    GetIntegrationResponses: ((input, ctx) => ({ Items: Object.values(state.integration(own(ctx, input.ApiId), input.IntegrationId).responses ?? {}).map(integrationResponseView) })) as Op<T.GetIntegrationResponsesRequest, T.GetIntegrationResponsesResponse>,
    DeleteIntegrationResponse: ((input, ctx) => {
      const api = own(ctx, input.ApiId)
      integrationResponse(api, input.IntegrationId, input.IntegrationResponseId)
      delete api.integrations[input.IntegrationId]!.responses![input.IntegrationResponseId]
      state.changed(api)
    }) as Op<T.DeleteIntegrationResponseRequest, void>,
  }
}
