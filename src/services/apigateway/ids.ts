// API Gateway's identifiers: REST API and resource ids are lowercase alphanumerics (10 for an API
// and its root resource, 6 for other resources and deployments, as AWS's look [R]).
import { randomBytes } from 'node:crypto'
import { randomString } from '../../core/random-pool.ts'

const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'

export function newId(length: number): string {
  const bytes = randomBytes(length)
  let id = ''
  for (const b of bytes) id += alphabet[b % alphabet.length]
  return id
}

/** The `x-amz-apigw-id` / `extendedRequestId` form: 16 characters of base64 (11 bytes), e.g. `BQGojGkCoAMF1kg=`. */
export function newExtendedRequestId(): string {
  return randomString(11, 'base64')
}

/** An X-Ray trace id as API Gateway passes it on: `Root=1-<epoch seconds hex>-<24 hex>`. */
export function newTraceId(nowMs: number): string {
  return `Root=1-${Math.floor(nowMs / 1000).toString(16).padStart(8, '0')}-${randomString(12, 'hex')}`
}
