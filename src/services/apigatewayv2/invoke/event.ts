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
 * Text bodies pass as they are; anything else is base64 with `isBase64Encoded: true`. AWS counts only
 * `text/*`, JSON, XML and JavaScript as text: a form (`application/x-www-form-urlencoded`) or a body
 * without a Content-Type arrives base64-encoded (the docs name no list; users have checked it).
 */
function bodyOf(request: InvokeRequest): { body: string | undefined; isBase64Encoded: boolean } {
  if (request.body.length === 0) return { body: undefined, isBase64Encoded: false }
  const type = (request.headers['content-type'] ?? '').toLowerCase()
  const text = type.startsWith('text/') || /json|xml|javascript/.test(type)
  return text ? { body: request.body.toString('utf8'), isBase64Encoded: false } : { body: request.body.toString('base64'), isBase64Encoded: true }
}

/**
 * The client's headers by lower-cased name, each value apart and in order, plus the ones API Gateway
 * adds. Read from the raw headers: Node's parsed map joins repeats with ", " (and loses `__proto__`).
 */
function headerValues(facts: RequestFacts): Map<string, string[]> {
  const { request } = facts
  const values = new Map<string, string[]>()
  const raw = request.rawHeaders
  if (raw === undefined) {
    for (const [name, value] of Object.entries(request.headers)) values.set(name, [value])
  } else {
    for (let i = 0; i + 1 < raw.length; i += 2) {
      const name = raw[i]!.toLowerCase()
      const list = values.get(name)
      if (list === undefined) values.set(name, [raw[i + 1]!])
      else list.push(raw[i + 1]!)
    }
  }
  values.set('x-amzn-trace-id', [facts.traceId])
  values.set('x-forwarded-for', [sourceIp(request)])
  values.set('x-forwarded-port', [facts.port])
  values.set('x-forwarded-proto', ['http'])
  return values
}

/** One value per header name: `pick` chooses it from the values sent. */
function headersOf(values: Map<string, string[]>, pick: (values: string[]) => string): Record<string, string> {
  const headers: Record<string, string> = {}
  for (const [name, list] of values) setOwn(headers, name, pick(list))
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
  // 2.0 joins a repeated header's values with commas (the guide's `"header2": "value1,value2"`); cookies go apart.
  const values = headerValues(facts)
  const cookie = values.get('cookie')?.join('; ')
  values.delete('cookie')
  const headers = headersOf(values, (list) => list.join(','))
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
  // 1.0, as REST APIs: `headers` holds a repeated header's last value, `multiValueHeaders` each value.
  const values = headerValues(facts)
  const headers = headersOf(values, (list) => list.at(-1)!)
  const multiValueHeaders: Record<string, string[]> = {}
  for (const [name, list] of values) setOwn(multiValueHeaders, name, list)
  const query = queryOf(request)
  const { body, isBase64Encoded } = bodyOf(request)
  const routeKey = selected.route.routeKey
  return {
    version: '1.0',
    resource: routeKey === '$default' ? '$default' : routeKey.slice(routeKey.indexOf(' ') + 1),
    path: target.path,
    httpMethod: request.method,
    headers,
    multiValueHeaders,
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
