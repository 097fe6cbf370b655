// The PATCH operations CDK, Terraform and SAM deploys call: UpdateRestApi, UpdateResource,
// UpdateMethod, UpdateMethodResponse, UpdateIntegration, UpdateIntegrationResponse and
// UpdateDeployment, each applying its paths (patch.ts) to a copy of the API that replaces it only
// when every patch applied.
import type { OperationContext } from '../../service.ts'
import { apiGatewayErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import type { ApiData, ApiGatewayState, IntegrationData, MethodData, ResourceData } from '../store.ts'
import { authorizersOf } from './authorizers.ts'
import { applyPatches, flagMapRule, invalidPatch, mapRule, memberRule, type PatchRule } from './patch.ts'
import { pathPartPattern } from './resources.ts'
import { integrationView, methodView, resourceView, restApiView } from './views.ts'
import { savedPolicy } from '../resource-policy/expand.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

const restApiRules: PatchRule<ApiData>[] = [
  memberRule('/name', (a, v) => {
    if (String(v).trim() === '') throw apiGatewayErrors.badRequest('Invalid REST API name specified')
    a.name = String(v)
  }, 'string', (a) => a.name),
  memberRule('/description', (a, v) => { a.description = String(v) }, 'string', (a) => a.description),
  memberRule('/version', (a, v) => { a.version = String(v) }, 'string', (a) => a.version),
  memberRule('/policy', (a, v) => { a.policy = savedPolicy(String(v), a.region, a.account, a.id) }, 'string', (a) => a.policy),
  memberRule('/apiKeySource', (a, v) => {
    if (v !== 'HEADER' && v !== 'AUTHORIZER') throw apiGatewayErrors.badRequest(`Invalid API Key source specified: ${String(v)}`)
    a.apiKeySource = v
  }, 'string', (a) => a.apiKeySource),
  // An empty value turns compression off.
  { path: '/minimumCompressionSize', ops: ['replace'], set: (a, v) => {
    const n = v === '' ? undefined : Number(v)
    if (n !== undefined && (!Number.isInteger(n) || n < 0 || n > 10_485_760)) {
      throw apiGatewayErrors.badRequest('Invalid minimum compression size, must be between 0 and 10485760')
    }
    a.minimumCompressionSize = n
  } },
  memberRule('/disableExecuteApiEndpoint', (a, v) => { a.disableExecuteApiEndpoint = v as boolean }, 'boolean', (a) => a.disableExecuteApiEndpoint),
  { path: '/binaryMediaTypes/*', ops: ['add', 'remove'],
    set: (a, _v, key) => { if (!a.binaryMediaTypes.includes(key)) a.binaryMediaTypes = [...a.binaryMediaTypes, key] },
    remove: (a, key) => { a.binaryMediaTypes = a.binaryMediaTypes.filter((t) => t !== key) } },
  // `replace /endpointConfiguration/types/EDGE` with `REGIONAL` switches the endpoint type.
  { path: '/endpointConfiguration/types/*', ops: ['replace'], set: (a, v, key) => {
    const to = String(v)
    if (!['EDGE', 'REGIONAL', 'PRIVATE'].includes(to)) throw apiGatewayErrors.badRequest(`Invalid endpoint configuration type: ${to}`)
    const types = a.endpointConfiguration.types ?? []
    if (!types.includes(key as T.EndpointType)) throw invalidPatch(`/endpointConfiguration/types/${key}`, 'replace')
    a.endpointConfiguration = { ...a.endpointConfiguration, types: types.map((t) => (t === key ? to as T.EndpointType : t)) }
  } },
]

function methodRules(api: ApiData): PatchRule<MethodData>[] {
  return [
    memberRule('/authorizationType', (m, v) => { m.authorizationType = String(v) }, 'string', (m) => m.authorizationType),
    memberRule('/authorizerId', (m, v) => {
      if (v !== '' && authorizersOf(api)[String(v)] === undefined) throw apiGatewayErrors.authorizerNotFound()
      m.authorizerId = v === '' ? undefined : String(v)
    }, 'string', (m) => m.authorizerId),
    memberRule('/apiKeyRequired', (m, v) => { m.apiKeyRequired = v as boolean }, 'boolean', (m) => m.apiKeyRequired),
    memberRule('/operationName', (m, v) => { m.operationName = String(v) }, 'string', (m) => m.operationName),
    memberRule('/requestValidatorId', (m, v) => {
      if (v !== '' && api.requestValidators?.[String(v)] === undefined) throw apiGatewayErrors.notFound('Invalid Request Validator identifier specified')
      m.requestValidatorId = v === '' ? undefined : String(v)
    }, 'string', (m) => m.requestValidatorId),
    flagMapRule('/requestParameters', (m) => m.requestParameters, (m, v) => { m.requestParameters = v }),
    mapRule('/requestModels', (m) => m.requestModels, (m, v) => { m.requestModels = v }),
    { path: '/authorizationScopes', ops: ['add', 'remove'],
      set: (m, v) => { m.authorizationScopes = [...new Set([...(m.authorizationScopes ?? []), String(v)])] },
      remove: (m) => { m.authorizationScopes = undefined } },
  ]
}

const methodResponseRules: PatchRule<T.MethodResponse>[] = [
  flagMapRule('/responseParameters', (r) => r.responseParameters, (r, v) => { r.responseParameters = v }),
  mapRule('/responseModels', (r) => r.responseModels, (r, v) => { r.responseModels = v }),
]

const integrationRules: PatchRule<IntegrationData>[] = [
  memberRule('/type', (i, v) => { i.type = String(v) as T.IntegrationType }, 'string', (i) => i.type),
  memberRule('/httpMethod', (i, v) => { i.httpMethod = String(v) }, 'string', (i) => i.httpMethod),
  memberRule('/uri', (i, v) => { i.uri = String(v) }, 'string', (i) => i.uri),
  memberRule('/credentials', (i, v) => { i.credentials = v === '' ? undefined : String(v) }, 'string', (i) => i.credentials),
  memberRule('/passthroughBehavior', (i, v) => {
    if (!['WHEN_NO_MATCH', 'WHEN_NO_TEMPLATES', 'NEVER'].includes(String(v))) {
      throw apiGatewayErrors.badRequest(`Invalid passthrough behavior specified: ${String(v)}`)
    }
    i.passthroughBehavior = String(v)
  }, 'string', (i) => i.passthroughBehavior),
  memberRule('/contentHandling', (i, v) => { i.contentHandling = v === '' ? undefined : String(v) as T.ContentHandlingStrategy }),
  memberRule('/timeoutInMillis', (i, v) => {
    if (!Number.isInteger(v) || (v as number) < 50 || (v as number) > 29_000) {
      throw apiGatewayErrors.badRequest('Timeout should be between 50 ms and 29000 ms')
    }
    i.timeoutInMillis = v as number
  }, 'number', (i) => i.timeoutInMillis),
  memberRule('/cacheNamespace', (i, v) => { i.cacheNamespace = String(v) }, 'string', (i) => i.cacheNamespace),
  memberRule('/connectionType', (i, v) => { i.connectionType = String(v) as T.ConnectionType }),
  memberRule('/connectionId', (i, v) => { i.connectionId = String(v) }),
  memberRule('/tlsConfig/insecureSkipVerification', (i, v) => { i.tlsConfig = { insecureSkipVerification: v as boolean } }, 'boolean'),
  mapRule('/requestParameters', (i) => i.requestParameters, (i, v) => { i.requestParameters = v }),
  mapRule('/requestTemplates', (i) => i.requestTemplates, (i, v) => { i.requestTemplates = v }),
  { path: '/cacheKeyParameters/*', ops: ['add', 'remove'],
    set: (i, _v, key) => { i.cacheKeyParameters = [...new Set([...(i.cacheKeyParameters ?? []), key])] },
    remove: (i, key) => { i.cacheKeyParameters = (i.cacheKeyParameters ?? []).filter((k) => k !== key) } },
]

const integrationResponseRules: PatchRule<T.IntegrationResponse>[] = [
  memberRule('/selectionPattern', (r, v) => { r.selectionPattern = v === '' ? undefined : String(v) }, 'string', (r) => r.selectionPattern),
  memberRule('/contentHandling', (r, v) => { r.contentHandling = v === '' ? undefined : String(v) as T.ContentHandlingStrategy }),
  mapRule('/responseParameters', (r) => r.responseParameters, (r, v) => { r.responseParameters = v }),
  mapRule('/responseTemplates', (r) => r.responseTemplates, (r, v) => { r.responseTemplates = v }),
]

export function updateOperations(state: ApiGatewayState) {
  /** Patches a copy of the API with `change` and stores it only when every patch applied. */
  const patched = <R>(restApiId: string, ctx: OperationContext, change: (api: ApiData) => R): R => {
    const copy = structuredClone(state.api(ctx.caller.account, ctx.caller.region, restApiId))
    const result = change(copy)
    state.apis.set(copy.id, copy)
    state.save(copy)
    return result
  }
  const integrationOf = (method: MethodData): IntegrationData => {
    if (method.integration === undefined) throw apiGatewayErrors.integrationNotFound()
    return method.integration
  }

  const updateRestApi: Op<T.UpdateRestApiRequest, T.RestApi> = (input, ctx) => patched(input.restApiId, ctx, (api) => {
    applyPatches(api, input.patchOperations, restApiRules)
    return restApiView(api)
  })

  const updateResource: Op<T.UpdateResourceRequest, T.Resource> = (input, ctx) => patched(input.restApiId, ctx, (api) => {
    const resource = state.resource(api, input.resourceId)
    if (resource.id === api.rootResourceId && (input.patchOperations ?? []).length > 0) {
      throw apiGatewayErrors.badRequest('Cannot modify the root resource')
    }
    applyPatches(resource, input.patchOperations, [
      memberRule('/pathPart', (r, v) => {
        if (!pathPartPattern.test(String(v))) throw apiGatewayErrors.invalidPathPart()
        r.pathPart = String(v)
      }, 'string', (r) => r.pathPart),
      memberRule('/parentId', (r, v) => {
        // A resource can't move under itself or its own subtree.
        for (let p: ResourceData | undefined = state.resource(api, String(v)); p !== undefined; p = p.parentId === undefined ? undefined : api.resources[p.parentId]) {
          if (p.id === r.id) throw apiGatewayErrors.badRequest('Resource cannot be its own ancestor')
        }
        r.parentId = String(v)
      }, 'string', (r) => r.parentId),
    ])
    const parent = api.resources[resource.parentId!]!
    const sibling = Object.values(api.resources).find((r) => r.id !== resource.id && r.parentId === parent.id && r.pathPart === resource.pathPart)
    if (sibling !== undefined) throw apiGatewayErrors.resourceExists(resource.pathPart!)
    repath(api, resource)
    return resourceView(resource, false)
  })

  const updateMethod: Op<T.UpdateMethodRequest, T.Method> = (input, ctx) => patched(input.restApiId, ctx, (api) => {
    const method = state.method(api, input.resourceId, input.httpMethod)
    applyPatches(method, input.patchOperations, methodRules(api))
    return methodView(method)
  })

  const updateMethodResponse: Op<T.UpdateMethodResponseRequest, T.MethodResponse> = (input, ctx) => patched(input.restApiId, ctx, (api) => {
    const response = state.method(api, input.resourceId, input.httpMethod).methodResponses[input.statusCode]
    if (response === undefined) throw apiGatewayErrors.responseNotFound()
    applyPatches(response, input.patchOperations, methodResponseRules)
    return response
  })

  const updateIntegration: Op<T.UpdateIntegrationRequest, T.Integration> = (input, ctx) => patched(input.restApiId, ctx, (api) => {
    const integration = integrationOf(state.method(api, input.resourceId, input.httpMethod))
    applyPatches(integration, input.patchOperations, integrationRules)
    return integrationView(integration)
  })

  const updateIntegrationResponse: Op<T.UpdateIntegrationResponseRequest, T.IntegrationResponse> = (input, ctx) =>
    patched(input.restApiId, ctx, (api) => {
      const response = integrationOf(state.method(api, input.resourceId, input.httpMethod)).integrationResponses[input.statusCode]
      if (response === undefined) throw apiGatewayErrors.responseNotFound()
      applyPatches(response, input.patchOperations, integrationResponseRules)
      return response
    })

  const updateDeployment: Op<T.UpdateDeploymentRequest, T.Deployment> = (input, ctx) => patched(input.restApiId, ctx, (api) => {
    const deployment = api.deployments[input.deploymentId]
    if (deployment === undefined) throw apiGatewayErrors.deploymentNotFound()
    applyPatches(deployment, input.patchOperations, [memberRule('/description', (d, v) => { d.description = String(v) }, 'string', (d) => d.description)])
    return { id: deployment.id, description: deployment.description, createdDate: new Date(deployment.createdDate) }
  })

  return {
    UpdateRestApi: updateRestApi, UpdateResource: updateResource, UpdateMethod: updateMethod, UpdateMethodResponse: updateMethodResponse,
    UpdateIntegration: updateIntegration, UpdateIntegrationResponse: updateIntegrationResponse, UpdateDeployment: updateDeployment,
  }
}

/** The moved or renamed resource's path and its subtree's, from its parent's. */
function repath(api: ApiData, resource: ResourceData): void {
  const parent = api.resources[resource.parentId!]!
  resource.path = `${parent.path === '/' ? '' : parent.path}/${resource.pathPart!}`
  for (const child of Object.values(api.resources)) if (child.parentId === resource.id) repath(api, child)
}
