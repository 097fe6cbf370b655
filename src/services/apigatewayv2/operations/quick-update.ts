// UpdateApi's quick-create members (HTTP APIs only), as the API reference words them: `Target` updates
// the quick-created integration's URI and type (AWS_PROXY for a Lambda ARN, HTTP_PROXY for a URL) and
// `RouteKey` replaces the quick-created route's key. An API made without quick create gets the
// quick-create set (integration, route, `$default` AutoDeploy stage) on its first Target [R].
import type { HttpApiData } from '../data.ts'
import { apiGatewayV2Errors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import type { HttpApiState } from '../store.ts'
import { addIntegration, addRoute, buildIntegration, buildRoute } from './routes.ts'

/** Applies Target/RouteKey (checked before anything changes); true when routes or integrations changed. */
export function applyQuickCreate(state: HttpApiState, api: HttpApiData, input: T.UpdateApiRequest): boolean {
  if (input.Target === undefined && input.RouteKey === undefined) return false
  if (api.protocolType === 'WEBSOCKET') throw apiGatewayV2Errors.badRequest('Quick create is not supported for WEBSOCKET APIs')
  const integration = Object.values(api.integrations).find((i) => i.managed)
  const route = Object.values(api.routes).find((r) => r.managed)
  const target = input.Target
  const lambda = target?.startsWith('arn:') === true
  const integrationInput = target === undefined ? undefined : {
    ApiId: api.id, IntegrationType: lambda ? 'AWS_PROXY' : 'HTTP_PROXY', IntegrationUri: target,
    IntegrationMethod: lambda ? 'POST' : 'ANY', PayloadFormatVersion: lambda ? '2.0' : '1.0',
  } satisfies T.CreateIntegrationRequest
  if (integration === undefined || route === undefined) {
    // [R] Without a quick-created target there is nothing for a RouteKey alone to rename.
    if (integrationInput === undefined) throw apiGatewayV2Errors.badRequest('RouteKey can only be specified with Target')
    const created = addIntegration(api, integrationInput, true)
    try {
      addRoute(api, { ApiId: api.id, RouteKey: input.RouteKey ?? '$default', Target: `integrations/${created.id}` }, true)
    } catch (error) {
      delete api.integrations[created.id]
      throw error
    }
    if (api.stages.$default === undefined) {
      const now = state.clock.now()
      api.stages.$default = { name: '$default', autoDeploy: true, variables: {}, createdDate: now, lastUpdatedDate: now, tags: {}, managed: true }
    }
    return true
  }
  const updatedIntegration = integrationInput === undefined ? undefined
    : buildIntegration({ ...integrationInput, TimeoutInMillis: integration.timeoutInMillis, Description: integration.description }, integration.id, true)
  const updatedRoute = input.RouteKey === undefined ? undefined
    : buildRoute(api, { ApiId: api.id, RouteKey: input.RouteKey, Target: route.target, AuthorizationType: route.authorizationType as T.AuthorizationType,
      AuthorizerId: route.authorizerId, AuthorizationScopes: route.authorizationScopes, ApiKeyRequired: route.apiKeyRequired }, route.id, true)
  if (updatedIntegration !== undefined) api.integrations[integration.id] = updatedIntegration
  if (updatedRoute !== undefined) api.routes[route.id] = updatedRoute
  return true
}
