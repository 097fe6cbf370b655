// HTTP APIs' JWT authorizers: CreateAuthorizer, GetAuthorizer, GetAuthorizers, DeleteAuthorizer.
// Lambda (REQUEST) authorizers are a Gap and answer 501.
import type { OperationContext } from '../../service.ts'
import type { AuthorizerData } from '../data.ts'
import { apiGatewayV2Errors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { newId, type HttpApiState } from '../store.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

function authorizerView(a: AuthorizerData): T.Authorizer {
  return { AuthorizerId: a.id, Name: a.name, AuthorizerType: a.type as T.AuthorizerType, IdentitySource: a.identitySource,
    JwtConfiguration: { Issuer: a.issuer, Audience: a.audience } }
}

export function authorizerOperations(state: HttpApiState) {
  const own = (ctx: OperationContext, id: string) => state.api(ctx.caller.account, ctx.caller.region, id)
  const find = (ctx: OperationContext, apiId: string, id: string): AuthorizerData => {
    const authorizer = own(ctx, apiId).authorizers?.[id]
    if (authorizer === undefined) throw apiGatewayV2Errors.authorizerNotFound(id)
    return authorizer
  }

  const createAuthorizer: Op<T.CreateAuthorizerRequest, T.CreateAuthorizerResponse> = (input, ctx) => {
    const api = own(ctx, input.ApiId)
    if (input.AuthorizerType !== 'JWT') throw apiGatewayV2Errors.notImplemented(`${input.AuthorizerType} authorizers`)
    const issuer = input.JwtConfiguration?.Issuer
    const audience = input.JwtConfiguration?.Audience ?? []
    // [R] AWS's wording for a JWT authorizer without its configuration.
    if (issuer === undefined || issuer === '' || audience.length === 0) {
      throw apiGatewayV2Errors.badRequest('JWT authorizers require an issuer and at least one audience in JwtConfiguration')
    }
    if (input.IdentitySource.length !== 1 || !/^\$(request\.header|request\.querystring|context|stageVariables)\.[^.]+$/.test(input.IdentitySource[0]!)) {
      throw apiGatewayV2Errors.badRequest('JWT authorizers require exactly one identity source, e.g. $request.header.Authorization')
    }
    const all = (api.authorizers ??= {})
    let id = newId(6)
    while (all[id] !== undefined) id = newId(6)
    const authorizer: AuthorizerData = { id, name: input.Name, type: 'JWT', identitySource: input.IdentitySource, issuer, audience }
    all[id] = authorizer
    state.changed(api)
    return authorizerView(authorizer)
  }

  const getAuthorizer: Op<T.GetAuthorizerRequest, T.GetAuthorizerResponse> = (input, ctx) => authorizerView(find(ctx, input.ApiId, input.AuthorizerId))

  const getAuthorizers: Op<T.GetAuthorizersRequest, T.GetAuthorizersResponse> = (input, ctx) => ({
    Items: Object.values(own(ctx, input.ApiId).authorizers ?? {}).map(authorizerView),
  })

  const deleteAuthorizer: Op<T.DeleteAuthorizerRequest, void> = (input, ctx) => {
    const api = own(ctx, input.ApiId)
    find(ctx, input.ApiId, input.AuthorizerId)
    // [R] AWS refuses while a route uses it.
    if (Object.values(api.routes).some((r) => r.authorizerId === input.AuthorizerId)) {
      throw apiGatewayV2Errors.conflict(`Cannot delete authorizer ${input.AuthorizerId}: it is used by one or more routes`)
    }
    delete api.authorizers![input.AuthorizerId]
    state.changed(api)
  }

  return { CreateAuthorizer: createAuthorizer, GetAuthorizer: getAuthorizer, GetAuthorizers: getAuthorizers, DeleteAuthorizer: deleteAuthorizer }
}
