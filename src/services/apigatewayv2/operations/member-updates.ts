// The Update*/Delete* operations of an API's members beyond updates.ts: UpdateAuthorizer,
// UpdateDeployment, UpdateRouteResponse, UpdateIntegrationResponse, DeleteAccessLogSettings,
// DeleteRouteSettings and DeleteRouteRequestParameter. Members given replace the stored ones and
// the result is checked as the Create operation checks it.
import type { OperationContext } from '../../service.ts'
import { apiGatewayV2Errors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { resetAuthorizersCache } from '../authorizer-cache.ts'
import type { HttpApiState } from '../store.ts'
import {
  checkContentHandling, checkIntegrationResponseKey, integrationResponseOf, integrationResponseView, routeResponseOf, routeResponseView, websocketOnly,
} from '../websocket/integrations.ts'
import { authorizerInput, authorizerView, buildAuthorizer } from './authorizers.ts'
import { buildWebSocketAuthorizer } from '../websocket/authorizers.ts'
import { deploymentView, parameterConstraints } from './views.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

/** Members the caller gave (undefined ones keep the stored value). */
const given = <I extends object>(input: I): Partial<I> => Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as Partial<I>

export function memberUpdateOperations(state: HttpApiState) {
  const own = (ctx: OperationContext, id: string) => state.api(ctx.caller.account, ctx.caller.region, id)

  const updateAuthorizer: Op<T.UpdateAuthorizerRequest, T.UpdateAuthorizerResponse> = (input, ctx) => {
    const api = own(ctx, input.ApiId)
    const found = api.authorizers?.[input.AuthorizerId]
    if (found === undefined) throw apiGatewayV2Errors.authorizerNotFound(input.AuthorizerId)
    const { AuthorizerId: _id, ...members } = given(input)
    const merged = { ...authorizerInput(found, api.id), ...members } as T.CreateAuthorizerRequest
    // A type routes rely on can't change under them (a JWT route needs a JWT authorizer) [R: the message].
    if (merged.AuthorizerType !== found.type && Object.values(api.routes).some((r) => r.authorizerId === found.id)) {
      throw apiGatewayV2Errors.conflict(`Cannot change the type of authorizer ${found.id}: it is used by one or more routes`)
    }
    const built = api.protocolType === 'WEBSOCKET' ? buildWebSocketAuthorizer(merged, found.id) : buildAuthorizer(merged, found.id)
    const updated = { ...built, ...(found.identityValidationExpression !== undefined && { identityValidationExpression: found.identityValidationExpression }) }
    if (input.IdentityValidationExpression !== undefined) updated.identityValidationExpression = input.IdentityValidationExpression
    api.authorizers![found.id] = updated
    // Cached answers came from the old configuration.
    for (const stage of Object.keys(api.stages)) {
      resetAuthorizersCache(state, api.id, stage)
    }
    state.changed(api)
    return authorizerView(updated)
  }

  const updateDeployment: Op<T.UpdateDeploymentRequest, T.UpdateDeploymentResponse> = (input, ctx) => {
    const api = own(ctx, input.ApiId)
    const deployment = state.deployment(api, input.DeploymentId)
    if (input.Description !== undefined) deployment.description = input.Description
    state.save(api)
    return deploymentView(deployment)
  }

  const updateRouteResponse: Op<T.UpdateRouteResponseRequest, T.UpdateRouteResponseResponse> = (input, ctx) => {
    const api = own(ctx, input.ApiId)
    websocketOnly(api, 'Route responses')
    const response = routeResponseOf(state, api, input.RouteId, input.RouteResponseId)
    // [R] `$default` is the only route response key AWS takes.
    if (input.RouteResponseKey !== undefined && input.RouteResponseKey !== '$default') {
      throw apiGatewayV2Errors.badRequest(`Invalid route response key specified: ${input.RouteResponseKey}`)
    }
    if (input.ModelSelectionExpression !== undefined) response.modelSelectionExpression = input.ModelSelectionExpression
    if (input.ResponseModels !== undefined) response.responseModels = { ...input.ResponseModels }
    if (input.ResponseParameters !== undefined) response.responseParameters = parameterConstraints(input.ResponseParameters)
    state.changed(api)
    return routeResponseView(response)
  }

  const updateIntegrationResponse: Op<T.UpdateIntegrationResponseRequest, T.UpdateIntegrationResponseResponse> = (input, ctx) => {
    const api = own(ctx, input.ApiId)
    websocketOnly(api, 'Integration responses')
    const integration = state.integration(api, input.IntegrationId)
    const response = integrationResponseOf(state, api, input.IntegrationId, input.IntegrationResponseId)
    const key = input.IntegrationResponseKey
    if (key !== undefined) checkIntegrationResponseKey(key)
    if (key !== undefined && Object.values(integration.responses ?? {}).some((r) => r.key === key && r.id !== response.id)) {
      throw apiGatewayV2Errors.conflict(`IntegrationResponse with key ${key} already exists for this integration`)
    }
    if (key !== undefined) response.key = key
    if (input.TemplateSelectionExpression !== undefined) response.templateSelectionExpression = input.TemplateSelectionExpression
    if (input.ResponseTemplates !== undefined) response.responseTemplates = { ...input.ResponseTemplates }
    checkContentHandling(input.ContentHandlingStrategy)
    if (input.ContentHandlingStrategy !== undefined) response.contentHandlingStrategy = input.ContentHandlingStrategy
    if (input.ResponseParameters !== undefined) response.responseParameters = { ...input.ResponseParameters }
    state.changed(api)
    return integrationResponseView(response)
  }

  const deleteAccessLogSettings: Op<T.DeleteAccessLogSettingsRequest, void> = (input, ctx) => {
    const api = own(ctx, input.ApiId)
    const stage = state.stage(api, input.StageName)
    delete stage.accessLogSettings
    stage.lastUpdatedDate = state.clock.now()
    state.save(api)
  }

  const deleteRouteSettings: Op<T.DeleteRouteSettingsRequest, void> = (input, ctx) => {
    const api = own(ctx, input.ApiId)
    const stage = state.stage(api, input.StageName)
    // [R] AWS's answer for a route key the stage has no settings for.
    if (stage.routeSettings?.[input.RouteKey] === undefined) throw apiGatewayV2Errors.notFound(`Invalid route key specified ${input.RouteKey}`)
    delete stage.routeSettings[input.RouteKey]
    stage.lastUpdatedDate = state.clock.now()
    state.save(api)
  }

  const deleteRouteRequestParameter: Op<T.DeleteRouteRequestParameterRequest, void> = (input, ctx) => {
    const api = own(ctx, input.ApiId)
    const route = state.route(api, input.RouteId)
    // [R] AWS's answer for a parameter the route doesn't have.
    if (route.requestParameters?.[input.RequestParameterKey] === undefined) {
      throw apiGatewayV2Errors.notFound(`Invalid request parameter key specified ${input.RequestParameterKey}`)
    }
    delete route.requestParameters[input.RequestParameterKey]
    state.changed(api)
  }

  return {
    UpdateAuthorizer: updateAuthorizer, UpdateDeployment: updateDeployment, UpdateRouteResponse: updateRouteResponse,
    UpdateIntegrationResponse: updateIntegrationResponse, DeleteAccessLogSettings: deleteAccessLogSettings,
    DeleteRouteSettings: deleteRouteSettings, DeleteRouteRequestParameter: deleteRouteRequestParameter,
  }
}
