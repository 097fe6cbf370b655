// WebSocket APIs' authorization, control plane: Lambda REQUEST authorizers with `route.request.*`
// identity sources, and routes' AuthorizationType — CUSTOM or AWS_IAM, on `$connect` only, as AWS
// allows (a Lambda authorizer "can only be used for the $connect route").
import type { AuthorizerData, HttpApiData } from '../data.ts'
import { apiGatewayV2Errors } from '../errors.ts'
import type * as T from '../generated/types.ts'
import { newId, type HttpApiState } from '../store.ts'

/** `route.request.header.X`, `route.request.querystring.X`, `stageVariables.X`, `context.X` (AWS's CDK patterns). */
export const webSocketIdentitySource = /^(route\.request\.header|route\.request\.querystring|stageVariables|context)\.([\w.-]+)$/

/** A WebSocket API's authorizer: REQUEST only, a Lambda URI, identity sources of the upgrade request [R: the messages]. */
export function buildWebSocketAuthorizer(input: T.CreateAuthorizerRequest, id: string): AuthorizerData {
  if (input.AuthorizerType !== 'REQUEST') throw apiGatewayV2Errors.badRequest(`Invalid authorizer type ${String(input.AuthorizerType)}: WebSocket APIs support REQUEST authorizers only`)
  if (input.AuthorizerUri === undefined || input.AuthorizerUri === '') throw apiGatewayV2Errors.badRequest('AuthorizerUri is required for REQUEST authorizers')
  // Payload versions and simple responses are HTTP APIs' (AWS: "Supported only for HTTP API Lambda authorizers").
  if (input.EnableSimpleResponses === true) throw apiGatewayV2Errors.badRequest('EnableSimpleResponses is supported only for HTTP APIs')
  const sources = input.IdentitySource ?? []
  for (const source of sources) {
    if (!webSocketIdentitySource.test(source)) throw apiGatewayV2Errors.badRequest(`Invalid identity source specified: ${source}`)
  }
  const ttl = input.AuthorizerResultTtlInSeconds ?? 0
  if (!Number.isInteger(ttl) || ttl < 0 || ttl > 3600) throw apiGatewayV2Errors.badRequest('AuthorizerResultTtlInSeconds must be between 0 and 3600')
  if (ttl > 0 && sources.length === 0) throw apiGatewayV2Errors.badRequest('IdentitySource is required when authorizer caching is enabled')
  return { id, name: input.Name, type: 'REQUEST', identitySource: sources, authorizerUri: input.AuthorizerUri, resultTtlInSeconds: ttl }
}

/** CreateAuthorizer on a WebSocket API. */
export function addWebSocketAuthorizer(state: HttpApiState, api: HttpApiData, input: T.CreateAuthorizerRequest): AuthorizerData {
  const all = (api.authorizers ??= {})
  let id = newId(6)
  while (all[id] !== undefined) id = newId(6)
  const authorizer = buildWebSocketAuthorizer(input, id)
  all[id] = authorizer
  state.changed(api)
  return authorizer
}

/** CreateRoute/UpdateRoute on a WebSocket API: NONE anywhere; CUSTOM and AWS_IAM on `$connect` only [R: the messages]. */
export function checkWebSocketRouteAuth(input: T.CreateRouteRequest): void {
  const type = input.AuthorizationType ?? 'NONE'
  if (type === 'NONE') return
  if (type !== 'CUSTOM' && type !== 'AWS_IAM') throw apiGatewayV2Errors.badRequest(`Invalid authorization type ${String(type)}: WebSocket APIs support NONE, AWS_IAM and CUSTOM`)
  if (input.RouteKey !== '$connect') throw apiGatewayV2Errors.badRequest('Currently, authorization is restricted to the $connect route only')
}
