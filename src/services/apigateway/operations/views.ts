// How stored data reads back through the API (GetRestApi, GetResources, GetMethod…): the shapes AWS returns.
import type * as T from '../generated/types.ts'
import type { ApiData, IntegrationData, MethodData, ResourceData, StageData } from '../store.ts'
import { cacheClusterStatus } from '../cache/method-caching.ts'

export function restApiView(api: ApiData): T.RestApi {
  return {
    id: api.id, name: api.name, description: api.description, version: api.version, createdDate: new Date(api.createdDate),
    binaryMediaTypes: api.binaryMediaTypes.length > 0 ? api.binaryMediaTypes : undefined,
    minimumCompressionSize: api.minimumCompressionSize, apiKeySource: api.apiKeySource as T.ApiKeySourceType,
    endpointConfiguration: api.endpointConfiguration, policy: api.policy, disableExecuteApiEndpoint: api.disableExecuteApiEndpoint,
    rootResourceId: api.rootResourceId, tags: Object.keys(api.tags).length > 0 ? api.tags : undefined,
  }
}

export function integrationView(integration: IntegrationData): T.Integration {
  const responses = Object.keys(integration.integrationResponses).length > 0 ? integration.integrationResponses : undefined
  return { ...integration, integrationResponses: responses }
}

export function methodView(method: MethodData): T.Method {
  return {
    httpMethod: method.httpMethod, authorizationType: method.authorizationType, authorizerId: method.authorizerId,
    apiKeyRequired: method.apiKeyRequired, operationName: method.operationName, requestParameters: method.requestParameters,
    requestModels: method.requestModels, requestValidatorId: method.requestValidatorId, authorizationScopes: method.authorizationScopes,
    methodResponses: Object.keys(method.methodResponses).length > 0 ? method.methodResponses : undefined,
    methodIntegration: method.integration === undefined ? undefined : integrationView(method.integration),
  }
}

/** Without `embed=methods` AWS lists each method as an empty object; with it, in full. */
export function resourceView(resource: ResourceData, embedMethods: boolean): T.Resource {
  const verbs = Object.keys(resource.methods)
  return {
    id: resource.id, parentId: resource.parentId, pathPart: resource.pathPart, path: resource.path,
    resourceMethods: verbs.length === 0 ? undefined
      : Object.fromEntries(verbs.map((v) => [v, embedMethods ? methodView(resource.methods[v]!) : {}])),
  }
}

/** `now` (Nimbus's clock) tells the cache cluster's status. */
export function stageView(stage: StageData, now: number): T.Stage {
  return {
    stageName: stage.stageName, deploymentId: stage.deploymentId, description: stage.description,
    cacheClusterEnabled: stage.cacheClusterEnabled, cacheClusterSize: stage.cacheClusterSize as T.CacheClusterSize | undefined,
    cacheClusterStatus: cacheClusterStatus(stage, now), methodSettings: stage.methodSettings ?? {},
    variables: Object.keys(stage.variables).length > 0 ? stage.variables : undefined,
    ...(stage.accessLogSettings !== undefined && { accessLogSettings: { ...stage.accessLogSettings } }),
    ...(stage.canarySettings !== undefined && { canarySettings: structuredClone(stage.canarySettings) }),
    tracingEnabled: stage.tracingEnabled, tags: Object.keys(stage.tags).length > 0 ? stage.tags : undefined,
    clientCertificateId: stage.clientCertificateId, documentationVersion: stage.documentationVersion,
    createdDate: new Date(stage.createdDate), lastUpdatedDate: new Date(stage.lastUpdatedDate),
  }
}

/** Pages by offset: `position` is the index of the next item, as an opaque-looking string. */
export function page<V>(items: readonly V[], position: string | undefined, limit: number | undefined): { items: V[]; position?: string } {
  const start = position === undefined ? 0 : Number.parseInt(position, 36) || 0
  const size = Math.min(Math.max(limit ?? 25, 1), 500)
  const slice = items.slice(start, start + size)
  return { items: slice, ...(start + size < items.length && { position: (start + size).toString(36) }) }
}
