// RestApis (create, get, list, delete); their tags are operations/tags.ts'.
import type { OperationContext } from '../../service.ts'
import { apiGatewayErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { newId } from '../ids.ts'
import type { ApiData, ApiGatewayState } from '../store.ts'
import { page, restApiView } from './views.ts'
import { savedPolicy } from '../resource-policy/expand.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

export function apiOperations(state: ApiGatewayState) {
  const createRestApi: Op<T.CreateRestApiRequest, T.RestApi> = (input, ctx) => {
    if (input.name.trim() === '') throw apiGatewayErrors.badRequest('Invalid REST API name specified')
    let id = newId(10)
    while (state.apis.has(id)) id = newId(10)
    const rootResourceId = newId(10)
    const policy = savedPolicy(input.policy, ctx.caller.region, ctx.caller.account, id)
    const api: ApiData = {
      account: ctx.caller.account, region: ctx.caller.region, id, name: input.name, description: input.description,
      version: input.version, createdDate: state.clock.now(), binaryMediaTypes: input.binaryMediaTypes ?? [],
      minimumCompressionSize: input.minimumCompressionSize, apiKeySource: input.apiKeySource ?? 'HEADER',
      endpointConfiguration: input.endpointConfiguration ?? { types: ['EDGE'] }, policy,
      disableExecuteApiEndpoint: input.disableExecuteApiEndpoint ?? false, tags: input.tags ?? {}, rootResourceId,
      resources: { [rootResourceId]: { id: rootResourceId, path: '/', methods: {} } }, deployments: {}, stages: {},
    }
    state.apis.set(id, api)
    state.save(api)
    return restApiView(api)
  }

  const getRestApi: Op<T.GetRestApiRequest, T.RestApi> = (input, ctx) =>
    restApiView(state.api(ctx.caller.account, ctx.caller.region, input.restApiId))

  const getRestApis: Op<T.GetRestApisRequest, T.RestApis> = (input, ctx) => {
    const all = state.listApis(ctx.caller.account, ctx.caller.region).sort((a, b) => a.createdDate - b.createdDate)
    const { items, position } = page(all, input.position, input.limit)
    return { items: items.map(restApiView), position }
  }

  const deleteRestApi: Op<T.DeleteRestApiRequest, void> = (input, ctx) => {
    state.remove(state.api(ctx.caller.account, ctx.caller.region, input.restApiId))
  }

  return {
    CreateRestApi: createRestApi, GetRestApi: getRestApi, GetRestApis: getRestApis, DeleteRestApi: deleteRestApi,
  }
}
