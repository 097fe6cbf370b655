// Deployments (snapshots of the API's resources) and stages (a name pointing at a deployment, with variables).
import type { OperationContext } from '../../service.ts'
import { apiGatewayErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { newId } from '../ids.ts'
import { stageCacheId } from '../cache/stage-cache.ts'
import type { ApiData, ApiGatewayState, DeploymentData, StageData } from '../store.ts'
import { page, stageView } from './views.ts'
import { cacheCluster } from './cache-operations.ts'
import { deploymentExtras } from '../models/model-store.ts'
import { canaryOf } from '../canary/canary.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

const deploymentView = (d: DeploymentData): T.Deployment => ({ id: d.id, description: d.description, createdDate: new Date(d.createdDate) })

/** The stage's two invoke URLs, on the port the client called (issue 15 §1: printed on the console). */
export function invokeUrls(host: string, apiId: string, stage: string): string {
  const colon = host.lastIndexOf(':')
  const port = colon > host.lastIndexOf(']') ? host.slice(colon) : ''
  return `http://${apiId}.execute-api.localhost${port}/${stage}/ and http://localhost${port}/restapis/${apiId}/${stage}/_user_request_/`
}

export function stageOperations(state: ApiGatewayState, log: (line: string) => void) {
  const announce = (ctx: OperationContext, apiId: string, stage: string) =>
    log(`[nimbus] apigateway: stage ${stage} of REST API ${apiId} serves ${invokeUrls(ctx.host, apiId, stage)}`)
  const api = (id: string, ctx: OperationContext) => state.api(ctx.caller.account, ctx.caller.region, id)

  const newStage = (rest: ApiData, name: string, deploymentId: string, input: Partial<T.CreateStageRequest>): StageData => {
    const now = state.clock.now()
    const cache = cacheCluster(input.cacheClusterEnabled ?? false, input.cacheClusterSize, now)
    if (input.canarySettings?.deploymentId !== undefined && rest.deployments[input.canarySettings.deploymentId] === undefined) {
      throw apiGatewayErrors.deploymentNotFound()
    }
    return {
      stageName: name, deploymentId, description: input.description, variables: input.variables ?? {}, ...cache,
      tracingEnabled: input.tracingEnabled ?? false, tags: input.tags ?? {}, createdDate: now, lastUpdatedDate: now,
      ...(input.canarySettings !== undefined && { canarySettings: canaryOf(input.canarySettings, deploymentId) }),
    }
  }

  const createDeployment: Op<T.CreateDeploymentRequest, T.Deployment> = (input, ctx) => {
    const rest = api(input.restApiId, ctx)
    const methods = Object.values(rest.resources).flatMap((r) => Object.values(r.methods))
    if (methods.length === 0) throw apiGatewayErrors.noMethods()
    if (methods.some((m) => m.integration === undefined)) throw apiGatewayErrors.noIntegration()
    // The private API tutorial attaches a resource policy before deploying: AWS refuses a PRIVATE API's deployment without one.
    if (rest.endpointConfiguration.types?.includes('PRIVATE') === true && (rest.policy ?? '') === '') {
      throw apiGatewayErrors.badRequest('Private REST API doesn\'t have a resource policy attached to it')
    }
    // A canary release deploys to an existing stage only (AWS: "you cannot specify any non-existing stage name") [R: the error].
    const canaryStage = input.canarySettings === undefined ? undefined : rest.stages[input.stageName ?? '']
    if (input.canarySettings !== undefined && canaryStage === undefined) throw apiGatewayErrors.stageNotFound()
    let id = newId(6)
    while (rest.deployments[id] !== undefined) id = newId(6)
    const deployment: DeploymentData = {
      id, description: input.description, createdDate: state.clock.now(), resources: structuredClone(rest.resources), ...deploymentExtras(rest),
    }
    if (canaryStage !== undefined) {
      // The stage keeps serving its deployment; the new one becomes its canary.
      canaryStage.canarySettings = canaryOf({ ...input.canarySettings, deploymentId: id }, id)
      canaryStage.lastUpdatedDate = state.clock.now()
    }
    rest.deployments[id] = deployment
    if (canaryStage === undefined && input.stageName !== undefined && input.stageName !== '') {
      const existing = rest.stages[input.stageName]
      if (existing === undefined) {
        rest.stages[input.stageName] = newStage(rest, input.stageName, id, {
          description: input.stageDescription, variables: input.variables, cacheClusterEnabled: input.cacheClusterEnabled,
          cacheClusterSize: input.cacheClusterSize, tracingEnabled: input.tracingEnabled,
        })
      } else {
        existing.deploymentId = id
        if (input.variables !== undefined) existing.variables = { ...existing.variables, ...input.variables }
        existing.lastUpdatedDate = state.clock.now()
      }
    }
    state.save(rest)
    if (input.stageName !== undefined && input.stageName !== '') announce(ctx, rest.id, input.stageName)
    return deploymentView(deployment)
  }

  const getDeployment: Op<T.GetDeploymentRequest, T.Deployment> = (input, ctx) => {
    const deployment = api(input.restApiId, ctx).deployments[input.deploymentId]
    if (deployment === undefined) throw apiGatewayErrors.deploymentNotFound()
    return deploymentView(deployment)
  }

  const getDeployments: Op<T.GetDeploymentsRequest, T.Deployments> = (input, ctx) => {
    const all = Object.values(api(input.restApiId, ctx).deployments).sort((a, b) => a.createdDate - b.createdDate)
    const { items, position } = page(all, input.position, input.limit)
    return { items: items.map(deploymentView), position }
  }

  const deleteDeployment: Op<T.DeleteDeploymentRequest, void> = (input, ctx) => {
    const rest = api(input.restApiId, ctx)
    if (rest.deployments[input.deploymentId] === undefined) throw apiGatewayErrors.deploymentNotFound()
    if (Object.values(rest.stages).some((s) => s.deploymentId === input.deploymentId || s.canarySettings?.deploymentId === input.deploymentId)) {
      throw apiGatewayErrors.stageInUse()
    }
    delete rest.deployments[input.deploymentId]
    state.save(rest)
  }

  const createStage: Op<T.CreateStageRequest, T.Stage> = (input, ctx) => {
    const rest = api(input.restApiId, ctx)
    if (rest.deployments[input.deploymentId] === undefined) throw apiGatewayErrors.deploymentNotFound()
    if (rest.stages[input.stageName] !== undefined) throw apiGatewayErrors.stageExists()
    // [R] A documentation version the API doesn't have is refused as UpdateStage refuses it.
    if (input.documentationVersion !== undefined && rest.documentationVersions?.[input.documentationVersion] === undefined) {
      throw apiGatewayErrors.notFound('Invalid Documentation version identifier specified')
    }
    const stage = newStage(rest, input.stageName, input.deploymentId, input)
    if (input.documentationVersion !== undefined) stage.documentationVersion = input.documentationVersion
    rest.stages[input.stageName] = stage
    state.save(rest)
    announce(ctx, rest.id, input.stageName)
    return stageView(stage, state.clock.now())
  }

  const getStage: Op<T.GetStageRequest, T.Stage> = (input, ctx) => stageView(state.stage(api(input.restApiId, ctx), input.stageName), state.clock.now())

  const getStages: Op<T.GetStagesRequest, T.Stages> = (input, ctx) => {
    const stages = Object.values(api(input.restApiId, ctx).stages)
    return { item: stages.filter((s) => input.deploymentId === undefined || s.deploymentId === input.deploymentId).map((s) => stageView(s, state.clock.now())) }
  }

  const deleteStage: Op<T.DeleteStageRequest, void> = (input, ctx) => {
    const rest = api(input.restApiId, ctx)
    state.stage(rest, input.stageName)
    delete rest.stages[input.stageName]
    state.stageCache.flush(stageCacheId(rest.id, input.stageName))
    state.save(rest)
  }

  return {
    CreateDeployment: createDeployment, GetDeployment: getDeployment, GetDeployments: getDeployments, DeleteDeployment: deleteDeployment,
    CreateStage: createStage, GetStage: getStage, GetStages: getStages, DeleteStage: deleteStage,
  }
}
