// One delivery request to an HTTP endpoint destination, in AWS's request/response contract: a JSON
// POST `{requestId, timestamp, records: [{data}]}` with the X-Amz-Firehose-* headers (optionally
// gzip-compressed), answered by `{requestId, timestamp, errorMessage?}`. Anything but a 200 echoing
// the request id is a failed attempt, described by AWS's error code for the error records.
import { createHash } from 'node:crypto'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { gzipSync } from 'node:zlib'
import type { HttpSettings } from './http-endpoint.ts'

/** A failed attempt: `code` and `message` go into the `http-endpoint-failed` error records. */
export class HttpDeliveryError extends Error {
  readonly code: string
  constructor(code: string, message: string) {
    super(message)
    this.code = code
  }
}

export interface HttpDelivery {
  url: string
  requestId: string
  timestamp: number
  sourceArn: string
  records: readonly Buffer[]
  /** AWS gives an endpoint 3 minutes to answer (a real socket timer: the endpoint runs on wall time). */
  timeoutMs: number
}

/** The request id: the same for every attempt of one batch (AWS keeps it across retries), GUID-shaped. */
export function requestIdOf(streamArn: string, batchId: number, firstAttempt: number): string {
  const h = createHash('sha256').update(`${streamArn}/${batchId}/${firstAttempt}`).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${(8 + (parseInt(h[16]!, 16) & 3)).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`
}

/** The most of an answer Nimbus reads: AWS caps the response it accepts too ([R] on the size). */
const maxResponseBytes = 1024 * 1024

/** Sends one delivery; resolves when the endpoint acknowledged it, throws HttpDeliveryError otherwise. */
export async function postRecords(settings: HttpSettings, delivery: HttpDelivery): Promise<void> {
  const json = Buffer.from(JSON.stringify({
    requestId: delivery.requestId, timestamp: delivery.timestamp, records: delivery.records.map((r) => ({ data: r.toString('base64') })),
  }))
  const gzip = settings.RequestConfiguration.ContentEncoding === 'GZIP'
  const body = gzip ? gzipSync(json) : json
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'Content-Length': String(body.length),
    'X-Amz-Firehose-Protocol-Version': '1.0',
    'X-Amz-Firehose-Request-Id': delivery.requestId,
    'X-Amz-Firehose-Source-Arn': delivery.sourceArn,
    'User-Agent': 'Amazon Kinesis Data Firehose Agent/1.0',
  }
  if (gzip) headers['Content-Encoding'] = 'gzip'
  const key = settings.EndpointConfiguration.AccessKey
  if (key !== undefined && key !== '') headers['X-Amz-Firehose-Access-Key'] = key
  const attributes = settings.RequestConfiguration.CommonAttributes ?? []
  if (attributes.length > 0) {
    headers['X-Amz-Firehose-Common-Attributes'] = JSON.stringify({ commonAttributes: Object.fromEntries(attributes.map((a) => [a.AttributeName, a.AttributeValue])) })
  }
  const { status, text } = await send(delivery.url, headers, body, delivery.timeoutMs)
  if (status !== 200) {
    // AWS's documented message: the status and the (truncated) answer.
    throw new HttpDeliveryError('HttpEndpoint.DestinationException', `The following response was received from the endpoint destination. ${status}: ${text.slice(0, 1024)}`)
  }
  let answer: unknown
  try {
    answer = JSON.parse(text)
  } catch {
    throw invalidResponse('the response is not JSON')
  }
  const id = (answer as { requestId?: unknown } | null)?.requestId
  if (id !== delivery.requestId) throw invalidResponse(`the response's requestId ${JSON.stringify(id ?? null)} does not match ${delivery.requestId}`)
}

/** [R] code and wording: a 200 whose body breaks the response contract. */
const invalidResponse = (reason: string) => new HttpDeliveryError('HttpEndpoint.InvalidResponseFromDestination',
  `The response received from the endpoint is invalid. See Troubleshooting HTTP Endpoints in the Firehose documentation for more information. Reason: ${reason}.`)

function send(url: string, headers: Record<string, string>, body: Buffer, timeoutMs: number): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    let target: URL
    try {
      target = new URL(url)
    } catch {
      reject(new HttpDeliveryError('HttpEndpoint.ConnectionFailed', `Unable to connect to the endpoint destination: invalid URL ${url}.`)) // [R]
      return
    }
    const make = target.protocol === 'https:' ? httpsRequest : httpRequest
    const req = make(target, { method: 'POST', headers, timeout: timeoutMs }, (res: IncomingMessage) => {
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size <= maxResponseBytes) chunks.push(chunk)
      })
      res.on('end', () => {
        if (size > maxResponseBytes) reject(new HttpDeliveryError('HttpEndpoint.ResponseTooLarge', 'The response received from the endpoint is too large.')) // [R]
        else resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') })
      })
      res.on('error', (error) => reject(new HttpDeliveryError('HttpEndpoint.ConnectionFailed', `The connection to the endpoint was lost: ${error.message}`))) // [R]
    })
    req.on('timeout', () => {
      req.destroy()
      reject(new HttpDeliveryError('HttpEndpoint.RequestTimeout', 'The request to the endpoint timed out.')) // [R]
    })
    // Unreachable, refused, reset: a failed attempt, never a crash.
    req.on('error', (error) => reject(new HttpDeliveryError('HttpEndpoint.ConnectionFailed', `Unable to connect to the endpoint destination: ${error.message}`))) // [R]
    req.end(body)
  })
}
