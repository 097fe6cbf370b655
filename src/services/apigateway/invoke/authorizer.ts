// Runs a method's Lambda authorizer (authorizationType CUSTOM): identity sources checked (401 when
// one is missing), the function invoked with the TOKEN or REQUEST event, its policy evaluated
// against the method ARN (403 on a deny), and the result cached for authorizerResultTtlInSeconds on
// the clock, keyed on the identity source values — the cached policy is evaluated afresh per request.
import { boundedTest, RegexTimeout } from '../../../core/bounded-regex.ts'
import type { HttpResponse } from '../../../protocol/http.ts'
import type { LambdaPort } from '../../lambda/port.ts'
import type { InvokeSignatureCheck } from '../../service.ts'
import { iamAuthorize } from './iam-auth.ts'
import type * as T from '../generated/types.ts'
import { newTraceId } from '../ids.ts'
import type { ApiGatewayState, CachedAuthorization } from '../store.ts'
import { type AuthorizerAnswer, evaluatePolicy, methodArn, parseAuthorizerAnswer } from '../../api-gateway-authorizer-policy.ts'
import { gatewayResponses, type ResponseIds } from './gateway-responses.ts'
import { lambdaFunctionArn } from './lambda-uri.ts'
import { proxyEvent } from './proxy-event.ts'
import { resourcePolicyAllows } from './resource-policy.ts'
import { authorizerPermissionRefusal } from './lambda-permission.ts'
import { type InvokeContext, requestContext } from './request-context.ts'

export interface AuthorizerDeps {
  state: ApiGatewayState
  lambda: LambdaPort
  log: (line: string) => void
  /** The gateway's SigV4 check of the request (AWS_IAM methods). */
  checkSignature?: InvokeSignatureCheck
  /** `--enforce-iam`: the function's policy must let apigateway.amazonaws.com invoke it (lambda-permission.ts). */
  enforceIam?: boolean
}

/** Either the answer that ends the request, or what goes on as `requestContext.authorizer`. */
export type Authorization = { denied: HttpResponse } | { authorizer: Record<string, unknown>; usageIdentifierKey?: string }

/** Cached authorizer results kept at most (Nimbus's bound, not AWS's). */
const maxCached = 10_000


export async function authorize(deps: AuthorizerDeps, ctx: InvokeContext, ids: ResponseIds): Promise<Authorization | undefined> {
  const method = ctx.route.method
  if (method.authorizationType === 'AWS_IAM') {
    const refused = iamAuthorize(deps.checkSignature, ctx, ids)
    return refused === undefined ? undefined : { denied: refused }
  }
  if (method.authorizationType === 'COGNITO_USER_POOLS') {
    // Nimbus has no Cognito: no token can come from the user pool, so the request is refused as AWS
    // refuses a missing or foreign token — 401 Unauthorized — never served unchecked (README Gaps).
    deps.log(`[nimbus] apigateway ${ctx.api.id}: ${method.httpMethod} ${ctx.route.resource.path} uses a Cognito user pool authorizer, which Nimbus does not serve; answering 401`)
    return { denied: gatewayResponses.unauthorized(ids) }
  }
  if (method.authorizationType !== 'CUSTOM') return undefined
  const config = method.authorizerId === undefined ? undefined : ctx.api.authorizers?.[method.authorizerId]
  if (config === undefined || (config.type !== 'TOKEN' && config.type !== 'REQUEST')) {
    deps.log(`[nimbus] apigateway ${ctx.api.id}: method ${method.httpMethod} ${ctx.route.resource.path} names no Lambda authorizer; answering 500`)
    return { denied: gatewayResponses.authorizerConfiguration(ids) }
  }
  const identity = identityValues(config.identitySource, scopeOf(ctx))
  if (identity === undefined) return { denied: gatewayResponses.unauthorized(ids) }
  if (config.type === 'TOKEN' && config.identityValidationExpression !== undefined && config.identityValidationExpression !== '') {
    if (!fullMatch(config.identityValidationExpression, identity[0]!)) return { denied: gatewayResponses.unauthorized(ids) }
  }
  const arn = methodArn(ctx.api.region, ctx.api.account, ctx.api.id, ctx.stage.stageName, ctx.request.method, ctx.target.path)
  const ttl = config.authorizerResultTtlInSeconds ?? 300
  // A REQUEST authorizer without identity sources is never cached (nothing to key it on).
  const cacheKey = ttl > 0 && identity.length > 0
    ? [ctx.api.id, ctx.stage.stageName, config.id, ...identity].join('\u0000') : undefined
  const now = deps.state.clock.now()
  let result: CachedAuthorization | undefined = cacheKey === undefined ? undefined : deps.state.authorizerCache.get(cacheKey)
  if (result !== undefined && result.expires <= now) {
    deps.state.authorizerCache.delete(cacheKey!)
    result = undefined
  }
  let latency = 0
  if (result === undefined) {
    const called = await callAuthorizer(deps, config, ctx, arn, identity[0] ?? '', ids)
    if ('denied' in called) return called
    latency = deps.state.clock.now() - now
    result = { expires: now + ttl * 1000, ...called.answer }
    if (cacheKey !== undefined) {
      // Bounded: many distinct tokens must not grow the cache without end (the oldest entry goes first).
      const cache = deps.state.authorizerCache
      if (cache.size >= maxCached) cache.delete(cache.keys().next().value!)
      cache.set(cacheKey, result)
    }
  }
  const verdict = evaluatePolicy(result.policy, arn)
  if (verdict === 'explicitDeny') return { denied: gatewayResponses.explicitDeny(ids) }
  // Table A: an authorizer that neither allows nor denies is overruled by the resource policy's Allow.
  if (verdict === 'implicitDeny' && !resourcePolicyAllows(ctx)) return { denied: gatewayResponses.implicitDeny(ids) }
  return { authorizer: { ...stringified(result.context), principalId: result.principalId, integrationLatency: latency }, usageIdentifierKey: result.usageIdentifierKey }
}

/**
 * The context's values as AWS passes them on: stringified — `"numKey": 1` reads `"1"` and
 * `"boolKey": true` reads `"true"` in `$context.authorizer` and the proxy event (the mapping template
 * reference's `$context.authorizer.property`).
 */
function stringified(context: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(context ?? {})) out[key] = typeof value === 'number' || typeof value === 'boolean' ? String(value) : value
  return out
}

async function callAuthorizer(deps: AuthorizerDeps, config: T.Authorizer, ctx: InvokeContext, arn: string, token: string,
  ids: ResponseIds): Promise<{ answer: AuthorizerAnswer } | { denied: HttpResponse }> {
  const functionArn = lambdaFunctionArn(config.authorizerUri ?? '', ctx.stage.variables)
  if (functionArn === undefined) {
    deps.log(`[nimbus] apigateway ${ctx.api.id}: authorizer ${config.id} URI ${config.authorizerUri} is no Lambda function URI; answering 500`)
    return { denied: gatewayResponses.authorizerConfiguration(ids) }
  }
  const refused = authorizerPermissionRefusal(deps, ctx, config, functionArn, ids)
  if (refused !== undefined) return { denied: refused }
  const event = config.type === 'TOKEN'
    ? { type: 'TOKEN', methodArn: arn, authorizationToken: token }
    : requestEvent(ctx, arn)
  try {
    const result = await deps.lambda.invoke(functionArn, JSON.stringify(event))
    if (result.outcome === 'error') {
      // The blueprint's way to refuse: an error whose message is exactly "Unauthorized" → 401.
      if (errorMessage(result.payload) === 'Unauthorized') return { denied: gatewayResponses.unauthorized(ids) }
      deps.log(`[nimbus] apigateway ${ctx.api.id}: authorizer ${functionArn} failed: ${result.payload.toString('utf8').slice(0, 500)}`)
      return { denied: gatewayResponses.authorizerConfiguration(ids) }
    }
    if (result.outcome === 'throttled') return { denied: gatewayResponses.authorizerConfiguration(ids) }
    const answer = parseAuthorizerAnswer(result.payload)
    if (answer === undefined) {
      deps.log(`[nimbus] apigateway ${ctx.api.id}: authorizer ${functionArn} answered no valid policy (Could not parse policy); answering 500`)
      return { denied: gatewayResponses.authorizerConfiguration(ids) }
    }
    return { answer }
  } catch (error) {
    deps.log(`[nimbus] apigateway ${ctx.api.id}: invoking authorizer ${functionArn} failed: ${error instanceof Error ? error.message : String(error)}`)
    return { denied: gatewayResponses.authorizerConfiguration(ids) }
  }
}

/** The REQUEST event: the proxy event's members without the body, plus `type` and `methodArn`. */
function requestEvent(ctx: InvokeContext, arn: string): Record<string, unknown> {
  const { body: _body, isBase64Encoded: _b64, ...rest } = proxyEvent(ctx, newTraceId(ctx.now))
  return { type: 'REQUEST', methodArn: arn, ...rest }
}

function errorMessage(payload: Buffer): string | undefined {
  try {
    const parsed = JSON.parse(payload.toString('utf8')) as { errorMessage?: unknown }
    return typeof parsed.errorMessage === 'string' ? parsed.errorMessage : undefined
  } catch {
    return undefined
  }
}

/** What identity sources read of a request: the invoke path's (from its InvokeContext) or TestInvokeAuthorizer's described one. */
export interface IdentityScope {
  headers: Readonly<Record<string, string | undefined>>
  query: URLSearchParams
  pathParameters: Record<string, string>
  stageVariables: Record<string, string>
  /** `$context` (the request context), built only for a `context.x` source. */
  context: () => Record<string, unknown>
}

const scopeOf = (ctx: InvokeContext): IdentityScope => ({
  headers: ctx.request.headers, query: ctx.request.query, pathParameters: ctx.route.pathParameters, stageVariables: ctx.stage.variables,
  context: () => requestContext(ctx),
})

/**
 * The identity source's values, in order; undefined when any is missing or empty (→ 401). A TOKEN
 * authorizer's source is one header; a REQUEST authorizer's a comma-separated list of
 * `method.request.header.X`, `method.request.querystring.x`, `method.request.path.x`, `stageVariables.x`, `context.x`.
 */
export function identityValues(identitySource: string | undefined, scope: IdentityScope): string[] | undefined {
  const sources = (identitySource ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '')
  const values: string[] = []
  for (const source of sources) {
    const value = identityValue(source, scope)
    if (value === undefined || value === '') return undefined
    values.push(value)
  }
  return values
}

function identityValue(source: string, scope: IdentityScope): string | undefined {
  const [, kind, name] = /^(method\.request\.(?:multivalue)?header|method\.request\.(?:multivalue)?querystring|method\.request\.path|stageVariables|context)\.(.+)$/.exec(source) ?? []
  if (kind === undefined || name === undefined) return undefined
  if (kind.endsWith('header')) return scope.headers[name.toLowerCase()]
  if (kind.endsWith('querystring')) return kind.includes('multivalue') ? scope.query.getAll(name).join(',') : (scope.query.getAll(name).at(-1))
  if (kind === 'method.request.path') return scope.pathParameters[name]
  if (kind === 'stageVariables') return scope.stageVariables[name]
  const value = scope.context()[name]
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined
}

/**
 * Java's String.matches: the whole token. A bad expression matches nothing [R]. The token is the
 * caller's, so the match runs bounded (core/bounded-regex.ts): past the bound it matches nothing.
 */
export function fullMatch(expression: string, token: string): boolean {
  try {
    // A bad expression comes back from the bounded match as a SyntaxError.
    return boundedTest(`^(?:${expression})$`, 's', token)
  } catch (error) {
    if (error instanceof SyntaxError || error instanceof RegexTimeout) return false
    throw error
  }
}
