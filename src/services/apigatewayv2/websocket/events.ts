// The Lambda proxy events of WebSocket APIs, as AWS sends them: CONNECT (the upgrade request's headers
// and query string), MESSAGE (the frame's body) and DISCONNECT (the close code and reason).
import { pushOwn } from '../../../core/own-keys.ts'
import { clfTime } from '../../api-gateway-logs.ts'
import type { IamCaller } from '../invoke/iam-auth.ts'
import type { InvokeRequest } from '../port.ts'

/** What every event's requestContext tells of the connection and this request. */
export interface EventFacts {
  apiId: string
  stage: string
  domainName: string
  connectionId: string
  connectedAt: number
  routeKey: string
  requestId: string
  now: number
  sourceIp: string
  userAgent: string
  /** A CUSTOM `$connect`'s answer: principalId, integrationLatency and the context's members. */
  authorizer?: Record<string, unknown>
  /** An AWS_IAM `$connect`'s caller. */
  iam?: IamCaller
}

function requestContext(facts: EventFacts, eventType: string, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    routeKey: facts.routeKey,
    eventType,
    extendedRequestId: facts.requestId,
    requestTime: clfTime(facts.now),
    messageDirection: 'IN',
    stage: facts.stage,
    connectedAt: facts.connectedAt,
    requestTimeEpoch: facts.now,
    ...extra,
    ...(facts.authorizer !== undefined && { authorizer: facts.authorizer }),
    requestId: facts.requestId,
    domainName: facts.domainName,
    connectionId: facts.connectionId,
    apiId: facts.apiId,
  }
}

function identity(facts: EventFacts): Record<string, unknown> {
  const iam = facts.iam
  return {
    accountId: iam?.accountId ?? null, accessKey: iam?.accessKey ?? null, caller: iam?.caller ?? null, cognitoAuthenticationProvider: null,
    cognitoAuthenticationType: null, cognitoIdentityId: null, cognitoIdentityPoolId: null, principalOrgId: null, sourceIp: facts.sourceIp,
    user: iam?.user ?? null, userAgent: facts.userAgent, userArn: iam?.userArn ?? null,
  }
}

/** A MESSAGE event's identity: the source and agent, and an AWS_IAM connection's caller [R]. */
function messageIdentity(facts: EventFacts): Record<string, unknown> {
  const iam = facts.iam
  return {
    ...(iam !== undefined && { accountId: iam.accountId, accessKey: iam.accessKey, caller: iam.caller, user: iam.user, userArn: iam.userArn }),
    sourceIp: facts.sourceIp, userAgent: facts.userAgent,
  }
}

/** `$connect`: the handshake's headers as sent (names keep their case) and its query string, if any. */
export function connectEvent(facts: EventFacts, request: InvokeRequest, traceId: string, port: string): Record<string, unknown> {
  const multi: Record<string, string[]> = {}
  const raw = request.rawHeaders ?? Object.entries(request.headers).flat()
  for (let i = 0; i + 1 < raw.length; i += 2) pushOwn(multi, raw[i]!, raw[i + 1]!)
  // API Gateway adds these, as to every proxied request.
  Object.assign(multi, { 'X-Amzn-Trace-Id': [traceId], 'X-Forwarded-For': [facts.sourceIp], 'X-Forwarded-Port': [port], 'X-Forwarded-Proto': ['http'] })
  const query: Record<string, string[]> = {}
  for (const [key, value] of request.query) pushOwn(query, key, value)
  const hasQuery = Object.keys(query).length > 0
  return {
    headers: Object.fromEntries(Object.entries(multi).map(([name, values]) => [name, values.join(',')])),
    multiValueHeaders: multi,
    ...(hasQuery && {
      queryStringParameters: Object.fromEntries(Object.entries(query).map(([key, values]) => [key, values.at(-1)])),
      multiValueQueryStringParameters: query,
    }),
    requestContext: requestContext(facts, 'CONNECT', { disconnectStatusCode: null, messageId: null, disconnectReason: null, identity: identity(facts) }),
    isBase64Encoded: false,
  }
}

/** A message: text frames as they are, binary ones base64 with isBase64Encoded. */
export function messageEvent(facts: EventFacts, messageId: string, data: Buffer, binary: boolean): Record<string, unknown> {
  return {
    requestContext: requestContext(facts, 'MESSAGE', { messageId, identity: messageIdentity(facts) }),
    body: binary ? data.toString('base64') : data.toString('utf8'),
    isBase64Encoded: binary,
  }
}

/** `$disconnect`: the close frame's code and reason (AWS sends these few headers, empty where unknown). */
export function disconnectEvent(facts: EventFacts, host: string, code: number | undefined, reason: string): Record<string, unknown> {
  const headers = { Host: host, 'x-api-key': '', 'X-Forwarded-For': '', 'x-restapi': '' }
  return {
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    requestContext: requestContext(facts, 'DISCONNECT', {
      // No code in the close frame: 1005, as RFC 6455 reports it.
      disconnectStatusCode: code ?? 1005, disconnectReason: reason, identity: identity(facts),
    }),
    isBase64Encoded: false,
  }
}
