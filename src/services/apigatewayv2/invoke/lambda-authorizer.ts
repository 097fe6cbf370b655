// HTTP APIs' Lambda authorizers (REQUEST): the identity sources must all be present (else 401
// Unauthorized, the function not called); the function gets the authorizer event of its payload
// format — 2.0 (`type`, `routeArn`, `identitySource` list and the request's members) or 1.0 (REST's
// REQUEST event: `methodArn`, `identitySource` joined with commas, `authorizationToken`) — and answers
// `{isAuthorized, context}` (simple responses, 2.0 only) or an IAM policy (`principalId`,
// `policyDocument`, `context`) evaluated against the route ARN as REST APIs evaluate theirs: not
// authorized or denied → 403 Forbidden. Results are cached for the authorizer's TTL on Nimbus's
// clock, keyed on the identity source values; a cached policy is evaluated afresh for each request.
import type { LambdaPort } from '../../lambda/port.ts'
import { authorizerCacheKey, cacheAnswer, cachedAnswer } from '../authorizer-cache.ts'
import type { AuthorizerData } from '../data.ts'
import type { HttpApiState } from '../store.ts'
import { eventV1, eventV2, type RequestFacts } from './event.ts'
import { requestHeader } from './request-header.ts'
import { evaluatePolicy, parseAuthorizerAnswer } from '../../api-gateway-authorizer-policy.ts'
import { functionArn, withStageVariables } from './function-arn.ts'

/** Allowed: the context, and a policy answer's `principalId` (`$context.authorizer.principalId`). */
export type LambdaAuthOutcome = { denied: 401 | 403 | 500; reason: string } | { context: Record<string, unknown>; principalId?: string }

/** What the function answered: a simple verdict, or a policy to evaluate per request. */
type Answer = { isAuthorized: boolean; context: Record<string, unknown> } | { policy: unknown; context: Record<string, unknown>; principalId: string }


export async function checkLambdaAuthorizer(state: HttpApiState, lambda: LambdaPort, authorizer: AuthorizerData,
  facts: RequestFacts): Promise<LambdaAuthOutcome> {
  const values: string[] = []
  for (const source of authorizer.identitySource) {
    const value = identityValue(source, facts)
    if (value === undefined || value === '') return { denied: 401, reason: `identity source ${source} is missing` }
    values.push(value)
  }
  const ttl = authorizer.resultTtlInSeconds ?? 0
  const key = authorizerCacheKey(facts.api.id, facts.stage.name, authorizer.id, values, ttl)
  const now = state.clock.now()
  let result = cachedAnswer<Answer>(state, key, now)
  if (result === undefined) {
    const called = await call(lambda, authorizer, facts, values)
    if ('denied' in called) return called
    result = called
    cacheAnswer(state, key, result, now + ttl * 1000)
  }
  if ('isAuthorized' in result) return result.isAuthorized ? { context: result.context } : { denied: 403, reason: 'the authorizer answered isAuthorized false' }
  const verdict = evaluatePolicy(result.policy, routeArn(facts))
  return verdict === 'allow' ? { context: result.context, principalId: result.principalId } : { denied: 403, reason: `the authorizer's policy ${verdict === 'explicitDeny' ? 'denies' : 'does not allow'} ${routeArn(facts)}` }
}

/** [R] Like REST's methodArn, the route ARN names the request's own path (without a named stage's prefix). */
function routeArn(facts: RequestFacts): string {
  const raw = facts.target.path.split('?')[0]!
  const prefix = `/${facts.stage.name}`
  const path = facts.stage.name !== '$default' && (raw === prefix || raw.startsWith(`${prefix}/`)) ? raw.slice(prefix.length) || '/' : raw
  return `arn:aws:execute-api:${facts.api.region}:${facts.api.account}:${facts.api.id}/${facts.stage.name}/${facts.request.method}${path}`
}

async function call(lambda: LambdaPort, authorizer: AuthorizerData, facts: RequestFacts, values: string[]):
  Promise<Answer | { denied: 500; reason: string }> {
  // A stage variable may name the function, as in integration URIs.
  const uri = withStageVariables(authorizer.authorizerUri ?? '', facts.stage.variables)
  const arn = functionArn(uri)
  if (arn === undefined) return { denied: 500, reason: `${uri} is no Lambda function` }
  const event = authorizer.payloadFormatVersion === '1.0' ? eventV1Authorizer(facts, values) : eventV2Authorizer(facts, values)
  try {
    const result = await lambda.invoke(arn, JSON.stringify(event))
    if (result.outcome !== 'success') return { denied: 500, reason: `the authorizer function failed (${result.outcome})` }
    if (authorizer.enableSimpleResponses !== true) {
      // An IAM policy answer, checked as REST APIs check theirs (no valid policy → 500), but its context
      // may hold arrays and maps, as the HTTP API guide's example authorizer returns.
      const answer = parseAuthorizerAnswer(result.payload, true)
      if (answer === undefined) return { denied: 500, reason: 'the authorizer answered no valid IAM policy' }
      return { policy: answer.policy, context: answer.context, principalId: answer.principalId }
    }
    const answer = JSON.parse(result.payload.toString('utf8')) as unknown
    if (typeof answer !== 'object' || answer === null || typeof (answer as { isAuthorized?: unknown }).isAuthorized !== 'boolean') {
      return { denied: 500, reason: 'the authorizer answered no isAuthorized boolean' }
    }
    const { isAuthorized, context } = answer as { isAuthorized: boolean; context?: unknown }
    return { isAuthorized, context: typeof context === 'object' && context !== null ? context as Record<string, unknown> : {} }
  } catch (error) {
    return { denied: 500, reason: error instanceof Error ? error.message : String(error) }
  }
}

function eventV2Authorizer(facts: RequestFacts, values: string[]): Record<string, unknown> {
  const { version: _v, body: _b, isBase64Encoded: _i, ...request } = eventV2(facts)
  return { version: '2.0', type: 'REQUEST', routeArn: routeArn(facts), identitySource: values, ...request }
}

/** Payload 1.0: REST's REQUEST authorizer event, the identity sources joined with commas (AWS's example). */
function eventV1Authorizer(facts: RequestFacts, values: string[]): Record<string, unknown> {
  const { version: _v, body: _b, isBase64Encoded: _i, ...request } = eventV1(facts)
  const identity = values.join(',')
  return { version: '1.0', type: 'REQUEST', methodArn: routeArn(facts), identitySource: identity, authorizationToken: identity, ...request }
}

/** `$request.header.x`, `$request.querystring.x`, `$context.x`, `$stageVariables.x`. */
function identityValue(source: string, facts: RequestFacts): string | undefined {
  const [, kind, name] = /^\$(request\.header|request\.querystring|context|stageVariables)\.(.+)$/.exec(source) ?? []
  if (name === undefined) return undefined
  if (kind === 'request.header') return requestHeader(facts.request, name)
  if (kind === 'request.querystring') return facts.request.query.getAll(name).join(',') || undefined
  if (kind === 'stageVariables') return facts.stage.variables[name]
  const context: Record<string, string> = { requestId: facts.requestId, apiId: facts.api.id, stage: facts.stage.name, routeKey: facts.selected.route.routeKey }
  return context[name]
}
