// What API Gateway knows about one request (`$context` in AWS's terms): the proxy event's
// requestContext and the MOCK templates' `$context.*` read it.
import type { HttpRequest } from '../../../protocol/http.ts'
import type { InvokeSignatureCheck } from '../../service.ts'
import type { ApiData, StageData } from '../store.ts'
import type { InvokeTarget } from './invoke-url.ts'
import type { Route } from './route.ts'
import { clfTime } from '../../api-gateway-logs.ts'
import type { PolicyRevision } from '../../../policy/decision-cache.ts'
import type { Decision } from '../../../policy/evaluate.ts'

/** What the deployed resource policy decided for the request's anonymous caller (resource-policy.ts), for the authorizer's step. */
export interface ResourcePolicyState {
  /** The deployed policy (its document undefined when it doesn't parse: every request denied). */
  revision: PolicyRevision
  anonymous: Decision
}

export { clfTime }

export interface InvokeContext {
  api: ApiData
  stage: StageData
  target: InvokeTarget
  route: Route
  request: HttpRequest
  requestId: string
  extendedRequestId: string
  now: number
  /** What a Lambda authorizer passed on (`principalId`, `integrationLatency`, its context): `requestContext.authorizer`. */
  authorizer?: Record<string, unknown>
  /** The API key a method requiring one was called with: `identity.apiKey` and `identity.apiKeyId`. */
  apiKey?: { id: string; value: string }
  /** The SigV4 caller of an AWS_IAM method (invoke/iam-auth.ts): `$context.identity`'s IAM members. */
  iamCaller?: { accessKey: string; accountId: string; caller: string; user: string; userArn: string }
  /** The gateway's SigV4 check (AWS_IAM methods; `Cache-Control: max-age=0` callers needing execute-api:InvalidateCache). */
  checkSignature?: InvokeSignatureCheck
  /** Served by the stage's canary deployment (canary/canary.ts). */
  canary?: boolean
  /** Served from a deployment snapshot, which never changes (plans built from its integrations may be kept); not TestInvokeMethod's live API. */
  deployed?: boolean
  /** The deployed resource policy's verdict for the anonymous caller (invoke/resource-policy.ts), when the deployment has one. */
  resourcePolicy?: ResourcePolicyState
  /** Lines for the stage's execution log left on the way (the stage cache's hit or miss). */
  notes?: string[]
}

export function requestContext(ctx: InvokeContext): Record<string, unknown> {
  const { api, stage, target, route, request } = ctx
  const { domainName } = target
  const dot = domainName.indexOf('.')
  const identity: Record<string, unknown> = {
    cognitoIdentityPoolId: null, accountId: null, cognitoIdentityId: null, caller: null,
    sourceIp: sourceIp(request), principalOrgId: null, accessKey: null, cognitoAuthenticationType: null,
    cognitoAuthenticationProvider: null, userArn: null, userAgent: request.headers['user-agent'] ?? null, user: null,
  }
  // An API key's members come last; an IAM caller's replace the null members in place (as a spread would).
  if (ctx.apiKey !== undefined) {
    identity.apiKey = ctx.apiKey.value
    identity.apiKeyId = ctx.apiKey.id
  }
  if (ctx.iamCaller !== undefined) Object.assign(identity, ctx.iamCaller)
  const context: Record<string, unknown> = {
    resourceId: route.resource.id,
    resourcePath: route.resource.path,
    httpMethod: request.method,
    extendedRequestId: ctx.extendedRequestId,
    requestTime: clfTime(ctx.now),
    path: target.requestPath ?? `/${stage.stageName}${target.path}`,
    accountId: api.account,
    protocol: 'HTTP/1.1',
    stage: stage.stageName,
    domainPrefix: dot === -1 ? domainName : domainName.slice(0, dot),
    requestTimeEpoch: ctx.now,
    requestId: ctx.requestId,
    identity,
    domainName,
    deploymentId: stage.deploymentId,
    apiId: api.id,
  }
  if (ctx.authorizer !== undefined) context.authorizer = ctx.authorizer
  return context
}

/** The socket's address as IPv4 where it is one (`::ffff:127.0.0.1` → `127.0.0.1`). */
export function sourceIp(request: HttpRequest): string {
  const address = request.remoteAddress ?? '127.0.0.1'
  return address.startsWith('::ffff:') ? address.slice(7) : address
}
