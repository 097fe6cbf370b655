// Identifiers in AWS's formats.
import { randomBytes } from 'node:crypto'
import { randomString, randomUuid } from './random-pool.ts'

export const newRequestId = (): string => randomUuid()
export const newMessageId = (): string => randomUuid()

/** An opaque token of base64url characters, `bytes` long before encoding. */
export function opaqueToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url')
}

/** An X-Ray trace header (`Root=1-<epoch hex>-<24 hex>;Parent=<16 hex>;Sampled=0`), as Lambda makes one when the caller sent none. */
export function newTraceHeader(nowMs: number = Date.now()): string {
  const time = Math.floor(nowMs / 1000).toString(16).padStart(8, '0')
  const random = randomString(20, 'hex')
  return `Root=1-${time}-${random.slice(0, 24)};Parent=${random.slice(24)};Sampled=0`
}
