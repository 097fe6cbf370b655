// Lambda authorizers (TOKEN and REQUEST) of a REST API: Create/Get/Update/Delete/GetAuthorizers.
// COGNITO_USER_POOLS authorizers are stored as given but not enforced (README Gaps).
import type { OperationContext } from '../../service.ts'
import { apiGatewayErrors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { newId } from '../ids.ts'
import type { ApiData, ApiGatewayState } from '../store.ts'
import { page } from './views.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

const types = new Set(['TOKEN', 'REQUEST', 'COGNITO_USER_POOLS'])

/** AWS's default result TTL (300 s) and its bound (3,600 s). */
const defaultTtl = 300
const maxTtl = 3600

export function authorizersOf(api: ApiData): Record<string, T.Authorizer> {
  return (api.authorizers ??= {})
}

export function validateAuthorizer(authorizer: T.Authorizer): void {
  if (!types.has(authorizer.type ?? '')) throw apiGatewayErrors.badRequest(`Invalid authorizer type: ${authorizer.type ?? 'null'}`)
  if (authorizer.type !== 'COGNITO_USER_POOLS' && (authorizer.authorizerUri ?? '') === '') {
    throw apiGatewayErrors.badRequest('Authorizer URI is required for authorizer of type ' + authorizer.type)
  }
  if (authorizer.type === 'COGNITO_USER_POOLS' && (authorizer.providerARNs ?? []).length === 0) {
    throw apiGatewayErrors.badRequest('ProviderARNs are required for authorizer of type COGNITO_USER_POOLS')
  }
  const ttl = authorizer.authorizerResultTtlInSeconds ?? 0
  if (!Number.isInteger(ttl) || ttl < 0 || ttl > maxTtl) {
    throw apiGatewayErrors.badRequest(`Invalid authorizer cache TTL specified. TTL must be between 0 and ${maxTtl} seconds`)
  }
  // A REQUEST authorizer with caching needs an identity source to key its cache on.
  if (authorizer.type !== 'REQUEST' && (authorizer.identitySource ?? '') === '') {
    throw apiGatewayErrors.badRequest('Identity source is required for authorizer of type ' + authorizer.type)
  }
  if (authorizer.type === 'REQUEST' && ttl > 0 && (authorizer.identitySource ?? '') === '') {
    throw apiGatewayErrors.badRequest('Identity source is required when authorizer caching is enabled')
  }
}

/** PATCH paths UpdateAuthorizer accepts, as the members they replace. */
const patchable: Record<string, keyof T.Authorizer> = {
  '/name': 'name', '/type': 'type', '/authType': 'authType', '/authorizerUri': 'authorizerUri',
  '/authorizerCredentials': 'authorizerCredentials', '/identitySource': 'identitySource',
  '/identityValidationExpression': 'identityValidationExpression', '/authorizerResultTtlInSeconds': 'authorizerResultTtlInSeconds',
}

export function authorizerOperations(state: ApiGatewayState) {
  const api = (id: string, ctx: OperationContext) => state.api(ctx.caller.account, ctx.caller.region, id)
  const find = (rest: ApiData, id: string): T.Authorizer => {
    const authorizer = authorizersOf(rest)[id]
    if (authorizer === undefined) throw apiGatewayErrors.authorizerNotFound()
    return authorizer
  }

  const createAuthorizer: Op<T.CreateAuthorizerRequest, T.Authorizer> = (input, ctx) => {
    const rest = api(input.restApiId, ctx)
    const all = authorizersOf(rest)
    let id = newId(6)
    while (all[id] !== undefined) id = newId(6)
    const authorizer: T.Authorizer = {
      id, name: input.name, type: input.type, providerARNs: input.providerARNs, authType: input.authType ?? 'custom',
      authorizerUri: input.authorizerUri, authorizerCredentials: input.authorizerCredentials, identitySource: input.identitySource,
      identityValidationExpression: input.identityValidationExpression,
      authorizerResultTtlInSeconds: input.authorizerResultTtlInSeconds ?? defaultTtl,
    }
    validateAuthorizer(authorizer)
    all[id] = authorizer
    state.save(rest)
    return authorizer
  }

  const getAuthorizer: Op<T.GetAuthorizerRequest, T.Authorizer> = (input, ctx) => find(api(input.restApiId, ctx), input.authorizerId)

  const getAuthorizers: Op<T.GetAuthorizersRequest, T.Authorizers> = (input, ctx) => {
    const { items, position } = page(Object.values(authorizersOf(api(input.restApiId, ctx))), input.position, input.limit)
    return { items, position }
  }

  const updateAuthorizer: Op<T.UpdateAuthorizerRequest, T.Authorizer> = (input, ctx) => {
    const rest = api(input.restApiId, ctx)
    const updated: T.Authorizer = { ...find(rest, input.authorizerId) }
    for (const patch of input.patchOperations ?? []) {
      const member = patchable[patch.path ?? '']
      if (patch.op !== 'replace' || member === undefined) {
        throw apiGatewayErrors.badRequest(`Invalid patch path ${patch.path ?? 'null'}`)
      }
      const record = updated as Record<string, unknown>
      record[member] = member === 'authorizerResultTtlInSeconds' ? Number(patch.value) : patch.value
    }
    validateAuthorizer(updated)
    authorizersOf(rest)[input.authorizerId] = updated
    state.authorizerCache.clear()
    state.save(rest)
    return updated
  }

  const deleteAuthorizer: Op<T.DeleteAuthorizerRequest, void> = (input, ctx) => {
    const rest = api(input.restApiId, ctx)
    find(rest, input.authorizerId)
    const inUse = Object.values(rest.resources).some((r) => Object.values(r.methods).some((m) => m.authorizerId === input.authorizerId))
    if (inUse) throw apiGatewayErrors.conflict('Cannot delete authorizer, is referenced in method: ' + usedBy(rest, input.authorizerId))
    delete authorizersOf(rest)[input.authorizerId]
    state.save(rest)
  }

  return {
    CreateAuthorizer: createAuthorizer, GetAuthorizer: getAuthorizer, GetAuthorizers: getAuthorizers,
    UpdateAuthorizer: updateAuthorizer, DeleteAuthorizer: deleteAuthorizer,
  }
}

/** `GET /pets`, as AWS names the method still using the authorizer [R]. */
function usedBy(rest: ApiData, authorizerId: string): string {
  for (const r of Object.values(rest.resources)) {
    for (const m of Object.values(r.methods)) if (m.authorizerId === authorizerId) return `${m.httpMethod} ${r.path}`
  }
  return ''
}
