// HTTP APIs' authorizers — JWT, and Lambda (REQUEST) answering simple responses (payload 2.0) or IAM
// policies (payload 1.0, or 2.0 without EnableSimpleResponses): CreateAuthorizer, GetAuthorizer, GetAuthorizers, DeleteAuthorizer, ResetAuthorizersCache.
import type { OperationContext } from '../../service.ts'
import type { AuthorizerData } from '../data.ts'
import { apiGatewayV2Errors } from '../errors.ts'
import { page } from './pages.ts'
import type * as T from '../generated/types.ts'
import { newId, type HttpApiState } from '../store.ts'
import { resetAuthorizersCache } from '../authorizer-cache.ts'
import { addWebSocketAuthorizer } from '../websocket/authorizers.ts'

type Op<I, O> = (input: I, ctx: OperationContext) => O

export function authorizerView(a: AuthorizerData): T.Authorizer {
  if (a.type === 'REQUEST') {
    return { AuthorizerId: a.id, Name: a.name, AuthorizerType: 'REQUEST', IdentitySource: a.identitySource, AuthorizerUri: a.authorizerUri,
      AuthorizerPayloadFormatVersion: a.payloadFormatVersion, EnableSimpleResponses: a.enableSimpleResponses,
      AuthorizerResultTtlInSeconds: a.resultTtlInSeconds, AuthorizerCredentialsArn: a.credentialsArn }
  }
  return { AuthorizerId: a.id, Name: a.name, AuthorizerType: a.type as T.AuthorizerType, IdentitySource: a.identitySource,
    JwtConfiguration: { Issuer: a.issuer, Audience: a.audience } }
}

/** A Lambda authorizer: its function URI, payload 1.0 or 2.0 (simple responses with 2.0 only), a TTL of 0–3,600 s. */
function lambdaAuthorizer(input: T.CreateAuthorizerRequest, id: string): AuthorizerData {
  if (input.AuthorizerUri === undefined || input.AuthorizerUri === '') throw apiGatewayV2Errors.badRequest('AuthorizerUri is required for REQUEST authorizers')
  const version = input.AuthorizerPayloadFormatVersion
  if (version !== '1.0' && version !== '2.0') throw apiGatewayV2Errors.badRequest('AuthorizerPayloadFormatVersion must be 1.0 or 2.0 for REQUEST authorizers')
  if (input.EnableSimpleResponses === true && version !== '2.0') throw apiGatewayV2Errors.badRequest('Simple responses are only supported for payload format version 2.0')
  const ttl = input.AuthorizerResultTtlInSeconds ?? 0
  if (!Number.isInteger(ttl) || ttl < 0 || ttl > 3600) throw apiGatewayV2Errors.badRequest('AuthorizerResultTtlInSeconds must be between 0 and 3600')
  if (ttl > 0 && input.IdentitySource.length === 0) throw apiGatewayV2Errors.badRequest('IdentitySource is required when authorizer caching is enabled')
  return {
    id, name: input.Name, type: 'REQUEST', identitySource: input.IdentitySource, authorizerUri: input.AuthorizerUri,
    payloadFormatVersion: version, enableSimpleResponses: input.EnableSimpleResponses === true, resultTtlInSeconds: ttl,
    ...(input.AuthorizerCredentialsArn !== undefined && { credentialsArn: input.AuthorizerCredentialsArn }),
  }
}

/** A JWT or Lambda (REQUEST) authorizer checked as CreateAuthorizer checks it (UpdateAuthorizer checks the merged one too). */
export function buildAuthorizer(input: T.CreateAuthorizerRequest, id: string): AuthorizerData {
  if (input.Name === undefined || input.Name.trim() === '') throw apiGatewayV2Errors.badRequest('Invalid authorizer name specified')
  if (input.AuthorizerType === 'REQUEST') return lambdaAuthorizer(input, id)
  if (input.AuthorizerType !== 'JWT') throw apiGatewayV2Errors.badRequest(`Invalid authorizer type ${String(input.AuthorizerType)}`)
  const issuer = input.JwtConfiguration?.Issuer
  const audience = input.JwtConfiguration?.Audience ?? []
  // [R] AWS's wording for a JWT authorizer without its configuration.
  if (issuer === undefined || issuer === '' || audience.length === 0) {
    throw apiGatewayV2Errors.badRequest('JWT authorizers require an issuer and at least one audience in JwtConfiguration')
  }
  if (input.IdentitySource.length !== 1 || !/^\$(request\.header|request\.querystring|context|stageVariables)\.[^.]+$/.test(input.IdentitySource[0]!)) {
    throw apiGatewayV2Errors.badRequest('JWT authorizers require exactly one identity source, e.g. $request.header.Authorization')
  }
  return { id, name: input.Name, type: 'JWT', identitySource: input.IdentitySource, issuer, audience }
}

/** The stored authorizer as CreateAuthorizer's input (UpdateAuthorizer merges the members it is given over it). */
export function authorizerInput(a: AuthorizerData, apiId: string): T.CreateAuthorizerRequest {
  return {
    ApiId: apiId, Name: a.name, AuthorizerType: a.type as T.AuthorizerType, IdentitySource: a.identitySource,
    ...(a.type === 'JWT' ? { JwtConfiguration: { Issuer: a.issuer, Audience: a.audience } } : {
      AuthorizerUri: a.authorizerUri, AuthorizerPayloadFormatVersion: a.payloadFormatVersion, EnableSimpleResponses: a.enableSimpleResponses,
      AuthorizerResultTtlInSeconds: a.resultTtlInSeconds, AuthorizerCredentialsArn: a.credentialsArn,
    }),
  }
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
    if (api.protocolType === 'WEBSOCKET') return authorizerView(addWebSocketAuthorizer(state, api, input))
    const all = api.authorizers ?? {}
    let id = newId(6)
    while (all[id] !== undefined) id = newId(6)
    const authorizer = buildAuthorizer(input, id)
    api.authorizers = { ...all, [id]: authorizer }
    state.changed(api)
    return authorizerView(authorizer)
  }

  const getAuthorizer: Op<T.GetAuthorizerRequest, T.GetAuthorizerResponse> = (input, ctx) => authorizerView(find(ctx, input.ApiId, input.AuthorizerId))

  const getAuthorizers: Op<T.GetAuthorizersRequest, T.GetAuthorizersResponse> = (input, ctx) =>
    page(Object.values(own(ctx, input.ApiId).authorizers ?? {}).map(authorizerView), input)

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

  const resetCache: Op<T.ResetAuthorizersCacheRequest, void> = (input, ctx) => {
    const api = own(ctx, input.ApiId)
    state.stage(api, input.StageName)
    resetAuthorizersCache(state, api.id, input.StageName)
  }

  return {
    CreateAuthorizer: createAuthorizer, GetAuthorizer: getAuthorizer, GetAuthorizers: getAuthorizers, DeleteAuthorizer: deleteAuthorizer,
    ResetAuthorizersCache: resetCache,
  }
}
