// The Lambda proxy event for HTTP APIs in both payload formats, as AWS documents them
// ("Create AWS Lambda proxy integrations for HTTP APIs"): 2.0 (headers comma-joined, cookies
// apart, no multi-value maps) and 1.0 (REST-like, with multi-value maps and `version: "1.0"`).
import type { InvokeRequest } from '../port.ts'
import type { HttpApiData, StageData } from '../data.ts'
import type { HttpApiTarget } from '../port.ts'
import type { SelectedRoute } from './select-route.ts'
import { clfTime } from '../../api-gateway-logs.ts'
import type { IamCaller } from './iam-auth.ts'
import { setOwn } from '../../../core/own-keys.ts'

export interface RequestFacts {
  api: HttpApiData
  stage: StageData
  target: HttpApiTarget
  selected: SelectedRoute
  request: InvokeRequest
  requestId: string
  now: number
  traceId: string
  port: string
  /** What a JWT authorizer verified: the token's claims (as strings) and scopes. */
  jwt?: { claims: Record<string, string>; scopes: string[] | null }
  /** What a Lambda authorizer answered as its context. */
  lambda?: Record<string, unknown>
  /** An AWS_IAM route's SigV4 caller (invoke/iam-auth.ts). */
  iam?: IamCaller
  /** `$context.authorizer.*` for parameter mapping (authorizer-context.ts). */
  authorizer?: Record<string, string>
}

function sourceIp(request: InvokeRequest): string {
  const address = request.remoteAddress ?? '127.0.0.1'
  return address.startsWith('::ffff:') ? address.slice(7) : address
}

/**
 * Text bodies pass as they are; anything else is base64 with `isBase64Encoded: true` — a form post too (users of
 * HTTP APIs meet `application/x-www-form-urlencoded` bodies base64-encoded, unlike REST APIs' proxy event).
 */
function bodyOf(request: InvokeRequest): { body: string | undefined; isBase64Encoded: boolean } {
  if (request.body.length === 0) return { body: undefined, isBase64Encoded: false }
  const type = (request.headers['content-type'] ?? '').toLowerCase()
  const text = type.startsWith('text/') || /json|xml|javascript|yaml|graphql/.test(type)
  return text ? { body: request.body.toString('utf8'), isBase64Encoded: false } : { body: request.body.toString('base64'), isBase64Encoded: true }
}

/** The headers the function sees: the client's plus the ones API Gateway adds. */
function headersOf(facts: RequestFacts): Record<string, string> {
  const { request } = facts
  const headers: Record<string, string> = { ...request.headers }
  // Node's parsed headers lose one named `__proto__` (the assignment sets the map's prototype): read it from the raw ones.
  const raw = request.rawHeaders ?? []
  const proto: string[] = []
  for (let i = 0; i + 1 < raw.length; i += 2) if (raw[i]!.toLowerCase() === '__proto__') proto.push(raw[i + 1]!)
  if (proto.length > 0 && !Object.hasOwn(headers, '__proto__')) setOwn(headers, '__proto__', proto.join(', '))
  headers['x-amzn-trace-id'] = facts.traceId
  headers['x-forwarded-for'] = sourceIp(request)
  headers['x-forwarded-port'] = facts.port
  headers['x-forwarded-proto'] = 'http'
  return headers
}

function queryOf(request: InvokeRequest): Map<string, string[]> {
  const values = new Map<string, string[]>()
  for (const [key, value] of request.query) values.set(key, [...(values.get(key) ?? []), value])
  return values
}

const orUndefined = <T extends object>(o: T): T | undefined => (Object.keys(o).length === 0 ? undefined : o)

export function eventV2(facts: RequestFacts): Record<string, unknown> {
  const { request, api, stage, target, selected } = facts
  const headers = headersOf(facts)
  const cookie = headers['cookie']
  delete headers['cookie']
  const query = queryOf(request)
  const { body, isBase64Encoded } = bodyOf(request)
  return {
    version: '2.0',
    routeKey: selected.route.routeKey,
    rawPath: target.path.split('?')[0],
    rawQueryString: request.rawQuery ?? request.query.toString(),
    cookies: cookie === undefined ? undefined : cookie.split(/;\s*/).filter((c) => c !== ''),
    headers,
    queryStringParameters: orUndefined(Object.fromEntries([...query].map(([k, v]) => [k, v.join(',')]))),
    requestContext: {
      accountId: api.account,
      apiId: api.id,
      domainName: target.domainName,
      domainPrefix: target.domainName.split('.')[0],
      http: { method: request.method, path: target.path, protocol: 'HTTP/1.1', sourceIp: sourceIp(request), userAgent: request.headers['user-agent'] ?? '' },
      requestId: facts.requestId,
      routeKey: selected.route.routeKey,
      stage: stage.name,
      time: clfTime(facts.now),
      timeEpoch: facts.now,
      ...(facts.jwt !== undefined && { authorizer: { jwt: facts.jwt } }),
      ...(facts.lambda !== undefined && { authorizer: { lambda: facts.lambda } }),
      // AWS's 2.0 event names the IAM caller under authorizer.iam.
      ...(facts.iam !== undefined && { authorizer: { iam: {
        accessKey: facts.iam.accessKey, accountId: facts.iam.accountId, callerId: facts.iam.caller, cognitoIdentity: null,
        principalOrgId: null, userArn: facts.iam.userArn, userId: facts.iam.user,
      } } }),
    },
    body,
    pathParameters: orUndefined(selected.pathParameters),
    isBase64Encoded,
    stageVariables: orUndefined(stage.variables),
  }
}

export function eventV1(facts: RequestFacts): Record<string, unknown> {
  const { request, api, stage, target, selected } = facts
  const headers = headersOf(facts)
  const query = queryOf(request)
  const { body, isBase64Encoded } = bodyOf(request)
  const routeKey = selected.route.routeKey
  return {
    version: '1.0',
    resource: routeKey === '$default' ? '$default' : routeKey.slice(routeKey.indexOf(' ') + 1),
    path: target.path,
    httpMethod: request.method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    queryStringParameters: query.size === 0 ? null : Object.fromEntries([...query].map(([k, v]) => [k, v.at(-1)])),
    multiValueQueryStringParameters: query.size === 0 ? null : Object.fromEntries(query),
    requestContext: {
      accountId: api.account, apiId: api.id, domainName: target.domainName, domainPrefix: target.domainName.split('.')[0],
      extendedRequestId: facts.requestId, httpMethod: request.method, path: target.path, protocol: 'HTTP/1.1',
      requestId: facts.requestId, requestTime: clfTime(facts.now), requestTimeEpoch: facts.now, resourceId: routeKey,
      resourcePath: routeKey === '$default' ? '$default' : routeKey.slice(routeKey.indexOf(' ') + 1), stage: stage.name,
      identity: {
        accessKey: null, accountId: null, caller: null, cognitoAuthenticationProvider: null, cognitoAuthenticationType: null,
        cognitoIdentityId: null, cognitoIdentityPoolId: null, principalOrgId: null, sourceIp: sourceIp(request), user: null,
        userAgent: request.headers['user-agent'] ?? null, userArn: null,
        // 1.0 puts an AWS_IAM route's caller in identity, as REST APIs do.
        ...facts.iam,
      },
      ...(facts.jwt !== undefined && { authorizer: { claims: facts.jwt.claims, scopes: facts.jwt.scopes } }),
      ...(facts.lambda !== undefined && { authorizer: { lambda: facts.lambda } }),
    },
    pathParameters: orUndefined(selected.pathParameters) ?? null,
    stageVariables: orUndefined(stage.variables) ?? null,
    body: body ?? null,
    isBase64Encoded,
  }
}
