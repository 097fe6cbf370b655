// One delivery request to an HTTP endpoint destination, in AWS's request/response contract
// ("HTTP endpoint delivery request and response specifications"): a JSON POST `{requestId, timestamp,
// records: [{data}]}` with the X-Amz-Firehose-* headers (optionally gzip-compressed), answered by a
// 200 with `Content-Type: application/json` and `{requestId, timestamp, errorMessage?}`. Anything else
// is a failed attempt, described by AWS's error codes ("Troubleshooting HTTP Endpoints"); a 413 is a
// permanent failure (AWS: "not sent to error bucket"), every other failure is retried.
import { createHash } from 'node:crypto'
import { request as httpRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { gzipSync } from 'node:zlib'
import type { Clock } from '../../core/clock.ts'
import type { HttpSettings } from './http-endpoint.ts'

/** A failed attempt: `code` and `message` go into the `http-endpoint-failed` error records. */
export class HttpDeliveryError extends Error {
  readonly code: string
  /** AWS: "Response code 413 (size exceeded) is considered as a permanent failure" — no retry, no error output. */
  readonly permanent: boolean
  constructor(code: string, message: string, permanent = false) {
    super(message)
    this.code = code
    this.permanent = permanent
  }
}

export interface HttpDelivery {
  url: string
  requestId: string
  timestamp: number
  sourceArn: string
  records: readonly Buffer[]
  /** AWS gives an endpoint 3 minutes to answer, counted on Nimbus's clock. */
  timeoutMs: number
  clock: Clock
}

/** The request id: the same for every attempt of one batch (AWS keeps it across retries), GUID-shaped. */
export function requestIdOf(streamArn: string, batchId: number, firstAttempt: number): string {
  const h = createHash('sha256').update(`${streamArn}/${batchId}/${firstAttempt}`).digest('hex')
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${(8 + (parseInt(h[16]!, 16) & 3)).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`
}

/** AWS: "The response must be less than 1 MiB including headers." */
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
  const answer = await send(delivery, headers, body)
  checkAnswer(answer, delivery.requestId)
}

interface Answer { status: number; headers: IncomingMessage['headers']; text: string }

/**
 * Only a 200 delivers. Any other status is a DestinationException carrying the status and the
 * (truncated) answer, AWS's documented message; 2xx other than 200 included, and a 413 is permanent.
 * A 200 that breaks the response contract — not `application/json`, content-encoded, not JSON, no
 * `requestId` or another one, no numeric `timestamp` — is InvalidResponseFromDestination.
 */
function checkAnswer(answer: Answer, requestId: string): void {
  const { status, headers, text } = answer
  if (status !== 200) {
    throw new HttpDeliveryError('HttpEndpoint.DestinationException',
      `The following response was received from the endpoint destination. ${status}: ${text.slice(0, 1024)}`, status === 413)
  }
  const type = String(headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase()
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    body = undefined
  }
  const fields = typeof body === 'object' && body !== null && !Array.isArray(body) ? body as Record<string, unknown> : undefined
  const valid = type === 'application/json' && headers['content-encoding'] === undefined && fields !== undefined &&
    fields['requestId'] === requestId && typeof fields['timestamp'] === 'number'
  if (valid) return
  // AWS's documented message (for invalid JSON or unexpected fields; the same words for the other breaches [R]).
  throw new HttpDeliveryError('HttpEndpoint.InvalidResponseFromDestination', 'The response received from the specified endpoint is invalid. ' +
    `Contact the owner of the endpoint to resolve the issue. Response for request ${requestId} is not recognized as valid JSON or has ` +
    `unexpected fields. Raw response received: ${status} ${text.slice(0, 1024)}`)
}

/** Node's socket errors as AWS's codes: refused/unreachable, reset after connecting, TLS. [R] on the messages */
function connectionError(error: NodeJS.ErrnoException, connected: boolean): HttpDeliveryError {
  const code = error.code ?? ''
  if (code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL') || code === 'EPROTO' || /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code)) {
    return new HttpDeliveryError('HttpEndpoint.SSLHandshakeFailure', `Unable to complete an SSL Handshake with the endpoint. ${error.message}`)
  }
  if (connected || code === 'ECONNRESET' || code === 'EPIPE') {
    return new HttpDeliveryError('HttpEndpoint.ConnectionReset', `The connection to the endpoint was reset or closed early: ${error.message}`)
  }
  return new HttpDeliveryError('HttpEndpoint.ConnectionFailed', `Unable to connect to the endpoint destination: ${error.message}`)
}

function send(delivery: HttpDelivery, headers: Record<string, string>, body: Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    let target: URL
    try {
      target = new URL(delivery.url)
    } catch {
      reject(new HttpDeliveryError('HttpEndpoint.ConnectionFailed', `Unable to connect to the endpoint destination: invalid URL ${delivery.url}.`)) // [R]
      return
    }
    const make = target.protocol === 'https:' ? httpsRequest : httpRequest
    let settled = false
    const settle = (fn: () => void) => {
      if (settled) return
      settled = true
      timeout.cancel()
      fn()
    }
    let connected = false
    const req = make(target, { method: 'POST', headers }, (res: IncomingMessage) => {
      connected = true
      const chunks: Buffer[] = []
      let size = 0
      res.on('data', (chunk: Buffer) => {
        size += chunk.length
        if (size <= maxResponseBytes) chunks.push(chunk)
        else res.destroy()
      })
      res.on('end', () => settle(() => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') })))
      res.on('close', () => {
        if (size > maxResponseBytes) settle(() => reject(new HttpDeliveryError('HttpEndpoint.ResponseTooLarge', 'The response received from the endpoint is too large. The response must be less than 1 MiB including headers.')))
      })
      res.on('error', (error) => settle(() => reject(connectionError(error, true))))
    })
    req.on('socket', (socket) => socket.once('connect', () => { connected = true }))
    // AWS's 3 minutes, on Nimbus's clock (a manual clock's test moves it; a system clock is wall time).
    const timeout = delivery.clock.at(delivery.clock.now() + delivery.timeoutMs, () => {
      settle(() => reject(new HttpDeliveryError('HttpEndpoint.RequestTimeout', 'The request to the endpoint timed out: no response within 3 minutes.'))) // [R]
      req.destroy()
    })
    // Unreachable, refused, reset: a failed attempt, never a crash.
    req.on('error', (error: NodeJS.ErrnoException) => settle(() => reject(connectionError(error, connected))))
    req.end(body)
  })
}
