// Routes (`$default`, `METHOD /path` with `{param}` and greedy `{proxy+}`) and integrations
// (AWS_PROXY to Lambda with payload format 2.0 or 1.0, or to an AWS service by IntegrationSubtype; HTTP_PROXY to a URL with parameter mapping).
import type { OperationContext } from '../../service.ts'
import type { HttpApiData, IntegrationData, RouteData } from '../data.ts'
import { apiGatewayV2Errors } from '../errors.ts'
import { page } from './pages.ts'
import type * as T from '../generated/types.ts'
import { newId, type HttpApiState } from '../store.ts'
import { subtypes, unservedSubtypes } from '../subtypes.ts'
import { integrationView, parameterConstraints, routeView } from './views.ts'
import { buildWebSocketIntegration } from '../websocket/integrations.ts'
import { checkWebSocketRouteAuth } from '../websocket/authorizers.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

const methods = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'ANY'])
/** `/`, or segments of literals, `{name}` and a final `{name+}`. */
const pathPattern = /^\/$|^(\/([\w.~-]+|\{[\w]+\}))*(\/\{[\w]+\+\})?$/

export function validRouteKey(key: string): boolean {
  if (key === '$default') return true
  const space = key.indexOf(' ')
  if (space === -1) return false
  const path = key.slice(space + 1)
  return methods.has(key.slice(0, space)) && path !== '' && pathPattern.test(path)
}

/** Shared with quick create: adds the route (unique by key) to the API. */
export function addRoute(api: HttpApiData, input: T.CreateRouteRequest, managed: boolean): RouteData {
  let id = newId(7)
  while (api.routes[id] !== undefined) id = newId(7)
  const route = buildRoute(api, input, id, managed)
  api.routes[id] = route
  return route
}

/** A route checked against the API (key unique but for the route `id` itself, target, authorizer). */
export function buildRoute(api: HttpApiData, input: T.CreateRouteRequest, id: string, managed: boolean): RouteData {
  const websocket = api.protocolType === 'WEBSOCKET'
  // WebSocket route keys are any text the selection expression may yield, besides `$connect`, `$disconnect` and `$default`.
  if (websocket ? input.RouteKey.trim() === '' : !validRouteKey(input.RouteKey)) throw apiGatewayV2Errors.invalidRouteKey(input.RouteKey)
  if (Object.values(api.routes).some((r) => r.routeKey === input.RouteKey && r.id !== id)) throw apiGatewayV2Errors.routeExists(input.RouteKey)
  checkTarget(api, input.Target)
  if (websocket) checkWebSocketRouteAuth(input)
  // [R] A request model must be one of the API's (the message validation reads it by name).
  for (const name of Object.values(input.RequestModels ?? {})) {
    if (websocket && !Object.values(api.models ?? {}).some((m) => m.name === name)) throw apiGatewayV2Errors.badRequest(`Invalid model specified: ${name}`)
  }
  const auth = routeAuthorization(api, input)
  const selection = input.RouteResponseSelectionExpression
  if (selection !== undefined && (!websocket || selection !== '$default')) {
    // [R] AWS takes only `$default` as a WebSocket route's response selection expression; HTTP APIs have none.
    throw apiGatewayV2Errors.badRequest(websocket ? `Invalid route response selection expression specified: ${selection}. Only $default is supported.`
      : 'RouteResponseSelectionExpression is not supported for HTTP APIs')
  }
  return {
    id, routeKey: input.RouteKey, target: input.Target, ...auth, apiKeyRequired: input.ApiKeyRequired ?? false,
    operationName: input.OperationName, managed,
    ...(selection !== undefined && { routeResponseSelectionExpression: selection }),
    ...(api.routes[id]?.responses !== undefined && { responses: api.routes[id].responses }),
    ...(input.RequestModels !== undefined && { requestModels: { ...input.RequestModels } }),
    ...(input.ModelSelectionExpression !== undefined && { modelSelectionExpression: input.ModelSelectionExpression }),
    ...(input.RequestParameters !== undefined && { requestParameters: parameterConstraints(input.RequestParameters) }),
  }
}

/** NONE, AWS_IAM (SigV4-signed callers), JWT naming one of the API's JWT authorizers (with optional scopes), or CUSTOM naming a Lambda one. */
function routeAuthorization(api: HttpApiData, input: T.CreateRouteRequest): Pick<RouteData, 'authorizationType' | 'authorizerId' | 'authorizationScopes'> {
  const type = input.AuthorizationType ?? 'NONE'
  if (type === 'NONE' || type === 'AWS_IAM') return { authorizationType: type }
  if (type !== 'JWT' && type !== 'CUSTOM') throw apiGatewayV2Errors.badRequest(`Invalid authorization type ${String(type)}`)
  const authorizer = input.AuthorizerId === undefined ? undefined : api.authorizers?.[input.AuthorizerId]
  if (authorizer === undefined || (authorizer.type === 'JWT') !== (type === 'JWT')) {
    throw apiGatewayV2Errors.badRequest(`Invalid authorizer ID specified: ${input.AuthorizerId ?? 'null'}`)
  }
  return { authorizationType: type, authorizerId: authorizer.id, authorizationScopes: input.AuthorizationScopes }
}

function checkTarget(api: HttpApiData, target: string | undefined): void {
  if (target === undefined) return
  const id = /^integrations\/(\w+)$/.exec(target)?.[1]
  if (id === undefined || api.integrations[id] === undefined) throw apiGatewayV2Errors.badRequest(`Invalid target ${target} specified`)
}

export function addIntegration(api: HttpApiData, input: T.CreateIntegrationRequest, managed: boolean): IntegrationData {
  let id = newId(7)
  while (api.integrations[id] !== undefined) id = newId(7)
  const integration = api.protocolType === 'WEBSOCKET' ? buildWebSocketIntegration(input, id) : buildIntegration(input, id, managed)
  api.integrations[id] = integration
  return integration
}

/** An integration checked as CreateIntegration (and UpdateIntegration, on the merged members) checks it. */
export function buildIntegration(input: T.CreateIntegrationRequest, id: string, managed: boolean): IntegrationData {
  const type = input.IntegrationType
  // HTTP APIs take only proxy integrations (AWS, HTTP and MOCK are REST and WebSocket APIs' kinds);
  // AWS's answer, quoted in hashicorp/terraform-provider-aws#17289.
  if (type !== 'AWS_PROXY' && type !== 'HTTP_PROXY' && input.IntegrationSubtype === undefined) {
    throw apiGatewayV2Errors.badRequest('Currently, an API with a protocol type of HTTP may only be associated with proxy integrations (AWS_PROXY, HTTP_PROXY)')
  }
  if (input.IntegrationSubtype !== undefined) checkSubtype(input)
  // Without a subtype (HTTP_PROXY and Lambda proxy integrations) the request parameters transform the request;
  // response parameters transform any integration's answer (CreateIntegration's reference).
  else if (input.RequestParameters !== undefined) checkRequestMapping(input.RequestParameters)
  if (input.ResponseParameters !== undefined) checkResponseMapping(input.ResponseParameters)
  if ((type === 'AWS_PROXY' && input.IntegrationSubtype === undefined) || type === 'HTTP_PROXY') {
    if (input.IntegrationUri === undefined) throw apiGatewayV2Errors.badRequest(`IntegrationUri is required for ${type} integrations`)
  }
  if (type === 'HTTP_PROXY' && input.ConnectionType !== 'VPC_LINK' && !/^https?:\/\/[^\s/]+/.test(input.IntegrationUri!)) {
    // [R] AWS's wording for an HTTP integration URI that is no URL.
    throw apiGatewayV2Errors.badRequest(`Invalid HTTP endpoint specified for URI`)
  }
  const version = input.PayloadFormatVersion ?? (type === 'HTTP_PROXY' ? '1.0' : undefined)
  if (type === 'AWS_PROXY' && version === undefined && input.IntegrationSubtype === undefined) throw apiGatewayV2Errors.badRequest('PayloadFormatVersion is required for AWS_PROXY integrations')
  if (version !== undefined && version !== '1.0' && version !== '2.0') {
    throw apiGatewayV2Errors.badRequest(`Invalid payload format version specified: ${version}`)
  }
  const timeout = input.TimeoutInMillis ?? 30_000
  // HTTP APIs allow 50 ms to 30 s.
  if (timeout < 50 || timeout > 30_000) throw apiGatewayV2Errors.badRequest('Timeout must be between 50 milliseconds and 30 seconds.')
  return {
    id, type, uri: input.IntegrationUri, method: input.IntegrationMethod ?? (type === 'AWS_PROXY' ? 'POST' : type === 'HTTP_PROXY' ? 'ANY' : undefined),
    payloadFormatVersion: version ?? '1.0', timeoutInMillis: timeout, description: input.Description,
    subtype: input.IntegrationSubtype, requestParameters: input.RequestParameters, responseParameters: input.ResponseParameters,
    credentialsArn: input.CredentialsArn, connectionType: input.ConnectionType ?? 'INTERNET', managed,
    ...(input.ConnectionId !== undefined && { connectionId: input.ConnectionId }),
  }
}

const requestMappingKey = /^(?:(?:append|overwrite|remove):(?:header|querystring)\.[^\s]+|overwrite:path)$/
const responseMappingKey = /^(?:(?:append|overwrite|remove):header\.[^\s]+|overwrite:statuscode)$/

/** The guide's reserved headers: "You can't configure request or response mappings for these headers". */
const reservedHeader = /^(?:access-control-.*|apigw-.*|authorization|connection|content-encoding|content-length|content-location|forwarded|keep-alive|origin|proxy-authenticate|proxy-authorization|te|trailers|transfer-encoding|upgrade|x-amz-.*|x-amzn-.*|x-forwarded-for|x-forwarded-host|x-forwarded-proto|via)$/i

/** [R: the wording] A mapping of a reserved header is refused. */
function checkReserved(key: string): void {
  const header = /^(?:append|overwrite|remove):header\.(.+)$/.exec(key)?.[1]
  if (header !== undefined && reservedHeader.test(header)) {
    throw apiGatewayV2Errors.badRequest(`Invalid mapping expression specified: Validation Result: warnings : [], errors : [Operations on header ${header.toLowerCase()} are restricted]`)
  }
}

/** HTTP APIs' parameter mapping keys: `append|overwrite|remove:header.x` / `querystring.x`, `overwrite:path` [R: the message]. */
function checkRequestMapping(parameters: Record<string, string>): void {
  for (const key of Object.keys(parameters)) {
    if (!requestMappingKey.test(key)) throw apiGatewayV2Errors.badRequest(`Invalid mapping expression specified: ${key}`)
    checkReserved(key)
  }
}

/** Keyed by a status code (200–599), each `append|overwrite|remove:header.x` or `overwrite:statuscode` [R: the messages]. */
function checkResponseMapping(parameters: Record<string, Record<string, string>>): void {
  for (const [status, mappings] of Object.entries(parameters)) {
    if (!/^[2-5]\d\d$/.test(status)) throw apiGatewayV2Errors.badRequest(`Invalid status code specified: ${status}`)
    for (const key of Object.keys(mappings ?? {})) {
      if (!responseMappingKey.test(key)) throw apiGatewayV2Errors.badRequest(`Invalid mapping expression specified: ${key}`)
      checkReserved(key)
    }
  }
}

/** A first-class integration: AWS_PROXY, payload format 1.0, a known subtype with its required parameters [R: the messages]. */
function checkSubtype(input: T.CreateIntegrationRequest): void {
  const name = input.IntegrationSubtype!
  if (unservedSubtypes.has(name)) throw apiGatewayV2Errors.notImplemented(`the ${name} integration subtype`)
  const subtype = subtypes[name]
  if (subtype === undefined) throw apiGatewayV2Errors.badRequest(`Invalid integration subtype specified: ${name}`)
  if (input.IntegrationType !== 'AWS_PROXY') throw apiGatewayV2Errors.badRequest('Integration subtype is only supported for AWS_PROXY integrations')
  if (input.PayloadFormatVersion !== undefined && input.PayloadFormatVersion !== '1.0') {
    throw apiGatewayV2Errors.badRequest('Integration subtype requires payload format version 1.0')
  }
  const given = input.RequestParameters ?? {}
  for (const key of Object.keys(given)) {
    if (!subtype.parameters.includes(key)) throw apiGatewayV2Errors.badRequest(`Invalid request parameter ${key} for integration subtype ${name}`)
  }
  const missing = subtype.required.find((key) => given[key] === undefined)
  if (missing !== undefined) throw apiGatewayV2Errors.badRequest(`Missing required request parameter ${missing} for integration subtype ${name}`)
}

export function routeOperations(state: HttpApiState) {
  const own = (ctx: OperationContext, id: string) => state.api(ctx.caller.account, ctx.caller.region, id)

  const createRoute: Op<T.CreateRouteRequest, T.CreateRouteResult> = (input, ctx) => {
    const api = own(ctx, input.ApiId)
    const route = addRoute(api, input, false)
    state.changed(api)
    return routeView(route)
  }

  const getRoute: Op<T.GetRouteRequest, T.GetRouteResult> = (input, ctx) => routeView(state.route(own(ctx, input.ApiId), input.RouteId))

  const getRoutes: Op<T.GetRoutesRequest, T.GetRoutesResponse> = (input, ctx) => page(Object.values(own(ctx, input.ApiId).routes).map(routeView), input)

  const deleteRoute: Op<T.DeleteRouteRequest, void> = (input, ctx) => {
    const api = own(ctx, input.ApiId)
    state.route(api, input.RouteId)
    delete api.routes[input.RouteId]
    state.changed(api)
  }

  const createIntegration: Op<T.CreateIntegrationRequest, T.CreateIntegrationResult> = (input, ctx) => {
    const api = own(ctx, input.ApiId)
    const integration = addIntegration(api, input, false)
    state.changed(api)
    return integrationView(integration)
  }

  const getIntegration: Op<T.GetIntegrationRequest, T.GetIntegrationResult> = (input, ctx) =>
    integrationView(state.integration(own(ctx, input.ApiId), input.IntegrationId))

  const getIntegrations: Op<T.GetIntegrationsRequest, T.GetIntegrationsResponse> = (input, ctx) =>
    page(Object.values(own(ctx, input.ApiId).integrations).map(integrationView), input)

  const deleteIntegration: Op<T.DeleteIntegrationRequest, void> = (input, ctx) => {
    const api = own(ctx, input.ApiId)
    state.integration(api, input.IntegrationId)
    // AWS refuses to delete an integration a route still targets [R: the message].
    if (Object.values(api.routes).some((r) => r.target === `integrations/${input.IntegrationId}`)) {
      throw apiGatewayV2Errors.conflict('Integration is in use by one or more routes')
    }
    delete api.integrations[input.IntegrationId]
    state.changed(api)
  }

  return {
    CreateRoute: createRoute, GetRoute: getRoute, GetRoutes: getRoutes, DeleteRoute: deleteRoute,
    CreateIntegration: createIntegration, GetIntegration: getIntegration, GetIntegrations: getIntegrations, DeleteIntegration: deleteIntegration,
  }
}
