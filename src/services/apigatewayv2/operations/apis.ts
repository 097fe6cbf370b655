// HTTP APIs (create — quick create included —, get, list, delete), stages and deployments.
import type { OperationContext } from '../../service.ts'
import type { HttpApiData, StageData } from '../data.ts'
import { apiGatewayV2Errors } from '../errors.ts'
import { page } from './pages.ts'
import type * as T from '../generated/types.ts'
import { newId, type HttpApiState } from '../store.ts'
import { addIntegration, addRoute } from './routes.ts'
import { accessLogSettings, corsFrom } from './updates.ts'
import { apiView, deploymentView, stageView } from './views.ts'
import { routeSettingsFrom } from '../route-throttle.ts'
import { checkTags } from '../tag-limits.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

/** A WebSocket API needs a route selection expression and has no quick create or CORS [R: the messages]. */
function checkWebSocketApi(input: T.CreateApiRequest): void {
  if (input.RouteSelectionExpression === undefined) throw apiGatewayV2Errors.badRequest('RouteSelectionExpression is required for WEBSOCKET APIs')
  if (!/\$\{?request\.body\b|^\$request\.body\.|^[^$]*$/.test(input.RouteSelectionExpression)) {
    throw apiGatewayV2Errors.badRequest(`Invalid route selection expression specified: ${input.RouteSelectionExpression}`)
  }
  if (input.Target !== undefined || input.RouteKey !== undefined) throw apiGatewayV2Errors.badRequest('Quick create is not supported for WEBSOCKET APIs')
  if (input.CorsConfiguration !== undefined) throw apiGatewayV2Errors.badRequest('CORS configuration is not supported for WEBSOCKET APIs')
}

export function apiOperations(state: HttpApiState, log: (line: string) => void) {
  const own = (ctx: OperationContext, id: string) => state.api(ctx.caller.account, ctx.caller.region, id)

  const newStage = (name: string, input: Partial<T.CreateStageRequest>, managed: boolean): StageData => {
    const now = state.clock.now()
    return {
      name, autoDeploy: input.AutoDeploy ?? false, deploymentId: input.DeploymentId, description: input.Description,
      variables: input.StageVariables ?? {}, createdDate: now, lastUpdatedDate: now, tags: input.Tags ?? {}, managed,
      ...(input.AccessLogSettings !== undefined && { accessLogSettings: accessLogSettings(input.AccessLogSettings) }),
      ...(input.ClientCertificateId !== undefined && { clientCertificateId: input.ClientCertificateId }),
      ...(input.DefaultRouteSettings !== undefined && { defaultRouteSettings: routeSettingsFrom(input.DefaultRouteSettings, 'DefaultRouteSettings') }),
      ...(input.RouteSettings !== undefined && { routeSettings: Object.fromEntries(Object.entries(input.RouteSettings)
        .map(([key, value]) => [key, routeSettingsFrom(value, `RouteSettings[${key}]`)])) }),
    }
  }

  const announce = (api: HttpApiData, stage: string, ctx: OperationContext) => {
    const port = /:(\d+)$/.exec(ctx.host)?.[1] ?? '4566'
    const scheme = api.protocolType === 'WEBSOCKET' ? 'ws' : 'http'
    log(`[nimbus] apigatewayv2 ${api.id} stage ${stage}: ${scheme}://${api.id}.execute-api.localhost:${port}${stage === '$default' ? '' : `/${stage}`}${scheme === 'ws' ? '' : '/'}`)
  }

  const createApi: Op<T.CreateApiRequest, T.CreateApiResponse> = (input, ctx) => {
    if (input.ProtocolType !== 'HTTP' && input.ProtocolType !== 'WEBSOCKET') {
      throw apiGatewayV2Errors.badRequest(`Invalid protocol type: ${String(input.ProtocolType)}`)
    }
    if (input.Name.trim() === '') throw apiGatewayV2Errors.badRequest('Invalid API name specified')
    if (input.ProtocolType === 'WEBSOCKET') checkWebSocketApi(input)
    checkTags(input.Tags ?? {})
    const cors = input.CorsConfiguration === undefined ? undefined : corsFrom(input.CorsConfiguration)
    let id = newId(10)
    while (state.apis.has(id)) id = newId(10)
    const api: HttpApiData = {
      account: ctx.caller.account, region: ctx.caller.region, id, name: input.Name, protocolType: input.ProtocolType,
      description: input.Description, version: input.Version,
      routeSelectionExpression: input.RouteSelectionExpression ?? '${request.method} ${request.path}',
      apiKeySelectionExpression: input.ApiKeySelectionExpression ?? '$request.header.x-api-key',
      disableExecuteApiEndpoint: input.DisableExecuteApiEndpoint ?? false, createdDate: state.clock.now(), tags: input.Tags ?? {},
      routes: {}, integrations: {}, stages: {}, deployments: {}, ...(cors !== undefined && { cors }),
    }
    // Quick create: a Lambda (or HTTP URL) target gets a proxy integration, a route (`$default`
    // unless RouteKey says otherwise) and the `$default` stage with AutoDeploy, all API-Gateway-managed.
    if (input.Target !== undefined) {
      const lambda = input.Target.startsWith('arn:')
      const integration = addIntegration(api, {
        ApiId: id, IntegrationType: lambda ? 'AWS_PROXY' : 'HTTP_PROXY', IntegrationUri: input.Target,
        IntegrationMethod: lambda ? 'POST' : 'ANY', PayloadFormatVersion: lambda ? '2.0' : '1.0',
      }, true)
      addRoute(api, { ApiId: id, RouteKey: input.RouteKey ?? '$default', Target: `integrations/${integration.id}` }, true)
      api.stages.$default = newStage('$default', { AutoDeploy: true }, true)
    } else if (input.RouteKey !== undefined) {
      throw apiGatewayV2Errors.badRequest('RouteKey can only be specified with Target')
    }
    state.apis.set(id, api)
    state.changed(api)
    if (input.Target !== undefined) announce(api, '$default', ctx)
    return apiView(api, ctx.host)
  }

  const getApi: Op<T.GetApiRequest, T.GetApiResponse> = (input, ctx) => apiView(own(ctx, input.ApiId), ctx.host)

  const getApis: Op<T.GetApisRequest, T.GetApisResponse> = (input, ctx) => page([...state.apis.values()]
    .filter((a) => a.account === ctx.caller.account && a.region === ctx.caller.region)
    .sort((a, b) => a.createdDate - b.createdDate).map((a) => apiView(a, ctx.host)), input)

  const deleteApi: Op<T.DeleteApiRequest, void> = (input, ctx) => {
    state.remove(own(ctx, input.ApiId))
  }

  const createStage: Op<T.CreateStageRequest, T.CreateStageResponse> = (input, ctx) => {
    const api = own(ctx, input.ApiId)
    if (api.stages[input.StageName] !== undefined) throw apiGatewayV2Errors.stageExists(input.StageName)
    checkTags(input.Tags ?? {})
    // [R] `$default` is HTTP APIs' stage: a WebSocket API's URL always names its stage.
    if (input.StageName === '$default' && api.protocolType === 'WEBSOCKET') throw apiGatewayV2Errors.badRequest('Stage name only allows a-zA-Z0-9_-')
    if (input.StageName !== '$default' && !/^[\w-]{1,128}$/.test(input.StageName)) {
      throw apiGatewayV2Errors.badRequest('Stage name only allows a-zA-Z0-9_-')
    }
    if (input.DeploymentId !== undefined) state.deployment(api, input.DeploymentId)
    const stage = newStage(input.StageName, input, false)
    api.stages[stage.name] = stage
    if (stage.autoDeploy) state.changed(api)
    else state.save(api)
    announce(api, stage.name, ctx)
    return stageView(stage)
  }

  const getStage: Op<T.GetStageRequest, T.GetStageResponse> = (input, ctx) => stageView(state.stage(own(ctx, input.ApiId), input.StageName))

  const getStages: Op<T.GetStagesRequest, T.GetStagesResponse> = (input, ctx) =>
    page(Object.values(own(ctx, input.ApiId).stages).map(stageView), input)

  const deleteStage: Op<T.DeleteStageRequest, void> = (input, ctx) => {
    const api = own(ctx, input.ApiId)
    state.stage(api, input.StageName)
    delete api.stages[input.StageName]
    state.save(api)
  }

  const createDeployment: Op<T.CreateDeploymentRequest, T.CreateDeploymentResponse> = (input, ctx) => {
    const api = own(ctx, input.ApiId)
    const stage = input.StageName === undefined ? undefined : state.stage(api, input.StageName)
    // AWS refuses a manual deployment to an AutoDeploy stage [R: the message].
    if (stage?.autoDeploy === true) throw apiGatewayV2Errors.badRequest('Deployments cannot be created for stages with AutoDeploy enabled')
    const deployment = state.deploy(api, false, input.Description)
    if (stage !== undefined) {
      stage.deploymentId = deployment.id
      stage.lastUpdatedDate = state.clock.now()
    }
    state.save(api)
    return deploymentView(deployment)
  }

  const getDeployment: Op<T.GetDeploymentRequest, T.GetDeploymentResponse> = (input, ctx) =>
    deploymentView(state.deployment(own(ctx, input.ApiId), input.DeploymentId))

  const getDeployments: Op<T.GetDeploymentsRequest, T.GetDeploymentsResponse> = (input, ctx) =>
    page(Object.values(own(ctx, input.ApiId).deployments).sort((a, b) => a.createdDate - b.createdDate).map(deploymentView), input)

  const deleteDeployment: Op<T.DeleteDeploymentRequest, void> = (input, ctx) => {
    const api = own(ctx, input.ApiId)
    state.deployment(api, input.DeploymentId)
    if (Object.values(api.stages).some((s) => s.deploymentId === input.DeploymentId)) {
      throw apiGatewayV2Errors.badRequest('Active stages pointing to this deployment must be moved or deleted')
    }
    delete api.deployments[input.DeploymentId]
    state.save(api)
  }

  return {
    CreateApi: createApi, GetApi: getApi, GetApis: getApis, DeleteApi: deleteApi,
    CreateStage: createStage, GetStage: getStage, GetStages: getStages, DeleteStage: deleteStage,
    CreateDeployment: createDeployment, GetDeployment: getDeployment, GetDeployments: getDeployments, DeleteDeployment: deleteDeployment,
  }
}
