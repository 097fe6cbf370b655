// First-class AWS service integrations at request time: the integration's RequestParameters are
// evaluated against the request (`$request.body.x`, `$request.header.x`, `$request.querystring.x`,
// `$request.path.x`, `$context.x`, `$stageVariables.x`, or a static value), the subtype's service
// call is made through Nimbus's own pipeline, and the service's answer is the route's answer.
import type { Readable } from 'node:stream'
import type { InProcessAwsCall } from '../../service.ts'
import type { HttpApiData, IntegrationData, StageData } from '../data.ts'
import type { InvokeRequest, InvokeResponse } from '../port.ts'
import { subtypes } from '../subtypes.ts'
import { requestHeader } from './request-header.ts'
import type { SelectedRoute } from './select-route.ts'

export interface ServiceCallFacts {
  api: HttpApiData
  stage: StageData
  selected: SelectedRoute
  request: InvokeRequest
  requestId: string
  now: number
  /** `$context.authorizer.*`: a Lambda authorizer's `principalId` and context values, a JWT's `claims.x` (authorizer-context.ts). */
  authorizer?: Record<string, string>
}

/** Undefined: the integration can't be called (no such subtype, a required parameter without a value). */
export async function callService(awsCall: InProcessAwsCall, integration: IntegrationData, facts: ServiceCallFacts): Promise<InvokeResponse | undefined> {
  const subtype = subtypes[integration.subtype ?? '']
  if (subtype === undefined) return undefined
  const params: Record<string, string> = {}
  for (const [name, expression] of Object.entries(integration.requestParameters ?? {})) {
    const value = evaluate(expression, facts)
    if (value !== undefined) params[name] = value
  }
  if (subtype.required.some((name) => params[name] === undefined)) return undefined
  const region = params.Region ?? facts.api.region
  const date = new Date(facts.now).toISOString().slice(0, 10).replaceAll('-', '')
  const body = JSON.stringify(subtype.request(params))
  const response = await awsCall({
    method: 'POST', rawPath: '/', query: new URLSearchParams(), rawQuery: '', body: Buffer.from(body),
    headers: {
      'host': 'localhost', 'content-type': `application/x-amz-json-${subtype.jsonVersion}`, 'x-amz-target': subtype.target,
      'user-agent': 'AmazonAPIGateway',
      'authorization': `AWS4-HMAC-SHA256 Credential=${facts.api.account}/${date}/${region}/${subtype.service}/aws4_request, SignedHeaders=host, Signature=0`,
    },
  })
  const text = await bodyText(response.body)
  const ok = response.status < 300
  return {
    status: response.status,
    headers: { 'content-type': 'application/json' },
    body: ok && subtype.wrap !== undefined ? wrap(subtype.wrap, text, response.headers['x-amzn-requestid'] ?? facts.requestId) : text,
  }
}

/**
 * Why callService couldn't call (it answered undefined), for Nimbus's console: the required parameters
 * whose mapping gave no value, each with its expression (`Data (from $request.body.payload)`), so a user
 * sees which header, body field or query parameter the request lacked.
 */
export function missingParameters(integration: IntegrationData, facts: ServiceCallFacts): string {
  const subtype = subtypes[integration.subtype ?? '']
  if (subtype === undefined) return `the subtype ${integration.subtype ?? '(none)'} is not one Nimbus can call`
  const mapped = integration.requestParameters ?? {}
  const names = subtype.required.filter((name) => mapped[name] === undefined || evaluate(mapped[name], facts) === undefined)
    .map((name) => mapped[name] === undefined ? `${name} (not mapped)` : `${name} (from ${mapped[name]})`)
  return `no value for the required ${names.join(', ')}`
}

/** The members AWS's JSON form shows for each result, `null` when SQS gave none. */
const sendMessageMembers = ['MD5OfMessageAttributes', 'MD5OfMessageBody', 'MD5OfMessageSystemAttributes', 'MessageId', 'SequenceNumber']
const messageMembers = ['Attributes', 'Body', 'MD5OfBody', 'MD5OfMessageAttributes', 'MessageAttributes', 'MessageId', 'ReceiptHandle']

const filled = (value: unknown, members: readonly string[]): Record<string, unknown> => {
  const from = value !== null && typeof value === 'object' ? value as Record<string, unknown> : {}
  return Object.fromEntries(members.map((member) => [member, from[member] ?? null]))
}

/** Keys in alphabetical order, as AWS serializes these answers. */
const sorted = (value: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))

/**
 * SQS's answer in the JSON form of its query response, as AWS's first-class integrations return it
 * (AWS's serverless samples print it): members in alphabetical order, every member of the result
 * shown (`null` when absent) — `{"SendMessageResponse":{"ResponseMetadata":{"RequestId":…},
 * "SendMessageResult":{"MD5OfMessageAttributes":null,…,"SequenceNumber":null}}}`; ReceiveMessage's
 * messages under a lower-case `messages` (`null` when none); DeleteMessage and PurgeQueue have no result.
 */
function wrap(action: string, text: string, requestId: string): string {
  let result: Record<string, unknown> = {}
  try {
    const parsed: unknown = text === '' ? {} : JSON.parse(text)
    if (parsed !== null && typeof parsed === 'object') result = parsed as Record<string, unknown>
  } catch {
    result = {}
  }
  const response: Record<string, unknown> = { ResponseMetadata: { RequestId: requestId } }
  if (action === 'SendMessage') response['SendMessageResult'] = filled(result, sendMessageMembers)
  else if (action === 'ReceiveMessage') {
    const messages = Array.isArray(result['Messages']) && result['Messages'].length > 0 ? result['Messages'] as unknown[] : undefined
    response['ReceiveMessageResult'] = { messages: messages?.map((message) => filled(message, messageMembers)) ?? null }
  } else if (Object.keys(result).length > 0) response[`${action}Result`] = result
  return JSON.stringify({ [`${action}Response`]: sorted(response) })
}

/** One mapping expression: a `$…` source, else the static text itself. Undefined when the source has no value. */
export function evaluate(expression: string, facts: ServiceCallFacts): string | undefined {
  if (!expression.startsWith('$')) return expression
  const { request } = facts
  const [source, ...rest] = expression.slice(1).split('.')
  const name = rest.join('.')
  if (source === 'request') {
    const [kind, ...path] = rest
    const key = path.join('.')
    if (kind === 'body') return key === '' ? request.body.toString('utf8') : bodyPath(request.body, key)
    if (kind === 'header') return requestHeader(request, key)
    if (kind === 'querystring') return request.query.has(key) ? request.query.getAll(key).join(',') : undefined
    if (kind === 'path') return facts.selected.pathParameters[key]
    return undefined
  }
  if (source === 'stageVariables') return facts.stage.variables[name]
  if (source === 'context') {
    if (name.startsWith('authorizer.')) return facts.authorizer?.[name.slice('authorizer.'.length)]
    const context: Record<string, string> = {
      requestId: facts.requestId, apiId: facts.api.id, accountId: facts.api.account, stage: facts.stage.name,
      routeKey: facts.selected.route.routeKey, httpMethod: request.method, requestTimeEpoch: String(facts.now),
      'identity.sourceIp': (request.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''), 'identity.userAgent': request.headers['user-agent'] ?? '',
    }
    return context[name]
  }
  return undefined
}

/** `$request.body.a.b[0]`: a string as it is, anything else as JSON. */
function bodyPath(body: Buffer, path: string): string | undefined {
  let value: unknown
  try {
    value = JSON.parse(body.toString('utf8'))
  } catch {
    return undefined
  }
  for (const step of path.replace(/\[(\d+)\]/g, '.$1').split('.').filter((s) => s !== '')) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<string, unknown>)[step]
  }
  if (value === undefined || value === null) return undefined
  return typeof value === 'string' ? value : JSON.stringify(value)
}

async function bodyText(body: string | Buffer | Readable): Promise<string> {
  if (typeof body === 'string') return body
  if (Buffer.isBuffer(body)) return body.toString('utf8')
  const chunks: Buffer[] = []
  for await (const chunk of body) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string))
  return Buffer.concat(chunks).toString('utf8')
}
