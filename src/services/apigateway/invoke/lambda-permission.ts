// Under `--enforce-iam`, a REST API's Lambda integrations (AWS_PROXY and AWS) and Lambda authorizers
// need the function's resource policy to let `apigateway.amazonaws.com` invoke it from the method's
// (or the authorizer's) ARN — unless they name a `credentials` role, as AWS then invokes with it.
// Refused: AWS's 500 (the integration's `{"message": "Internal server error"}`, the authorizer's
// configuration error) and its execution-log line "Execution failed due to configuration error:
// Invalid permissions on Lambda function".
import type { HttpResponse } from '../../../protocol/http.ts'
import type { LambdaPort } from '../../lambda/port.ts'
import { apiGatewayMayInvoke, invalidLambdaPermissions } from '../../api-gateway-lambda-permission.ts'
import { methodArn } from '../../api-gateway-authorizer-policy.ts'
import type * as T from '../generated/types.ts'
import type { IntegrationData } from '../store.ts'
import { gatewayResponses, type ResponseIds } from './gateway-responses.ts'
import { lambdaFunctionArn } from './lambda-uri.ts'
import type { InvokeContext } from './request-context.ts'

interface PermissionDeps {
  lambda: LambdaPort
  log: (line: string) => void
  enforceIam?: boolean
}

function refuse(deps: PermissionDeps, ctx: InvokeContext, functionArn: string): void {
  ;(ctx.notes ??= []).push(invalidLambdaPermissions)
  deps.log(`[nimbus] apigateway ${ctx.api.id}: ${functionArn}'s resource policy doesn't let apigateway.amazonaws.com invoke it (--enforce-iam; aws lambda add-permission); answering 500`)
}

/** Undefined when the integration may go on; else AWS's 500. Only Lambda integrations without `credentials` are checked. */
export function integrationPermissionRefusal(deps: PermissionDeps, ctx: InvokeContext, integration: IntegrationData, ids: ResponseIds): HttpResponse | undefined {
  if (deps.enforceIam !== true || (integration.credentials ?? '') !== '') return undefined
  const functionArn = lambdaFunctionArn(integration.uri ?? '', ctx.stage.variables)
  if (functionArn === undefined) return undefined
  const { api, stage, request } = ctx
  // The request's own path, or the resource's template (`/pets/{petId}`), as permissions name either.
  const byPath = methodArn(api.region, api.account, api.id, stage.stageName, request.method, ctx.target.path)
  const byResource = methodArn(api.region, api.account, api.id, stage.stageName, request.method, ctx.route.resource.path)
  if (apiGatewayMayInvoke(deps.lambda, functionArn, byPath, api.account) || apiGatewayMayInvoke(deps.lambda, functionArn, byResource, api.account)) return undefined
  refuse(deps, ctx, functionArn)
  return gatewayResponses.internal(ids)
}

/** The same for a Lambda authorizer, whose source ARN is `arn:aws:execute-api:{region}:{account}:{apiId}/authorizers/{id}`. */
export function authorizerPermissionRefusal(deps: PermissionDeps, ctx: InvokeContext, config: T.Authorizer, functionArn: string,
  ids: ResponseIds): HttpResponse | undefined {
  if (deps.enforceIam !== true || (config.authorizerCredentials ?? '') !== '') return undefined
  const sourceArn = `arn:aws:execute-api:${ctx.api.region}:${ctx.api.account}:${ctx.api.id}/authorizers/${config.id}`
  if (apiGatewayMayInvoke(deps.lambda, functionArn, sourceArn, ctx.api.account)) return undefined
  refuse(deps, ctx, functionArn)
  return gatewayResponses.authorizerConfiguration(ids)
}
