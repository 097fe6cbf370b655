// Resources: the path tree (`/pets/{petId}`, greedy `{proxy+}`), created under a parent, listed, deleted.
import type { OperationContext } from '../../service.ts'
import { apiGatewayErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { newId } from '../ids.ts'
import type { ApiData, ApiGatewayState, ResourceData } from '../store.ts'
import { page, resourceView } from './views.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

/** A literal (a-zA-Z0-9._-), `{name}` or `{name+}` [R: AWS's rule as its message words it]. */
export const pathPartPattern = /^(?:[a-zA-Z0-9._:-]+|\{[a-zA-Z0-9._-]+\+?\})$/

const isVariable = (part: string | undefined): boolean => part !== undefined && part.startsWith('{')

export function resourceOperations(state: ApiGatewayState) {
  const api = (id: string, ctx: OperationContext) => state.api(ctx.caller.account, ctx.caller.region, id)

  const createResource: Op<T.CreateResourceRequest, T.Resource> = (input, ctx) => {
    const rest = api(input.restApiId, ctx)
    const parent = state.resource(rest, input.parentId)
    const part = input.pathPart
    if (!pathPartPattern.test(part)) throw apiGatewayErrors.invalidPathPart()
    if (parent.pathPart?.endsWith('+}') === true) throw apiGatewayErrors.greedyParent(parent.pathPart)
    const siblings = children(rest, parent.id)
    if (siblings.some((s) => s.pathPart === part)) throw apiGatewayErrors.resourceExists(part)
    const variable = isVariable(part) ? siblings.find((s) => isVariable(s.pathPart)) : undefined
    if (variable !== undefined) throw apiGatewayErrors.siblingVariable(variable.id)
    let id = newId(6)
    while (rest.resources[id] !== undefined) id = newId(6)
    const resource: ResourceData = { id, parentId: parent.id, pathPart: part, path: `${parent.path === '/' ? '' : parent.path}/${part}`, methods: {} }
    rest.resources[id] = resource
    state.save(rest)
    return resourceView(resource, false)
  }

  const getResource: Op<T.GetResourceRequest, T.Resource> = (input, ctx) =>
    resourceView(state.resource(api(input.restApiId, ctx), input.resourceId), input.embed?.includes('methods') === true)

  const getResources: Op<T.GetResourcesRequest, T.Resources> = (input, ctx) => {
    const all = Object.values(api(input.restApiId, ctx).resources).sort((a, b) => a.path.localeCompare(b.path))
    const { items, position } = page(all, input.position, input.limit)
    const embed = input.embed?.includes('methods') === true
    return { items: items.map((r) => resourceView(r, embed)), position }
  }

  const deleteResource: Op<T.DeleteResourceRequest, void> = (input, ctx) => {
    const rest = api(input.restApiId, ctx)
    const resource = state.resource(rest, input.resourceId)
    if (resource.id === rest.rootResourceId) throw apiGatewayErrors.rootDelete()
    // The subtree goes with it.
    const doomed = [resource.id]
    for (let i = 0; i < doomed.length; i++) doomed.push(...children(rest, doomed[i]!).map((c) => c.id))
    for (const id of doomed) delete rest.resources[id]
    state.save(rest)
  }

  return { CreateResource: createResource, GetResource: getResource, GetResources: getResources, DeleteResource: deleteResource }
}

function children(api: ApiData, parentId: string): ResourceData[] {
  return Object.values(api.resources).filter((r) => r.parentId === parentId)
}
