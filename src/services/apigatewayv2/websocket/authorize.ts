// WebSocket APIs' authorization of the upgrade (the `$connect` route's AuthorizationType), before its
// integration runs. CUSTOM: a Lambda REQUEST authorizer — every identity source present (else 401
// Unauthorized, the function not called), the function handed AWS's WebSocket authorizer event
// (`type`, `methodArn` …/{stage}/$connect, the handshake's headers and query string, stage
// variables, the CONNECT requestContext), its IAM policy evaluated against the method ARN (denied →
// 403 Forbidden; a failing function or a malformed answer → 500), the answer cached for the
// authorizer's TTL on Nimbus's clock, keyed on the identity source values. The principalId and
// context reach every later event of the connection as `requestContext.authorizer`. AWS_IAM: the
// upgrade must be SigV4-signed (`execute-api`, in headers or a presigned query), checked as HTTP APIs'
// AWS_IAM routes are (with `--enforce-iam`, the caller's policies must allow execute-api:Invoke).
import { evaluatePolicy, parseAuthorizerAnswer } from '../../api-gateway-authorizer-policy.ts'
import type { LambdaPort } from '../../lambda/port.ts'
import { authorizerCacheKey, cacheAnswer, cachedAnswer } from '../authorizer-cache.ts'
import type { AuthorizerData, HttpApiData, RouteData, StageData } from '../data.ts'
import { iamCaller, type IamCaller } from '../invoke/iam-auth.ts'
import { functionArn, withStageVariables } from '../invoke/function-arn.ts'
import type { HttpApiTarget, InvokeRequest, InvokeResponse } from '../port.ts'
import type { HttpApiState } from '../store.ts'
import { webSocketIdentitySource } from './authorizers.ts'
import { authorizerRefused } from './lambda-permission.ts'

export type ConnectAuth =
  | { refuse: InvokeResponse; reason: string }
  /** Accepted: the authorizer's principalId and context, or the IAM caller, for the connection's events. */
  | { authorizer?: Record<string, unknown>; iam?: IamCaller; usageIdentifierKey?: string }

interface Answer { principalId: string; policy: unknown; context: Record<string, unknown>; usageIdentifierKey?: string }

/** The upgrade refused with AWS's `{"message": …}` body; `reason` is for Nimbus's log. */
export const refusal = (status: number, message: string, reason: string): { refuse: InvokeResponse; reason: string } =>
  ({ refuse: { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message }) }, reason })

export interface AuthorizeDeps {
  state: HttpApiState
  lambda: LambdaPort
  /** `--enforce-iam`: the authorizer's function must let apigateway.amazonaws.com invoke it (lambda-permission.ts). */
  enforceIam?: boolean
}

/** `connectEvent`: the CONNECT event the integration will get (its headers, query and requestContext go to the authorizer too). */
export async function authorizeConnect(deps: AuthorizeDeps, api: HttpApiData, stage: StageData, route: RouteData, request: InvokeRequest,
  target: HttpApiTarget, connectEvent: Record<string, unknown>): Promise<ConnectAuth> {
  if (route.authorizationType === 'AWS_IAM') {
    const caller = iamCaller(target, request)
    // [R] As HTTP APIs' AWS_IAM routes: unsigned or not allowed → 403 Forbidden; a bad signature → the front end's message.
    return 'denied' in caller ? refusal(403, caller.denied, caller.reason) : { iam: caller }
  }
  if (route.authorizationType !== 'CUSTOM') return {}
  const authorizer = route.authorizerId === undefined ? undefined : api.authorizers?.[route.authorizerId]
  if (authorizer === undefined) return refusal(500, 'Internal server error', `the authorizer ${route.authorizerId ?? ''} no longer exists`)
  const values: string[] = []
  for (const source of authorizer.identitySource) {
    const value = identityValue(source, request, stage, connectEvent)
    // AWS checks every identity source is present and non-empty before calling the function.
    if (value === undefined || value === '') return refusal(401, 'Unauthorized', `identity source ${source} is missing`)
    values.push(value)
  }
  const arn = `arn:aws:execute-api:${api.region}:${api.account}:${api.id}/${stage.name}/$connect`
  const ttl = authorizer.resultTtlInSeconds ?? 0
  const key = authorizerCacheKey(api.id, stage.name, authorizer.id, values, ttl)
  const now = deps.state.clock.now()
  let result = cachedAnswer<Answer>(deps.state, key, now)
  if (result === undefined) {
    const fn = deps.enforceIam === true ? functionArn(withStageVariables(authorizer.authorizerUri ?? '', stage.variables)) : undefined
    const refused = fn === undefined ? undefined : authorizerRefused(deps, api, authorizer.id, fn, authorizer.credentialsArn)
    if (refused !== undefined) return refusal(500, 'Internal server error', refused)
    const called = await call(deps.lambda, authorizer, stage, authorizerEvent(arn, stage, connectEvent))
    if ('failed' in called) return refusal(500, 'Internal server error', called.failed)
    result = called
    cacheAnswer(deps.state, key, result, now + ttl * 1000)
  }
  const verdict = evaluatePolicy(result.policy, arn)
  if (verdict !== 'allow') return refusal(403, 'Forbidden', `the authorizer's policy ${verdict === 'explicitDeny' ? 'denies' : 'does not allow'} ${arn}`)
  // [R] AWS's WebSocket events carry the context's members beside principalId and integrationLatency.
  return {
    authorizer: { ...result.context, principalId: result.principalId, integrationLatency: 0 },
    ...(result.usageIdentifierKey !== undefined && { usageIdentifierKey: result.usageIdentifierKey }),
  }
}

/** AWS's example input: the CONNECT event's headers, query string and requestContext, with type, methodArn and stageVariables. */
function authorizerEvent(methodArn: string, stage: StageData, connectEvent: Record<string, unknown>): Record<string, unknown> {
  const { headers, multiValueHeaders, queryStringParameters, multiValueQueryStringParameters, requestContext } = connectEvent
  return {
    type: 'REQUEST', methodArn, headers, multiValueHeaders,
    queryStringParameters: queryStringParameters ?? {}, multiValueQueryStringParameters: multiValueQueryStringParameters ?? {},
    stageVariables: { ...stage.variables }, requestContext,
  }
}

/** The function the URI names (a stage variable may name it, as in integration URIs) invoked with the event. */
async function call(lambda: LambdaPort, authorizer: AuthorizerData, stage: StageData, event: Record<string, unknown>): Promise<Answer | { failed: string }> {
  const uri = withStageVariables(authorizer.authorizerUri ?? '', stage.variables)
  const arn = functionArn(uri)
  if (arn === undefined) return { failed: `${uri} is no Lambda function` }
  try {
    const result = await lambda.invoke(arn, JSON.stringify(event))
    if (result.outcome !== 'success') return { failed: `the authorizer function failed (${result.outcome})` }
    const parsed = parseAuthorizerAnswer(result.payload)
    if (parsed === undefined) return { failed: 'the authorizer answered no valid IAM policy' }
    return { principalId: parsed.principalId, policy: parsed.policy, context: parsed.context,
      ...(parsed.usageIdentifierKey !== undefined && { usageIdentifierKey: parsed.usageIdentifierKey }) }
  } catch (error) {
    return { failed: error instanceof Error ? error.message : String(error) }
  }
}

/** A header by name in any case, a query parameter (repeated: joined with commas [R]), a stage variable or a context value. */
function identityValue(source: string, request: InvokeRequest, stage: StageData, connectEvent: Record<string, unknown>): string | undefined {
  const [, kind, name] = webSocketIdentitySource.exec(source) ?? []
  if (name === undefined) return undefined
  if (kind === 'route.request.header') return request.headers[name.toLowerCase()]
  if (kind === 'route.request.querystring') return request.query.getAll(name).join(',') || undefined
  if (kind === 'stageVariables') return stage.variables[name]
  const context = connectEvent['requestContext'] as Record<string, unknown>
  const value = context[name]
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined
}
