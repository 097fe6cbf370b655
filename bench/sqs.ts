// SQS over the JSON protocol (awsJson1_0), the way an SDK sends it, on a raw node:http client.
import { Agent, request } from 'node:http'

export const HOST = '127.0.0.1'

/** Looks like an SDK's signed request; neither Nimbus nor moto checks the signature. */
const AUTHORIZATION = 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0'

export function sqsHeaders(operation: string): Record<string, string> {
  return {
    'content-type': 'application/x-amz-json-1.0',
    'x-amz-target': `AmazonSQS.${operation}`,
    authorization: AUTHORIZATION,
  }
}

/** ~100-byte message bodies, as the brief asks. */
export const MESSAGE_BODY = 'nimbus-bench '.padEnd(100, 'x')

export function sendMessageBody(queueUrl: string): string {
  return JSON.stringify({ QueueUrl: queueUrl, MessageBody: MESSAGE_BODY })
}

export function sendMessageBatchBody(queueUrl: string): string {
  return JSON.stringify({
    QueueUrl: queueUrl,
    Entries: Array.from({ length: 10 }, (_, i) => ({ Id: `m${i}`, MessageBody: MESSAGE_BODY })),
  })
}

export interface SqsResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  text: string
}

export interface CallOptions {
  agent?: Agent | false
  timeoutMs?: number
  /** Another service's headers (EventBridge floods reuse this client); default SQS's for `operation`. */
  headers?: Record<string, string>
}

/** One JSON-protocol call to 127.0.0.1:port. Rejects only on transport errors; HTTP errors come back as status. */
export function sqsCall(port: number, operation: string, input: unknown, options: CallOptions = {}): Promise<SqsResponse> {
  const payload = Buffer.from(typeof input === 'string' ? input : JSON.stringify(input))
  return new Promise((resolve, reject) => {
    const req = request({
      host: HOST,
      port,
      method: 'POST',
      path: '/',
      agent: options.agent ?? false,
      headers: { ...(options.headers ?? sqsHeaders(operation)), 'content-length': String(payload.length) },
    }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({
        status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8'),
      }))
      res.on('error', reject)
    })
    req.on('error', reject)
    const { timeoutMs } = options
    if (timeoutMs !== undefined) req.setTimeout(timeoutMs, () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)))
    req.end(payload)
  })
}

/** A plain GET, for the hello-world server's readiness probe. */
export function httpGet(port: number, path: string, timeoutMs: number): Promise<SqsResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: HOST, port, method: 'GET', path, agent: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)))
    req.end()
  })
}

/** CreateQueue, returning the QueueUrl the server chose (the account id differs between emulators). */
export async function createQueue(port: number, name: string): Promise<{ queueUrl: string, connectionClose: boolean }> {
  // A keep-alive agent, so the answer's Connection header says whether the server keeps connections open.
  const agent = new Agent({ keepAlive: true })
  const res = await sqsCall(port, 'CreateQueue', { QueueName: name }, { agent, timeoutMs: 10_000 }).finally(() => agent.destroy())
  if (res.status !== 200) throw new Error(`CreateQueue ${name} answered ${res.status}: ${res.text.slice(0, 300)}`)
  const queueUrl = (JSON.parse(res.text) as { QueueUrl?: unknown }).QueueUrl
  if (typeof queueUrl !== 'string') throw new Error(`CreateQueue ${name} answered no QueueUrl: ${res.text.slice(0, 300)}`)
  return { queueUrl, connectionClose: String(res.headers.connection ?? '').toLowerCase() === 'close' }
}

/**
 * Empties a queue after a measurement so its backlog's memory does not weigh on the next one. SQS allows
 * one PurgeQueue per queue per 60 s, so purge each queue once. False when it did not succeed.
 */
export async function purgeQueue(port: number, queueUrl: string): Promise<boolean> {
  const res = await sqsCall(port, 'PurgeQueue', { QueueUrl: queueUrl }, { timeoutMs: 30_000 }).catch(() => undefined)
  return res?.status === 200
}
