// Identifiers in AWS's formats.
import { randomBytes, randomUUID } from 'node:crypto'

export const newRequestId = (): string => randomUUID()
export const newMessageId = (): string => randomUUID()

/** An opaque token of base64url characters, `bytes` long before encoding. */
export function opaqueToken(bytes: number): string {
  return randomBytes(bytes).toString('base64url')
}
