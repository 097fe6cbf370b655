// Under `--enforce-iam`, a WebSocket API's Lambda integrations and authorizers need the function's resource
// policy to let `apigateway.amazonaws.com` invoke it — from the route's ARN
// (`arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{routeKey}`, as `aws lambda add-permission
// --source-arn …/*/$connect` grants it) or the authorizer's (`…:{apiId}/authorizers/{id}`) — unless the
// integration or authorizer names a `CredentialsArn` role, as REST and HTTP APIs check theirs
// (api-gateway-lambda-permission.ts). AWS then fails the integration: `$connect` answers 500 and the
// connection is refused, a message gets the "Internal server error" frame. Off by default (README).
import { apiGatewayMayInvoke, invalidLambdaPermissions } from '../../api-gateway-lambda-permission.ts'
import type { LambdaPort } from '../../lambda/port.ts'
import type { HttpApiState } from '../store.ts'

export interface WebSocketPermissionDeps {
  state: HttpApiState
  lambda: LambdaPort
  enforceIam?: boolean
}

/** Undefined when the route's integration may invoke the function; else why not (for Nimbus's log). */
export function integrationRefused(deps: WebSocketPermissionDeps, event: Record<string, unknown>, functionArn: string,
  credentialsArn: string | undefined): string | undefined {
  if (deps.enforceIam !== true || (credentialsArn ?? '') !== '') return undefined
  const context = (event['requestContext'] ?? {}) as { apiId?: string; stage?: string; routeKey?: string }
  const api = deps.state.apis.get(context.apiId ?? '')
  if (api === undefined) return undefined
  const sourceArn = `arn:aws:execute-api:${api.region}:${api.account}:${api.id}/${context.stage ?? ''}/${context.routeKey ?? ''}`
  if (apiGatewayMayInvoke(deps.lambda, functionArn, sourceArn, api.account)) return undefined
  return `${invalidLambdaPermissions} (${functionArn}'s resource policy doesn't let apigateway.amazonaws.com invoke it from ${sourceArn}; --enforce-iam)`
}

/** Undefined when the authorizer's function may be invoked (source ARN `…:{apiId}/authorizers/{id}`); else why not. */
export function authorizerRefused(deps: WebSocketPermissionDeps, api: { id: string; region: string; account: string }, authorizerId: string,
  functionArn: string, credentialsArn: string | undefined): string | undefined {
  if (deps.enforceIam !== true || (credentialsArn ?? '') !== '') return undefined
  const sourceArn = `arn:aws:execute-api:${api.region}:${api.account}:${api.id}/authorizers/${authorizerId}`
  if (apiGatewayMayInvoke(deps.lambda, functionArn, sourceArn, api.account)) return undefined
  return `${invalidLambdaPermissions} (authorizer ${authorizerId}'s function ${functionArn} doesn't let apigateway.amazonaws.com invoke it; --enforce-iam)`
}
