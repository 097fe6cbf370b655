// A raw HTTP client for requests no SDK would send: malformed bodies, odd headers, huge payloads.
import { request } from 'node:http'

export interface RawResponse {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

export function rawRequest(endpoint: string, options: { method?: string; path?: string; headers?: Record<string, string>;
  body?: string | Buffer }): Promise<RawResponse> {
  const url = new URL(options.path ?? '/', endpoint)
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'POST', headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

/**
 * The Authorization header of a signed client (Nimbus checks one is there, not the signature):
 * for raw requests modelling an SDK call, as opposed to a legitimately anonymous one.
 */
export const signedBy = (service: string): Record<string, string> => ({
  authorization: `AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`,
})

/** Nimbus's own mutating endpoints (/_nimbus/reset, /_nimbus/clock…) take JSON only. */
export const jsonHeaders: Record<string, string> = { 'content-type': 'application/json' }

export const sqsJsonHeaders = (operation: string): Record<string, string> => ({
  'content-type': 'application/x-amz-json-1.0',
  'x-amz-target': `AmazonSQS.${operation}`,
  authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0',
})

export const sqsQueryHeaders: Record<string, string> = {
  'content-type': 'application/x-www-form-urlencoded',
  authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0',
}
