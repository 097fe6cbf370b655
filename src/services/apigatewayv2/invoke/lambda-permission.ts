// Under `--enforce-iam`, an HTTP API's Lambda proxy integrations and Lambda authorizers need the
// function's resource policy to let `apigateway.amazonaws.com` invoke it from the route's (or the
// authorizer's) ARN — unless they name a `CredentialsArn` role — as on AWS, which otherwise answers
// 500 and logs "Invalid permissions on Lambda function". Off by default (README).
import type { LambdaPort } from '../../lambda/port.ts'
import { apiGatewayMayInvoke } from '../../api-gateway-lambda-permission.ts'
import type { RequestFacts } from './event.ts'

interface PermissionDeps {
  lambda: LambdaPort
  log: (line: string) => void
  enforceIam?: boolean
}

/** The ARNs a permission's SourceArn may name for the request: by its own path, and by the route key's (`/pets/{id}`, `$default`). */
function routeArns(facts: Pick<RequestFacts, 'api' | 'stage' | 'target' | 'selected' | 'request'>): string[] {
  const { api, stage, request } = facts
  const base = `arn:aws:execute-api:${api.region}:${api.account}:${api.id}/${stage.name}`
  const raw = facts.target.path.split('?')[0]!
  const prefix = `/${stage.name}`
  const path = stage.name !== '$default' && (raw === prefix || raw.startsWith(`${prefix}/`)) ? raw.slice(prefix.length) || '/' : raw
  const key = facts.selected.route.routeKey
  const space = key.indexOf(' ')
  const byRoute = space === -1 ? `${base}/${key}` : `${base}/${request.method}${key.slice(space + 1)}`
  return [`${base}/${request.method}${path}`, byRoute]
}

/** True when the route's Lambda integration may be invoked. */
export function integrationPermitted(deps: PermissionDeps, facts: Pick<RequestFacts, 'api' | 'stage' | 'target' | 'selected' | 'request'>,
  functionArn: string, credentialsArn: string | undefined): boolean {
  if (deps.enforceIam !== true || (credentialsArn ?? '') !== '') return true
  if (routeArns(facts).some((arn) => apiGatewayMayInvoke(deps.lambda, functionArn, arn, facts.api.account))) return true
  deps.log(`[nimbus] apigatewayv2 ${facts.api.id}: ${functionArn}'s resource policy doesn't let apigateway.amazonaws.com invoke it (--enforce-iam; aws lambda add-permission); answering 500`)
  return false
}

/** True when a Lambda authorizer's function may be invoked (source ARN `…:{apiId}/authorizers/{id}`). */
export function authorizerPermitted(deps: PermissionDeps, facts: Pick<RequestFacts, 'api'>, authorizerId: string, functionArn: string,
  credentialsArn: string | undefined): boolean {
  if (deps.enforceIam !== true || (credentialsArn ?? '') !== '') return true
  const { api } = facts
  if (apiGatewayMayInvoke(deps.lambda, functionArn, `arn:aws:execute-api:${api.region}:${api.account}:${api.id}/authorizers/${authorizerId}`, api.account)) return true
  deps.log(`[nimbus] apigatewayv2 ${api.id}: authorizer ${authorizerId}'s function ${functionArn} doesn't let apigateway.amazonaws.com invoke it (--enforce-iam); answering 500`)
  return false
}
