// AWS (non-proxy) integrations' backends: a Lambda function invoked with the mapped body (its
// errorMessage picks the integration response), or an AWS service called by action
// (`arn:aws:apigateway:{region}:kinesis:action/PutRecord`) or path override
// (`arn:aws:apigateway:{region}:sqs:path/{account}/{queue}`) as a signed request through Nimbus's own
// pipeline, answered with the service's wire response, as AWS's integrations see it.
import type { Readable } from 'node:stream'
import type { HttpRequest, HttpResponse } from '../../../protocol/http.ts'
import type { LambdaPort } from '../../lambda/port.ts'
import type { InProcessAwsCall } from '../../service.ts'
import type { IntegrationData } from '../store.ts'
import type { BackendResult, MappedRequest } from './mapping.ts'

/** What the call reads of the request: REST's InvokeContext has it; WebSocket APIs (through the port) give their own. */
export interface AwsCallContext {
  now: number
  api: { account: string }
  stage: { variables: Record<string, string> }
  request: { headers: Readonly<Record<string, string | undefined>> }
}

export interface AwsBackendDeps {
  lambda: LambdaPort
  awsCall?: InProcessAwsCall
  log: (line: string) => void
}

const uriPattern = /^arn:aws[\w-]*:apigateway:([\w-]+):([\w.-]+):(action|path)\/(.*)$/s
const lambdaPath = /^\/?2015-03-31\/functions\/(arn:[^/]+)\/invocations$/

/** JSON-protocol services by the name in the ARN: their X-Amz-Target prefix and JSON flavour. */
const jsonServices: Record<string, { prefix: string; version: string }> = {
  kinesis: { prefix: 'Kinesis_20131202', version: '1.1' },
  dynamodb: { prefix: 'DynamoDB_20120810', version: '1.0' },
  firehose: { prefix: 'Firehose_20150804', version: '1.1' },
  events: { prefix: 'AWSEvents', version: '1.1' },
  logs: { prefix: 'Logs_20140328', version: '1.1' },
}

/** Query-protocol services' API versions (an action call carries `Action` and `Version`). */
const queryVersions: Record<string, string> = { sqs: '2012-11-05', sns: '2010-03-31', sts: '2011-06-15', iam: '2010-05-08', monitoring: '2010-08-01' }

/** Lambda's synchronous invocation payload limit (6 MB): API Gateway refuses a bigger payload itself (413 Request Too Long). */
export const lambdaSyncPayloadBytes = 6 * 1024 * 1024

/**
 * Lambda's asynchronous invocation payload limit: 1 MB since AWS raised it in 2025 (it was 256 KB). Lambda refuses a
 * bigger `InvocationType: Event` payload (413 RequestEntityTooLargeException) before queuing it.
 */
export const lambdaAsyncPayloadBytes = 1024 * 1024

/** Thrown for a payload over Lambda's limit for its invocation type: the function is never called (or queued). */
export class LambdaPayloadTooLong extends Error {}

/** Undefined: the URI names nothing Nimbus can call (a configuration error: AWS answers 500). */
export async function callAwsBackend(deps: AwsBackendDeps, integration: Pick<IntegrationData, 'uri' | 'httpMethod'>, ctx: AwsCallContext,
  mapped: MappedRequest): Promise<BackendResult | undefined> {
  const uri = (integration.uri ?? '').replace(/\$\{stageVariables\.([\w]+)\}/g, (_, name: string) => ctx.stage.variables[name] ?? '')
  const m = uriPattern.exec(uri)
  if (m === null) return undefined
  const [, region, subdomainService, form, rest] = m as unknown as [string, string, string, 'action' | 'path', string]
  const service = subdomainService.split('.').pop()!
  const fn = service === 'lambda' && form === 'path' ? lambdaPath.exec(rest)?.[1] : undefined
  if (fn !== undefined) {
    // `integration.request.header.X-Amz-Invocation-Type: 'Event'` invokes asynchronously: Lambda answers 202 at once.
    const type = Object.entries(mapped.params.header).find(([k]) => k.toLowerCase() === 'x-amz-invocation-type')?.[1]
    if (type === 'Event') {
      // Lambda refuses the event, so nothing is queued; API Gateway answers as for the synchronous limit [R].
      if (mapped.body.length > lambdaAsyncPayloadBytes / 3 && Buffer.byteLength(mapped.body) > lambdaAsyncPayloadBytes) {
        throw new LambdaPayloadTooLong(`${Buffer.byteLength(mapped.body)} byte payload is over Lambda's ${lambdaAsyncPayloadBytes} byte asynchronous limit`)
      }
      deps.lambda.invokeAsync(fn, mapped.body)
      return { status: 202, headers: {}, body: '', selector: '' }
    }
    if (mapped.body.length > lambdaSyncPayloadBytes / 3 && Buffer.byteLength(mapped.body) > lambdaSyncPayloadBytes) {
      throw new LambdaPayloadTooLong(`${Buffer.byteLength(mapped.body)} byte payload is over Lambda's ${lambdaSyncPayloadBytes} byte limit`)
    }
    return callFunction(deps.lambda, fn, mapped.body)
  }
  if (deps.awsCall === undefined) return undefined
  const request = serviceRequest(ctx, integration, { region, service, form, rest }, mapped)
  const response = await deps.awsCall(request)
  const bytes = await bodyBytes(response)
  // Every AWS endpoint's answer carries Date and Content-Length (S3's proxy tutorial maps both to method response
  // headers); an in-process answer gets Date from the request's clock, as Node's server would add it on the wire.
  const has = (header: string) => Object.keys(response.headers).some((name) => name.toLowerCase() === header)
  const headers = { ...response.headers }
  if (!has('date')) headers['date'] = new Date(ctx.now).toUTCString()
  // A streamed answer has no Content-Length until it's written; the wire answer would (a HEAD's is the service's own).
  if (!has('content-length') && request.method !== 'HEAD') headers['content-length'] = String(bytes.length)
  return { status: response.status, headers, body: bytes.toString('utf8'), bytes, selector: String(response.status) }
}

/** AWS's Lambda integration: 200 with the function's answer; a function error's errorMessage is the selector. */
async function callFunction(lambda: LambdaPort, functionArn: string, payload: string): Promise<BackendResult> {
  const result = await lambda.invoke(functionArn, payload)
  const body = result.payload.toString('utf8')
  if (result.outcome === 'throttled') throw new Error(`function ${functionArn} was throttled`)
  let selector = ''
  if (result.outcome === 'error') {
    try {
      const error = JSON.parse(body) as { errorMessage?: unknown }
      selector = typeof error.errorMessage === 'string' ? error.errorMessage : ''
    } catch {
      selector = body
    }
  }
  return { status: 200, headers: { 'content-type': 'application/json' }, body, selector }
}

interface Target {
  region: string
  service: string
  form: 'action' | 'path'
  rest: string
}

function serviceRequest(ctx: AwsCallContext, integration: Pick<IntegrationData, 'httpMethod'>, target: Target, mapped: MappedRequest): HttpRequest {
  const { region, service, form, rest } = target
  const headers: Record<string, string> = {}
  const sentType = ctx.request.headers['content-type']
  if (sentType !== undefined) headers['content-type'] = sentType
  for (const [k, v] of Object.entries(mapped.params.header)) headers[k.toLowerCase()] = v
  const query = new URLSearchParams()
  let rawPath = '/'
  if (form === 'action') {
    // `action/PutRecord`, also `action/Publish&TopicArn=…` with the call's parameters after the action.
    const [action, ...inline] = rest.split('&')
    const json = jsonServices[service]
    if (json !== undefined) {
      headers['x-amz-target'] = `${json.prefix}.${action}`
      headers['content-type'] = `application/x-amz-json-${json.version}`
    } else {
      query.set('Action', action!)
      if (queryVersions[service] !== undefined) query.set('Version', queryVersions[service])
      for (const pair of inline) {
        const [k, v = ''] = pair.split('=')
        query.set(decodeURIComponent(k!), decodeURIComponent(v))
      }
    }
  } else {
    // Path parameters fill `{name}` in the override (`{bucket}/{key}`). `path//` — the S3 proxy
    // tutorial's ListBuckets override, `/` — names the root, not `//`.
    rawPath = `/${rest.replace(/^\/+/, '').replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(mapped.params.path[name] ?? ''))}`
  }
  for (const [k, v] of Object.entries(mapped.params.querystring)) query.set(k, v)
  const date = new Date(ctx.now).toISOString().slice(0, 10).replaceAll('-', '')
  // The API owner's account and the URI's region, as the integration's credentials role would act there.
  headers['authorization'] = `AWS4-HMAC-SHA256 Credential=${ctx.api.account}/${date}/${region}/${service}/aws4_request, ` +
    'SignedHeaders=host, Signature=0'
  headers['host'] = 'localhost'
  headers['user-agent'] = 'AmazonAPIGateway'
  const rawQuery = query.toString()
  return { method: (integration.httpMethod ?? 'POST').toUpperCase(), rawPath, query, rawQuery, headers, body: mapped.bytes ?? Buffer.from(mapped.body, 'utf8') }
}

/** A response's whole body as text (a stream read to its end). */
export async function bodyText(response: HttpResponse): Promise<string> {
  return typeof response.body === 'string' ? response.body : (await bodyBytes(response)).toString('utf8')
}

/** A response's whole body as bytes (binary payloads stay intact). */
async function bodyBytes(response: HttpResponse): Promise<Buffer> {
  const { body } = response
  if (typeof body === 'string') return Buffer.from(body, 'utf8')
  if (Buffer.isBuffer(body)) return body
  const chunks: Buffer[] = []
  for await (const chunk of body as Readable) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string))
  return Buffer.concat(chunks)
}
